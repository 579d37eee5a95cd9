// The case checker's shared state and small rules; its parts live in check_*.cpp, one concern each.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "behaviors/toxics/toxic.hpp"
#include "common/diagnostics.hpp"
#include "common/json_checks.hpp"
#include "common/json.hpp"
#include "harness/case/case_model.hpp"
#include "harness/case/case_rules.hpp"

namespace sockdrill {

// "a server", "a client", ... for messages.
std::string kind_name(PeerKind k);

class CaseChecker {
 public:
  CaseChecker(const Json& doc, CaseSpec& spec, CaseCheck& check)
      : doc_(doc), spec_(spec), d_(check.diag), at_key_(check.at_key), look_at_files_(check.look_at_files) {}
  void run();  // check_top.cpp

 private:
  // ---- check_top.cpp: the top level and sysctls ----
  void check_about();
  void check_sysctl(const Json& v, const std::string& ptr);
  bool sysctl_name(const std::string& name, const std::string& p);
  void sysctls_of_a_namespace();

  // ---- check_peers.cpp ----
  void check_peers();
  void check_peer(const std::string& name, const Json& v);
  ListenSpec check_listen(const Json& v, const std::string& ptr, const std::string& self, bool for_proxy);
  PortRef check_port_ref(const Json& v, const std::string& ptr, const std::string& self);
  AcceptMode check_accept(const Json& v, const std::string& ptr);
  std::string check_target(const Json& v, const std::string& ptr, const std::string& self);
  ConnectSpec check_connect(const Json& v, const std::string& ptr, const std::string& self);
  CommandSpec check_command(const Json& v, const std::string& ptr, const std::string& self);
  ListenSpec check_proxy(const Json& v, const std::string& ptr, const std::string& self,
                         std::string& to, std::vector<behaviors::ToxicSpec>& parsed);
  std::optional<behaviors::ToxicSpec> check_toxic(const Json& v, const std::string& ptr);

  // ---- check_timeline.cpp ----
  void check_timeline(const Json& v, const std::string& ptr);
  bool check_fault(const Json& v, const std::string& ptr, FaultSpec& fault);
  bool check_toxic_change(const Json& v, const std::string& ptr, ToxicChange& change);
  void replay_toxic_changes();
  void check_cues();

  // ---- check_expect.cpp ----
  void check_expect();
  void check_expectation(const Json& v, const std::string& ptr);
  void check_sockets(const Json& v, const std::string& ptr, Selector& s);
  std::optional<TcpState> tcp_state(const Json& v, const std::string& ptr);
  void check_events(const Json& v, const std::string& ptr, Selector& s);
  void check_bytes(const Json& v, const std::string& ptr, Selector& s);
  void check_counter(const Json& v, const std::string& ptr, Selector& s);
  void check_packets(const Json& v, const std::string& ptr, Selector& s);
  Quantity check_count(const Json& v, const std::string& ptr);
  void check_window(const Json& v, const std::string& ptr, Expectation& x);

  // ---- check_runnable.cpp: what is valid but could never run ----
  void check_runnable();
  void windows_end_in_time();
  void peers_can_start();
  void programs_exist();

  // ---- check_helpers.cpp: the small rules every part uses ----
  void error(const std::string& ptr, std::string message) { d_.error(ptr, std::move(message)); }
  // An error about a key itself (a bad peer or sysctl name): located at the key, not its value.
  void key_error(const std::string& ptr, std::string message);
  // An optional integer member in [min, max]: its value when present and valid.
  std::optional<std::int64_t> int_at(const Json& obj, const std::string& ptr, const char* key,
                                     std::int64_t min = 0, std::int64_t max = checks::kMaxInt);
  std::optional<std::string> one_of(const Json& v, const std::string& ptr,
                                    std::initializer_list<std::string_view> allowed);
  std::optional<std::string> non_empty_string(const Json& v, const std::string& ptr,
                                              const std::string& what);
  // A reference to any existing peer ("no peer named ... (the peers are: ...)").
  bool peer_exists(const std::string& name, const std::string& ptr, const std::string& prefix = "");
  bool peer_ref(const Json& v, const std::string& ptr, std::string* out = nullptr);
  // MATCH's from/to: a peer whose packets can be told apart on the wire.
  void wire_peer(const Json& v, const std::string& ptr, std::string* out);
  // A reference from `self` to another peer that listens; records it in `self`'s needs.
  bool listening_peer(const std::string& name, const std::string& ptr, const std::string& self,
                      const std::string& prefix = "");
  // The placeholders of a string, checked with the one grammar (harness/case/placeholders.hpp).
  enum class Braces { target, program_text, program };
  bool placeholders(const std::string& s, const std::string& ptr, const std::string& self,
                    Braces where = Braces::target);
  std::vector<std::string> flags(const Json& v, const std::string& ptr);
  PacketMatch packet_match(const Json& m, const std::string& p, bool with_probability);
  std::string peer_list() const;

  const Json& doc_;
  CaseSpec& spec_;
  Diagnostics& d_;
  std::set<std::size_t>& at_key_;
  bool look_at_files_;
  std::map<std::string, std::optional<PeerKind>> kinds_;  // kind unknown when not exactly one
  std::vector<std::pair<std::string, std::string>> cues_waited_;  // (cue, pointer of the wait)
  std::set<std::string> cues_given_;
  std::map<std::string, std::vector<std::string>> proxy_toxics_;  // initial toxics per proxy
  std::set<std::string> listened_to_;  // peers that others connect to or name as {PEER.port}
  std::map<std::string, std::set<std::string>> needs_;  // per peer: its PeerSpec::needs
  std::vector<std::pair<std::string, std::string>> sysctl_pointers_;  // (name, pointer) seen
};

}  // namespace sockdrill

// NftSession: builds nft command text and runs it through an in-process libnftables context.
#include "harness/faults/nft_session.hpp"

#include <random>
#include <stdexcept>

#include "common/lazy_library.hpp"
#include "harness/faults/nftables_library.hpp"

namespace sockdrill {
namespace {

constexpr const char* kTable = "inet sockdrill";
// numgen positions per fault set: 4096 keeps even p = 1/2 far below nft's ~8192-element
// per-command limit while still giving 1/4096 resolution.
constexpr int kPeriod = 4096;

// Names go verbatim into nft commands: allow only what nft takes as a plain identifier.
void check_name(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 200 && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok) throw std::invalid_argument("counter name \"" + name + "\": use letters, digits and '_'");
}

// The numgen positions a fault hits. Bits of mt19937_64 are used directly (not
// std::uniform_real_distribution, whose output differs between standard libraries) so a seed
// picks the same packets everywhere.
std::string positions(double probability, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string list;
  for (int i = 0; i < kPeriod; ++i) {
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    if (u < probability) list += (list.empty() ? "" : ", ") + std::to_string(i);
  }
  return list;
}

}  // namespace

NftSession::NftSession() {
  try {
    nft_ = &nftables_library();
  } catch (const LibraryUnavailable& e) {
    throw NftUnavailable(e.what());
  }
  ctx_ = nft_->ctx_new(NFT_CTX_DEFAULT);
  if (ctx_ == nullptr) throw std::runtime_error("nft_ctx_new failed");
  nft_->ctx_buffer_output(ctx_);
  nft_->ctx_buffer_error(ctx_);
  try {
    // "add" then "delete" so a table left by a crashed run is replaced, not merged into.
    run(std::string("add table ") + kTable + "\ndelete table " + kTable + "\nadd table " + kTable +
        "\nadd chain " + kTable + " counters { type filter hook output priority -300; policy accept; }" +
        "\nadd chain " + kTable + " faults { type filter hook prerouting priority -150; policy accept; }\n");
  } catch (const std::exception& e) {
    nft_->ctx_free(ctx_);
    throw NftUnavailable(std::string("cannot create the case's nftables table: ") + e.what());
  }
}

NftSession::~NftSession() {
  nft_->ctx_output_set_flags(ctx_, 0);
  nft_->run_cmd_from_buffer(ctx_, (std::string("delete table ") + kTable + "\n").c_str());
  nft_->ctx_free(ctx_);
}

std::string NftSession::run(const std::string& commands, bool json) {
  nft_->ctx_output_set_flags(ctx_, json ? NFT_CTX_OUTPUT_JSON : 0);
  if (nft_->run_cmd_from_buffer(ctx_, commands.c_str()) != 0)
    throw std::runtime_error(std::string("nft: ") + nft_->ctx_get_error_buffer(ctx_) + "command:\n" + commands);
  const char* out = nft_->ctx_get_output_buffer(ctx_);
  return out ? out : "";
}

void NftSession::add_counter(const std::string& name, const PacketMatch& match,
                             const std::map<std::string, PeerIdentity>& peers) {
  check_name(name);
  // One named counter, shared by the rules of every address family, so it sums them.
  std::string commands = std::string("add counter ") + kTable + " " + name + "\n";
  for (const std::string& expr : match_expressions(match, peers))
    commands += std::string("add rule ") + kTable + " counters " + expr + " counter name " + name + "\n";
  run(commands);
}

void NftSession::add_fault(const FaultSpec& fault, const std::map<std::string, PeerIdentity>& peers,
                           std::uint64_t case_seed, int number) {
  if (fault.action == FaultSpec::clear) throw std::invalid_argument("add_fault of a clear entry");
  const std::string verdict = fault.action == FaultSpec::drop ? "drop" : "reject with tcp reset";
  const double probability = fault.match.probability;
  if (!(probability >= 0.0 && probability <= 1.0))
    throw std::invalid_argument("MATCH \"probability\" must be a number from 0.0 to 1.0");
  const std::vector<std::string> exprs = match_expressions(fault.match, peers);
  if (probability <= 0.0 || exprs.empty()) return;

  std::string commands;
  std::string sample;
  if (probability < 1.0) {
    const std::string list = positions(probability, fault_draw_seed(case_seed, number));
    if (list.empty()) return;  // a tiny probability that drew no position hits nothing
    // numgen counts only the packets that got past the match (it comes after it in the rule),
    // so position i is the i-th matching packet, cycling every kPeriod. Each rule keeps its own
    // numgen state: per family, which is fine since a connection stays in one family.
    const std::string set = "f" + std::to_string(number);
    // A set of known size gets a fixed hash table: one that grows rehashes in the background,
    // and a listing taken meanwhile showed some positions twice and others not at all.
    commands += std::string("add set ") + kTable + " " + set + " { typeof numgen inc mod " +
                std::to_string(kPeriod) + "; size " + std::to_string(kPeriod) + "; elements = { " + list +
                " }; }\n";
    sample = " numgen inc mod " + std::to_string(kPeriod) + " @" + set;
  }
  for (const std::string& expr : exprs)
    commands += std::string("add rule ") + kTable + " faults " + expr + sample + " " + verdict + "\n";
  run(commands);
  if (!sample.empty()) fault_sets_.push_back("f" + std::to_string(number));
}

void NftSession::clear_faults() {
  // The sets go too: nothing refers to them once the chain is flushed.
  std::string commands = std::string("flush chain ") + kTable + " faults\n";
  for (const std::string& set : fault_sets_) commands += std::string("delete set ") + kTable + " " + set + "\n";
  run(commands);
  fault_sets_.clear();
}

std::map<std::string, std::uint64_t> NftSession::read_counters() {
  const Json listing = Json::parse(run(std::string("list counters table ") + kTable, true));
  std::map<std::string, std::uint64_t> counts;
  for (const Json& item : listing.value("nftables", Json::array()))
    if (item.contains("counter"))
      counts[item["counter"]["name"].get<std::string>()] = item["counter"]["packets"].get<std::uint64_t>();
  return counts;
}

std::string NftSession::ruleset_text() { return run(std::string("list table ") + kTable); }

}  // namespace sockdrill

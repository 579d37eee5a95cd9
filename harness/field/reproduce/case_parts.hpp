// The pieces reproduced cases share: sizes and windows, stand-in programs, the about.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common/json.hpp"
#include "harness/field/findings/finding.hpp"
#include "harness/field/reproduce/reproduce.hpp"

namespace sockdrill::field::reproduce_parts {

// One client peer keeps its connections under the descriptor limit with room: larger counts are
// cut to this, and the case says so.
inline constexpr std::uint64_t kMaxConnections = 10000;

// The count a case uses for `seen`, noting a cut in `assumptions`.
std::uint64_t case_size(std::uint64_t seen, std::vector<std::string>& assumptions);

// When `n` connections are surely made and settled (ms after t = 0), for windows.
std::int64_t settled_ms(std::uint64_t n);

// A `command` peer running /usr/bin/python3 with `script` (the stand-in for the user's program).
Json python_command(const std::string& script, const std::vector<std::string>& args = {});

// The case's process: "java 4242 (java -jar app.jar)" from a finding.
std::string program_text(const Finding& finding);

// How the program is put in the case: a server (it may listen on any port: the case finds it) or
// a client (it is given {server.address} and {server.port}).
enum class ProgramSide { server, client };

// The about: what the snapshot showed, what the case builds, how to put the real program in, and
// the assumptions.
std::string about_text(const Finding& finding, const std::string& builds, ProgramSide side,
                       const std::vector<std::string>& assumptions);

// Whether a group is the client side of its connections ("10.0.0.1:* -> ..."); notes in
// `assumptions` when its addresses are IPv6 (the case runs over 127.0.0.1).
bool client_side(const SocketGroup* group, std::vector<std::string>& assumptions);

// A step that reads what the program sends for 300 ms, after which it fails and the connection is
// closed (on_error "close", the default): a close with data unread would be a reset, not the FIN
// the snapshot implies.
Json read_a_while_then_close();

// The case file: its about (about_text), the sysctls (none when null), the time limit, peers and
// expectations, in the order a reader expects them.
Json case_file(const Finding& finding, const std::string& builds, ProgramSide side,
               const std::vector<std::string>& assumptions, Json sysctl, std::int64_t timeout_ms, Json peers,
               Json expect);

// `case_json` with a timeline placed before its expectations, as the library's cases have it.
Json with_timeline(const Json& case_json, const Json& timeline);

// A CLOSE_WAIT/... group of the finding's process, or nullptr.
const SocketGroup* first_group(const Snapshot& snapshot, pid_t pid, TcpState state);
const SocketGroup* first_orphan_group(const Snapshot& snapshot, TcpState state);

// { "sockets": { "peer": P, "state": S }, "count": N, ... window }
Json sockets_by(const std::string& peer, const std::string& state, Json count, std::int64_t by_ms);
Json sockets_during(const std::string& peer, const std::string& state, Json count, std::int64_t from_ms,
                    std::int64_t until_ms);

// The stand-in programs' Python.
extern const char* const kServerThatHolds;        // accepts, never reads, never closes
extern const char* const kServerThatNeverAccepts;  // listen(BACKLOG) and nothing more
extern const char* const kServerThatCloses;        // accepts and closes at once
extern const char* const kClientThatHolds;         // connects N times, never closes
extern const char* const kClientOfShortConnections;  // N connections, each closed first by it
extern const char* const kClientThatCloses;          // connects N times, closes each at once
extern const char* const kServerThatClosesUnread;    // accepts, waits 100 ms, closes without reading
// BACKLOG N DELAY_MS now|after_eof: accepts N, (reads each to its EOF,) waits DELAY ms, closes them all.
extern const char* const kServerThatClosesAll;

}  // namespace sockdrill::field::reproduce_parts

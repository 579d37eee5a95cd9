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

// The about: what the snapshot showed, what the case builds, how to put the real program in, and
// the assumptions.
std::string about_text(const Finding& finding, const std::string& builds, const std::vector<std::string>& assumptions);

// The case file: its about (about_text), the sysctls (none when null), the time limit, peers and
// expectations, in the order a reader expects them.
Json case_file(const Finding& finding, const std::string& builds, const std::vector<std::string>& assumptions,
               Json sysctl, std::int64_t timeout_ms, Json peers, Json expect);

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

}  // namespace sockdrill::field::reproduce_parts

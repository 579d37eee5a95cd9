// Output files that are known to be written: checked before a run, and checked after writing.
#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace sockdrill::reports {

enum class Destination { folder, file };      // what a writer's option names
std::string_view placeholder(Destination d);  // "DIR" or "FILE", for usage text

// Before a run: why `path` cannot take a writer's output (nullopt when it can). Creates the
// folders on the way, and tries a temporary file there (removed at once), or opens an
// existing file (such as /dev/full) for writing without truncating it.
std::optional<std::string> destination_problem(Destination d, const std::filesystem::path& path);

// Writes `file` through body(stream) (in the C locale), flushes and closes it, then checks:
// any error (ENOSPC, EIO, ...) throws std::runtime_error naming the file and the reason.
void write_checked(const std::filesystem::path& file,
                   const std::function<void(std::ostream&)>& body);

}  // namespace sockdrill::reports

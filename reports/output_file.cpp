// Checking destinations before a run, and every output file after it is written.
#include "reports/output_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <locale>
#include <stdexcept>

namespace fs = std::filesystem;

namespace sockdrill::reports {
namespace {

std::string reason_of(int err) {
  return err ? std::strerror(err) : "the write failed";
}

// Whether a new file can be made in `dir` (which is made when missing).
std::optional<std::string> folder_problem(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "cannot create the folder: " + ec.message();
  if (!fs::is_directory(dir, ec)) return "not a folder";
  std::string probe = (dir / ".sockdrill-write-check-XXXXXX").string();
  int fd = ::mkstemp(probe.data());
  if (fd < 0) return "cannot create a file there: " + reason_of(errno);
  ::close(fd);
  ::unlink(probe.c_str());
  return std::nullopt;
}

}  // namespace

std::string_view placeholder(Destination d) {
  return d == Destination::folder ? "DIR" : "FILE";
}

std::optional<std::string> destination_problem(Destination d, const fs::path& path) {
  if (path.empty()) return "an empty path";
  if (d == Destination::folder) return folder_problem(path);
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::is_directory(status)) return "a folder, not a file";
  if (fs::exists(status)) {
    // O_NONBLOCK: a FIFO without a reader is refused rather than waited for.
    int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return "cannot open it for writing: " + reason_of(errno);
    ::close(fd);
    return std::nullopt;
  }
  return folder_problem(path.has_parent_path() ? path.parent_path() : fs::path("."));
}

void write_checked(const fs::path& file, const std::function<void(std::ostream&)>& body) {
  auto failure = [&](int err) {
    return std::runtime_error("cannot write " + file.string() + ": " + reason_of(err));
  };
  errno = 0;
  std::ofstream out(file, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!out) throw failure(errno);
  out.imbue(std::locale::classic());
  body(out);
  out.flush();
  if (!out.good()) throw failure(errno);  // errno of the write that failed
  errno = 0;
  out.close();
  if (out.fail()) throw failure(errno);
}

}  // namespace sockdrill::reports

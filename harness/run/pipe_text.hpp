// Whole strings through pipes: written until done, read until the other end closes.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace sockdrill {

// Writes all of `text` (retrying after EINTR); stops quietly at any other error.
void write_whole(int fd, std::string_view text);

// Reads until end of file (or an error other than EINTR); keeps at most `limit` bytes.
std::string read_until_eof(int fd, std::size_t limit = 64 * 1024);

}  // namespace sockdrill

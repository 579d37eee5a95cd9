// Table of the errno names a socket program can see.
#include "common/errno_names.hpp"

#include <cerrno>
#include <utility>

namespace sockdrill {
namespace {
#define SD_E(x) std::pair<int, std::string_view>{x, #x}
constexpr std::pair<int, std::string_view> kNames[] = {
    SD_E(EPERM),        SD_E(ENOENT),       SD_E(EINTR),        SD_E(EIO),
    SD_E(EBADF),        SD_E(EAGAIN),       SD_E(ENOMEM),       SD_E(EACCES),
    SD_E(EFAULT),       SD_E(EBUSY),        SD_E(EEXIST),       SD_E(EINVAL),
    SD_E(ENFILE),       SD_E(EMFILE),       SD_E(ENOSPC),       SD_E(EPIPE),
    SD_E(ENOTSOCK),     SD_E(EDESTADDRREQ), SD_E(EMSGSIZE),     SD_E(EPROTOTYPE),
    SD_E(ENOPROTOOPT),  SD_E(EPROTONOSUPPORT), SD_E(EOPNOTSUPP), SD_E(EAFNOSUPPORT),
    SD_E(EADDRINUSE),   SD_E(EADDRNOTAVAIL), SD_E(ENETDOWN),    SD_E(ENETUNREACH),
    SD_E(ENETRESET),    SD_E(ECONNABORTED), SD_E(ECONNRESET),   SD_E(ENOBUFS),
    SD_E(EISCONN),      SD_E(ENOTCONN),     SD_E(ESHUTDOWN),    SD_E(ETIMEDOUT),
    SD_E(ECONNREFUSED), SD_E(EHOSTDOWN),    SD_E(EHOSTUNREACH), SD_E(EALREADY),
    SD_E(EINPROGRESS),  SD_E(ECANCELED),    SD_E(EPROTO),
};
#undef SD_E
}  // namespace

std::string errno_name(int err) {
  if (err == EWOULDBLOCK) return "EAGAIN";
  for (auto& [value, name] : kNames)
    if (value == err) return std::string(name);
  return "E" + std::to_string(err);
}

std::vector<std::string_view> errno_names() {
  std::vector<std::string_view> names;
  for (auto& [value, name] : kNames) names.push_back(name);
  names.push_back("EWOULDBLOCK");
  return names;
}

std::optional<int> errno_from_name(std::string_view name) {
  if (name == "EWOULDBLOCK") return EAGAIN;
  for (auto& [value, n] : kNames)
    if (n == name) return value;
  return std::nullopt;
}

}  // namespace sockdrill

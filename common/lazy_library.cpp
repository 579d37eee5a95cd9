// A shared library opened on first use (dlopen): a program pays for loading it only when used.
#include "common/lazy_library.hpp"

#include <dlfcn.h>

namespace sockdrill {

void* LazyLibrary::symbol(const char* name) {
  std::call_once(opened_, [this] {
    // The library stays loaded until the process ends: its functions' addresses are kept.
    handle_ = ::dlopen(soname_.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
      const char* why = ::dlerror();
      open_error_ = why ? why : "dlopen failed";
    }
  });
  if (handle_ == nullptr) throw LibraryUnavailable("cannot load " + soname_ + ": " + open_error_);
  ::dlerror();
  void* address = ::dlsym(handle_, name);
  if (address == nullptr) {
    const char* why = ::dlerror();
    throw LibraryUnavailable(soname_ + " has no " + name + (why ? std::string(": ") + why : std::string()));
  }
  return address;
}

}  // namespace sockdrill

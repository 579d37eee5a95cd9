// A shared library opened on first use (dlopen): a program pays for loading it only when used.
#pragma once
#include <mutex>
#include <stdexcept>
#include <string>

namespace sockdrill {

// The library cannot be loaded, or lacks a symbol: the message names both and dlerror()'s words.
struct LibraryUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class LazyLibrary {
 public:
  explicit LazyLibrary(std::string soname) : soname_(std::move(soname)) {}
  LazyLibrary(const LazyLibrary&) = delete;
  LazyLibrary& operator=(const LazyLibrary&) = delete;

  const std::string& soname() const { return soname_; }
  // The address of `name`, opening the library first if needed; throws LibraryUnavailable.
  void* symbol(const char* name);
  // A function of the library by its declaration: resolve<decltype(::f)>("f").
  template <class Function>
  Function* resolve(const char* name) {
    return reinterpret_cast<Function*>(symbol(name));
  }

 private:
  std::string soname_;
  std::once_flag opened_;
  void* handle_ = nullptr;
  std::string open_error_;
};

}  // namespace sockdrill

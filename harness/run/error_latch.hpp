// The first reason a case cannot be judged as written; later ones are consequences of it.
#pragma once
#include <string>

namespace sockdrill {

// Why a case is `error` rather than pass or fail (CaseRecord's reason code).
enum class ErrorCode { none, unresolved, timeout, peer_died, limit, interrupted, harness };

inline const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::none: return "";
    case ErrorCode::unresolved: return "unresolved";
    case ErrorCode::timeout: return "timeout";
    case ErrorCode::peer_died: return "peer_died";
    case ErrorCode::limit: return "limit";
    case ErrorCode::interrupted: return "interrupted";
    case ErrorCode::harness: return "harness";
  }
  return "harness";
}

class ErrorLatch {
 public:
  // Keeps the first error only.
  void raise(ErrorCode code, std::string reason) {
    if (code_ != ErrorCode::none) return;
    code_ = code;
    reason_ = std::move(reason);
  }
  bool raised() const { return code_ != ErrorCode::none; }
  ErrorCode code() const { return code_; }
  const std::string& reason() const { return reason_; }

 private:
  ErrorCode code_ = ErrorCode::none;
  std::string reason_;
};

}  // namespace sockdrill

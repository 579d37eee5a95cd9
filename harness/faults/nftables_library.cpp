// libnftables' functions, loaded when a case first needs packet rules (not at every start).
#include "harness/faults/nftables_library.hpp"

#include "common/lazy_library.hpp"

namespace sockdrill {

const NftablesLibrary& nftables_library() {
  // SOCKDRILL_NFTABLES_SONAME: read from the library at configure time (cmake/SockdrillSoname.cmake).
  static LazyLibrary library(SOCKDRILL_NFTABLES_SONAME);
  static const NftablesLibrary functions{
      library.resolve<decltype(::nft_ctx_new)>("nft_ctx_new"),
      library.resolve<decltype(::nft_ctx_free)>("nft_ctx_free"),
      library.resolve<decltype(::nft_ctx_buffer_output)>("nft_ctx_buffer_output"),
      library.resolve<decltype(::nft_ctx_buffer_error)>("nft_ctx_buffer_error"),
      library.resolve<decltype(::nft_ctx_output_set_flags)>("nft_ctx_output_set_flags"),
      library.resolve<decltype(::nft_run_cmd_from_buffer)>("nft_run_cmd_from_buffer"),
      library.resolve<decltype(::nft_ctx_get_output_buffer)>("nft_ctx_get_output_buffer"),
      library.resolve<decltype(::nft_ctx_get_error_buffer)>("nft_ctx_get_error_buffer"),
  };
  return functions;
}

}  // namespace sockdrill

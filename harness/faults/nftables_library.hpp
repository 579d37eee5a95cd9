// libnftables' functions, loaded when a case first needs packet rules (not at every start).
#pragma once
#include <nftables/libnftables.h>

namespace sockdrill {

struct NftablesLibrary {
  decltype(::nft_ctx_new)* ctx_new;
  decltype(::nft_ctx_free)* ctx_free;
  decltype(::nft_ctx_buffer_output)* ctx_buffer_output;
  decltype(::nft_ctx_buffer_error)* ctx_buffer_error;
  decltype(::nft_ctx_output_set_flags)* ctx_output_set_flags;
  decltype(::nft_run_cmd_from_buffer)* run_cmd_from_buffer;
  decltype(::nft_ctx_get_output_buffer)* ctx_get_output_buffer;
  decltype(::nft_ctx_get_error_buffer)* ctx_get_error_buffer;
};

// Loads the library the build found (its soname) once; throws LibraryUnavailable when it cannot.
const NftablesLibrary& nftables_library();

}  // namespace sockdrill

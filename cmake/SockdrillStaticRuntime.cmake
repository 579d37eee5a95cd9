# sockdrill_static_cxx_runtime(TARGET): with SOCKDRILL_STATIC_CXX_RUNTIME (and no sanitizer, whose
# runtime must see the shared libstdc++), the program links libstdc++ and libgcc statically. Every
# case starts sockdrill and at least one sockdrill-peer: loading and relocating the shared
# libstdc++ took ~1.4 ms of each start on the 2-core machine. Only programs: the libraries
# (sockdrill::gtest) keep the runtime of the program that links them.
include_guard(GLOBAL)

set(SOCKDRILL_STATIC_CXX_RUNTIME_USED OFF)
if(SOCKDRILL_STATIC_CXX_RUNTIME AND NOT SOCKDRILL_SANITIZE AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  set(SOCKDRILL_STATIC_CXX_RUNTIME_USED ON)
endif()

function(sockdrill_static_cxx_runtime target)
  if(SOCKDRILL_STATIC_CXX_RUNTIME_USED)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
  endif()
endfunction()

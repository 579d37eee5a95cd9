# SOCKDRILL_FUZZ: libFuzzer targets (fuzz/), with clang. Every target is built with coverage
# instrumentation (-fsanitize=fuzzer-no-link) so the fuzzers see into the libraries; the fuzz
# targets link libFuzzer itself. Needs SOCKDRILL_SANITIZE (a fuzzer without ASan and UBSan misses
# most of what it is for). Include before any target.
include_guard(GLOBAL)

if(NOT SOCKDRILL_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "SOCKDRILL_FUZZ needs clang (libFuzzer), got ${CMAKE_CXX_COMPILER_ID}: configure "
                      "with -DCMAKE_CXX_COMPILER=clang++ (or the preset `fuzz`) in a build dir of its own")
endif()
if(NOT SOCKDRILL_SANITIZE)
  message(FATAL_ERROR "SOCKDRILL_FUZZ needs SOCKDRILL_SANITIZE=ON (the preset `fuzz` sets both)")
endif()
add_compile_options(-fsanitize=fuzzer-no-link)

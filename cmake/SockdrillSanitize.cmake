# SOCKDRILL_SANITIZE: every target built with AddressSanitizer + UndefinedBehaviorSanitizer, and
# every test run through tests/sanitize/watch.sh, which fails it on a report of any of its processes.
#
# The flags are directory-wide (included before any target), so the programs, the libraries, the
# test binaries and the fuzz targets all get them, at compile and at link time. A report stops
# the process (-fno-sanitize-recover for UBSan; ASan always does).
#
# SOCKDRILL_TEST_LAUNCHER is the watcher's command line (empty when the option is off): a test
# whose COMMAND is a script puts it in front itself. Tests of a built program (add_test and
# gtest_discover_tests alike) get it through the CROSSCOMPILING_EMULATOR target property, which
# CMake puts in front of them whether or not it cross-compiles (3.25 to 3.28 always, later
# versions while policy CMP0158 is OLD, as cmake_minimum_required(3.25) leaves it).
include_guard(GLOBAL)

set(SOCKDRILL_TEST_LAUNCHER "")
if(NOT SOCKDRILL_SANITIZE)
  return()
endif()

set(sockdrill_sanitize_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer)
set(sockdrill_sanitize_link_flags)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # clang 14 cannot emit the vptr and function checks in Asio's coroutines ("error: Cannot
  # represent a difference across sections"); the GCC build keeps them.
  list(APPEND sockdrill_sanitize_flags -fno-sanitize=vptr,function)
else()
  # GCC's shared libasan and libubsan each keep a report file, and libubsan's setting of log_path
  # lands in libasan's: UBSan reports went to stderr, where watch.sh never sees them. Linked
  # statically, the two share one.
  list(APPEND sockdrill_sanitize_link_flags -static-libasan -static-libubsan)
endif()
add_compile_options(${sockdrill_sanitize_flags})
add_link_options(${sockdrill_sanitize_flags} ${sockdrill_sanitize_link_flags})

set(SOCKDRILL_TEST_LAUNCHER "${PROJECT_SOURCE_DIR}/tests/sanitize/watch.sh"
    "${PROJECT_SOURCE_DIR}/tests/sanitize")
set(CMAKE_CROSSCOMPILING_EMULATOR ${SOCKDRILL_TEST_LAUNCHER})

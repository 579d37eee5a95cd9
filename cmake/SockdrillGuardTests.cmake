# sockdrill_guard_tests(): runs existing ctest tests under `sockdrill guard`, which fails a test
# whose processes leak TCP sockets (CLOSE_WAIT past the settle time, servers left running).
#
#   sockdrill_guard_tests([<test>...] [DIRECTORY <dir>] [OPTIONS <guard option>...])
#
# - <test>...: the tests to guard, defined in the same directory (with add_test or
#   gtest_discover_tests, before or after this call). None: every test of that directory.
# - DIRECTORY: the source directory whose tests these are (default: the current one). Tests
#   of its subdirectories are not included: call it there too.
# - OPTIONS: options for `sockdrill guard` (e.g. --settle-ms 2000 --allow LISTEN).
# Each guarded test runs `sockdrill guard [OPTIONS] --report <file> -- <its command>` and
# writes its report to <the directory's binary dir>/sockdrill-guard/<test name>.json. The test
# fails with the command's status when the command failed, else with 1 when it leaked.
#
# How: ctest reads a directory's TEST_INCLUDE_FILES before its tests; the file made here
# redefines add_test() there (once for all directories) so the guarded tests' commands go
# through guard. An argument of a test's command that is empty or holds a ';' does not
# survive that (a CMake list): such tests are better guarded by putting guard in their
# COMMAND. Needs the target sockdrill::sockdrill (find_package(sockdrill), or in sockdrill's
# own tree).
include_guard(GLOBAL)

function(sockdrill_guard_tests)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "DIRECTORY" "OPTIONS")
  if(NOT TARGET sockdrill::sockdrill)
    message(FATAL_ERROR "sockdrill_guard_tests: target sockdrill::sockdrill is not defined; "
                        "call find_package(sockdrill) first")
  endif()
  set(dir "${CMAKE_CURRENT_SOURCE_DIR}")
  if(DEFINED arg_DIRECTORY)
    cmake_path(ABSOLUTE_PATH arg_DIRECTORY BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
               OUTPUT_VARIABLE dir)
    string(REGEX REPLACE "(.)/$" "\\1" dir "${dir}")
  endif()
  if(IS_DIRECTORY "${dir}")
    get_property(bindir DIRECTORY "${dir}" PROPERTY BINARY_DIR)
  endif()
  if(NOT bindir)
    message(FATAL_ERROR "sockdrill_guard_tests: DIRECTORY ${dir} is not a directory of this "
                        "project (add_subdirectory() it first)")
  endif()
  foreach(option IN LISTS arg_OPTIONS)
    if(option MATCHES "^--(report|junit)(=|$)")
      message(FATAL_ERROR "sockdrill_guard_tests: OPTIONS must not hold ${option}: each test's "
                          "report goes to ${bindir}/sockdrill-guard/<test>.json")
    endif()
  endforeach()

  # Several calls for one directory add up; their OPTIONS must agree. The file is written once,
  # at the end (file(GENERATE) takes one content per file).
  get_property(called DIRECTORY "${dir}" PROPERTY SOCKDRILL_GUARD_CALLED)
  get_property(options DIRECTORY "${dir}" PROPERTY SOCKDRILL_GUARD_OPTIONS)
  if(called AND NOT "${options}" STREQUAL "${arg_OPTIONS}")
    message(FATAL_ERROR "sockdrill_guard_tests: OPTIONS \"${arg_OPTIONS}\" differ from those of "
                        "an earlier call for ${dir} (\"${options}\"); one directory has one set")
  endif()
  set_property(DIRECTORY "${dir}" PROPERTY SOCKDRILL_GUARD_OPTIONS "${arg_OPTIONS}")
  if(NOT arg_UNPARSED_ARGUMENTS)
    set_property(DIRECTORY "${dir}" PROPERTY SOCKDRILL_GUARD_ALL TRUE)
  endif()
  set_property(DIRECTORY "${dir}" APPEND PROPERTY SOCKDRILL_GUARD_TESTS ${arg_UNPARSED_ARGUMENTS})
  if(called)
    return()
  endif()
  set_property(DIRECTORY "${dir}" PROPERTY SOCKDRILL_GUARD_CALLED TRUE)
  set(script "${bindir}/sockdrill_guard_tests.cmake")
  get_property(includes DIRECTORY "${dir}" PROPERTY TEST_INCLUDE_FILES)
  # First, so that it is in force before any other include (gtest_discover_tests's) adds tests.
  set_property(DIRECTORY "${dir}" PROPERTY TEST_INCLUDE_FILES "${script}" ${includes})
  # At the end of the top directory: every call for this directory has been made by then (the
  # directory itself may be done already when DIRECTORY names it).
  # (A deferred call's arguments are read when it runs: EVAL fixes their values now.)
  cmake_language(EVAL CODE "cmake_language(DEFER DIRECTORY [==[${CMAKE_SOURCE_DIR}]==] CALL \
    _sockdrill_guard_write [==[${dir}]==] [==[${bindir}]==] [==[${script}]==])")
endfunction()

# Writes the file ctest reads in the directory's CTestTestfile.cmake: what this directory
# guards, and the add_test() that applies it (defined once for all directories: a second
# override would call itself through _add_test).
function(_sockdrill_guard_write dir bindir script)
  get_property(options DIRECTORY "${dir}" PROPERTY SOCKDRILL_GUARD_OPTIONS)
  get_property(tests DIRECTORY "${dir}" PROPERTY SOCKDRILL_GUARD_TESTS)
  get_property(all DIRECTORY "${dir}" PROPERTY SOCKDRILL_GUARD_ALL)
  if(all)
    set(tests "")
  endif()
  file(GENERATE OUTPUT "${script}" CONTENT "\
# Made by sockdrill_guard_tests(): runs this directory's guarded tests under sockdrill guard.
# Its settings are keyed by this directory (real path: as ctest sees it, links resolved).
file(REAL_PATH \"\${CMAKE_CURRENT_LIST_DIR}\" _sockdrill_guard_dir)
string(MD5 _sockdrill_guard_key \"\${_sockdrill_guard_dir}\")
set_property(GLOBAL PROPERTY SOCKDRILL_GUARD_\${_sockdrill_guard_key}_PROGRAM [==[$<TARGET_FILE:sockdrill::sockdrill>]==])
set_property(GLOBAL PROPERTY SOCKDRILL_GUARD_\${_sockdrill_guard_key}_OPTIONS [==[${options}]==])
set_property(GLOBAL PROPERTY SOCKDRILL_GUARD_\${_sockdrill_guard_key}_TESTS [==[${tests}]==])
set_property(GLOBAL PROPERTY SOCKDRILL_GUARD_\${_sockdrill_guard_key}_REPORTS [==[${bindir}/sockdrill-guard]==])
get_property(_sockdrill_guard_defined GLOBAL PROPERTY SOCKDRILL_GUARD_ADD_TEST_DEFINED)
if(NOT _sockdrill_guard_defined)
  set_property(GLOBAL PROPERTY SOCKDRILL_GUARD_ADD_TEST_DEFINED TRUE)
  function(add_test name)
    # The directory whose tests these are: ctest gives the top one no CMAKE_CURRENT_LIST_DIR,
    # but runs each directory's file from that directory.
    set(_dir \"\${CMAKE_CURRENT_LIST_DIR}\")
    if(NOT _dir)
      set(_dir .)
    endif()
    file(REAL_PATH \"\${_dir}\" _dir)
    string(MD5 _key \"\${_dir}\")
    get_property(_program GLOBAL PROPERTY SOCKDRILL_GUARD_\${_key}_PROGRAM)
    get_property(_tests GLOBAL PROPERTY SOCKDRILL_GUARD_\${_key}_TESTS)
    list(FIND _tests \"\${name}\" _at)  # (no IN_LIST: ctest runs this without policies set)
    if(_program AND (NOT _tests OR _at GREATER -1))
      get_property(_options GLOBAL PROPERTY SOCKDRILL_GUARD_\${_key}_OPTIONS)
      get_property(_reports GLOBAL PROPERTY SOCKDRILL_GUARD_\${_key}_REPORTS)
      _add_test(\${name} \"\${_program}\" guard \${_options} --report \"\${_reports}/\${name}.json\" -- \${ARGN})
    else()
      _add_test(\${name} \${ARGN})
    endif()
  endfunction()
endif()
")
endfunction()

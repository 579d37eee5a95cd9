# sockdrill_add_case(): registers a ctest that runs one sockdrill case against programs you build.
#
#   sockdrill_add_case(NAME <test name> CASE <file.json>
#                      [COMMAND_TARGETS <executable target>...]
#                      [DEFINES <NAME>=<VALUE>...]
#                      [TIMEOUT <seconds>] [LABELS <label>...])
#
# The test runs `sockdrill run --define ... --report <dir> <case>`; it passes when the case passes.
# - CASE: a relative path is relative to CMAKE_CURRENT_SOURCE_DIR.
# - COMMAND_TARGETS: each executable target <tgt> becomes the placeholder {<tgt>} (its built file)
#   in the case's `argv`, `env` and `connect.to`; define the targets before this call.
# - DEFINES: more placeholders, {NAME} = VALUE (generator expressions allowed in VALUE).
# - TIMEOUT: the ctest timeout, default SOCKDRILL_CASE_TIMEOUT (120 s); the case's own
#   `timeout_ms` is what normally ends it.
# - LABELS: added to the label "sockdrill".
# The case's report (summary.json, cases/NAME.json) goes to
# ${CMAKE_CURRENT_BINARY_DIR}/sockdrill-reports/<test name>/ (a name with characters other than
# letters, digits, '_', '.' and '-' has them as '_', plus '-' and 8 hex digits of its hash).
# Needs the imported targets sockdrill::sockdrill and sockdrill::peer (find_package(sockdrill)).
include_guard(GLOBAL)

set(SOCKDRILL_CASE_TIMEOUT 120 CACHE STRING "Default ctest TIMEOUT (seconds) of sockdrill_add_case tests")

function(sockdrill_add_case)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME;CASE;TIMEOUT" "COMMAND_TARGETS;DEFINES;LABELS")
  set(where "sockdrill_add_case(${arg_NAME})")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_NAME OR NOT arg_CASE)
    message(FATAL_ERROR "sockdrill_add_case: NAME and CASE are required "
                        "(sockdrill_add_case(NAME <test> CASE <file.json> ...))")
  endif()
  foreach(tgt IN ITEMS sockdrill::sockdrill sockdrill::peer)
    if(NOT TARGET ${tgt})
      message(FATAL_ERROR "${where}: target ${tgt} is not defined; call find_package(sockdrill) first")
    endif()
  endforeach()

  cmake_path(ABSOLUTE_PATH arg_CASE BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
             OUTPUT_VARIABLE case_file)
  if(NOT EXISTS "${case_file}" OR IS_DIRECTORY "${case_file}")
    message(FATAL_ERROR "${where}: case file ${case_file} does not exist")
  endif()

  set(timeout "${SOCKDRILL_CASE_TIMEOUT}")
  if(DEFINED arg_TIMEOUT)
    set(timeout "${arg_TIMEOUT}")
  endif()
  if(NOT timeout MATCHES "^[1-9][0-9]*$")
    message(FATAL_ERROR "${where}: TIMEOUT must be a positive number of seconds, got \"${timeout}\"")
  endif()

  # Placeholder names as sockdrill accepts them in --define: no dot ({PEER.port} is a peer's),
  # and not case_dir (sockdrill's own).
  set(name_regex "^[A-Za-z_][A-Za-z0-9_-]*$")
  set(defines "")
  set(seen "")
  foreach(tgt IN LISTS arg_COMMAND_TARGETS)
    if(NOT TARGET "${tgt}")
      message(FATAL_ERROR "${where}: COMMAND_TARGETS entry \"${tgt}\" is not a target "
                          "(define it with add_executable() before sockdrill_add_case)")
    endif()
    get_target_property(type "${tgt}" TYPE)
    if(NOT type STREQUAL "EXECUTABLE")
      message(FATAL_ERROR "${where}: COMMAND_TARGETS entry \"${tgt}\" is a ${type}, not an executable target")
    endif()
    if(NOT tgt MATCHES "${name_regex}")
      message(FATAL_ERROR "${where}: COMMAND_TARGETS entry \"${tgt}\" cannot be a placeholder name "
                          "(letters, digits, '_' and '-', not starting with a digit or '-', no '.' or "
                          "'::'); pass it as DEFINES <name>=$<TARGET_FILE:${tgt}> instead")
    endif()
    list(APPEND seen "${tgt}")
    list(APPEND defines --define "${tgt}=$<TARGET_FILE:${tgt}>")
  endforeach()
  foreach(def IN LISTS arg_DEFINES)
    if(NOT def MATCHES "^([^=]*)=")
      message(FATAL_ERROR "${where}: DEFINES entry \"${def}\" is not NAME=VALUE")
    endif()
    set(name "${CMAKE_MATCH_1}")
    if(NOT name MATCHES "${name_regex}")
      message(FATAL_ERROR "${where}: DEFINES name \"${name}\" is not a valid placeholder name "
                          "(letters, digits, '_' and '-', not starting with a digit or '-', no '.')")
    endif()
    list(APPEND seen "${name}")
    list(APPEND defines --define "${def}")
  endforeach()
  if("case_dir" IN_LIST seen)
    message(FATAL_ERROR "${where}: {case_dir} is sockdrill's own placeholder; pick another name")
  endif()
  foreach(name IN LISTS seen)
    set(same ${seen})
    list(FILTER same INCLUDE REGEX "^${name}$")
    list(LENGTH same times)
    if(times GREATER 1)
      message(FATAL_ERROR "${where}: placeholder {${name}} is given twice (COMMAND_TARGETS, DEFINES)")
    endif()
  endforeach()

  set(labels sockdrill ${arg_LABELS})
  # A test name is free text; a folder name is not. A name that had to change gets a hash of the
  # original, so "net/a b" and "net_a_b" never share (and overwrite) one report folder.
  string(REGEX REPLACE "[^A-Za-z0-9_.-]" "_" report_name "${arg_NAME}")
  if(NOT report_name STREQUAL arg_NAME OR report_name MATCHES "^[.]+$")
    string(SHA1 name_hash "${arg_NAME}")
    string(SUBSTRING "${name_hash}" 0 8 name_hash)
    set(report_name "${report_name}-${name_hash}")
  endif()
  set(report_dir "${CMAKE_CURRENT_BINARY_DIR}/sockdrill-reports/${report_name}")
  add_test(NAME "${arg_NAME}"
           COMMAND $<TARGET_FILE:sockdrill::sockdrill> run ${defines} --report "${report_dir}"
                   "${case_file}")
  set_tests_properties("${arg_NAME}" PROPERTIES
    TIMEOUT "${timeout}"
    LABELS "${labels}"
    ENVIRONMENT "SOCKDRILL_PEER=$<TARGET_FILE:sockdrill::peer>")
endfunction()

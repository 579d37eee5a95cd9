# sockdrill_soname(VAR LIBRARY...): the soname of the first shared library in the list (a
# pkg-config module's <PREFIX>_LINK_LIBRARIES), read from its dynamic section with objdump, for
# a dlopen() that must find the same library the headers came from.
function(sockdrill_soname out_var)
  foreach(path IN LISTS ARGN)
    if(NOT path MATCHES "\\.so")
      continue()
    endif()
    execute_process(COMMAND "${CMAKE_OBJDUMP}" -p "${path}" OUTPUT_VARIABLE dump
                    RESULT_VARIABLE status ERROR_QUIET)
    if(status EQUAL 0 AND dump MATCHES "SONAME[ \t]+([^ \t\r\n]+)")
      set(${out_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "sockdrill: no soname found in \"${ARGN}\" (objdump: ${CMAKE_OBJDUMP})")
endfunction()

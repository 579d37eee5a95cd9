# Registers one ctest per case file of the case library.
function(sockdrill_register_case_library dir)
  file(GLOB_RECURSE case_files CONFIGURE_DEPENDS "${dir}/*.json")
  list(FILTER case_files EXCLUDE REGEX "schema\\.json$")
  foreach(case_file IN LISTS case_files)
    file(RELATIVE_PATH rel "${dir}" "${case_file}")
    string(REGEX REPLACE "\\.json$" "" name "${rel}")
    add_test(NAME "case/${name}"
             COMMAND $<TARGET_FILE:sockdrill> run "${case_file}")
    set_tests_properties("case/${name}" PROPERTIES LABELS "case" TIMEOUT 120
                         FIXTURES_REQUIRED host_state
                         ENVIRONMENT "SOCKDRILL_PEER=$<TARGET_FILE:sockdrill-peer>")
    # Field size (scale/field/): the whole machine for a minute; alone, and left out with
    # `ctest -LE field_size` (the quick run, the sanitizer run).
    if(rel MATCHES "^scale/field/")
      set_tests_properties("case/${name}" PROPERTIES LABELS "case;field_size" TIMEOUT 300 RUN_SERIAL TRUE)
    endif()
  endforeach()
endfunction()

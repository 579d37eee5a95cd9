# Install rules: the two programs, the GoogleTest leak check and the CMake package that
# find_package(sockdrill) loads.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SOCKDRILL_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/sockdrill"
    CACHE STRING "Where the CMake package of sockdrill is installed (relative to the prefix)")

# Exported as sockdrill::sockdrill and sockdrill::peer, the same names as the in-tree aliases.
set_target_properties(sockdrill-peer PROPERTIES EXPORT_NAME peer)
install(TARGETS sockdrill sockdrill-peer EXPORT sockdrillTargets
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(EXPORT sockdrillTargets NAMESPACE sockdrill:: FILE sockdrillTargets.cmake
        DESTINATION "${SOCKDRILL_INSTALL_CMAKEDIR}")

# Component gtest: the leak check's static libraries and <sockdrill/leak_check.hpp>, in an export
# set of their own so that only a project asking for them needs GoogleTest and libmnl.
if(SOCKDRILL_GTEST)
  set(sockdrill_gtest_libraries sockdrill_gtest sockdrill_gtest_main sockdrill_socket_table
      sockdrill_socket_text)
  foreach(library IN LISTS sockdrill_gtest_libraries)
    string(REGEX REPLACE "^sockdrill_" "" export_name "${library}")
    set_target_properties(${library} PROPERTIES EXPORT_NAME ${export_name})
  endforeach()
  if(SOCKDRILL_SANITIZE)
    # Built with the sanitizers, the libraries need their runtime in whatever links them.
    target_link_options(sockdrill_socket_text INTERFACE
      "$<INSTALL_INTERFACE:${sockdrill_sanitize_flags};${sockdrill_sanitize_link_flags}>")
  endif()
  install(TARGETS ${sockdrill_gtest_libraries} EXPORT sockdrillGTestTargets
          ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
          INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
  install(FILES "${PROJECT_SOURCE_DIR}/gtest/sockdrill/leak_check.hpp"
          DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/sockdrill")
  install(EXPORT sockdrillGTestTargets NAMESPACE sockdrill:: FILE sockdrillGTestTargets.cmake
          DESTINATION "${SOCKDRILL_INSTALL_CMAKEDIR}")
endif()

configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/sockdrillConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/package/sockdrillConfig.cmake"
  INSTALL_DESTINATION "${SOCKDRILL_INSTALL_CMAKEDIR}")
# 0.x: a minor version may change the case format, so only the same minor version matches.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/package/sockdrillConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/package/sockdrillConfig.cmake"
              "${PROJECT_BINARY_DIR}/package/sockdrillConfigVersion.cmake"
              "${CMAKE_CURRENT_LIST_DIR}/SockdrillAddCase.cmake"
              "${CMAKE_CURRENT_LIST_DIR}/SockdrillGuardTests.cmake"
        DESTINATION "${SOCKDRILL_INSTALL_CMAKEDIR}")

# The case format's reference travels with the programs (`sockdrill --help` names it).
install(FILES "${PROJECT_SOURCE_DIR}/docs/case-format.md" "${PROJECT_SOURCE_DIR}/docs/verdicts.md"
              "${PROJECT_SOURCE_DIR}/docs/gtest-leak-check.md" "${PROJECT_SOURCE_DIR}/docs/guard.md"
              "${PROJECT_SOURCE_DIR}/docs/snapshot.md"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}")

# Install rules: the two programs and the CMake package that find_package(sockdrill) loads.
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
        DESTINATION "${CMAKE_INSTALL_DOCDIR}")

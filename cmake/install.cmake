# What `cmake --install` places: the public headers, the shared and the static library,
# the `stepcare` program, the bundled questionnaires, a CMake package and a pkg-config
# file. Every path inside the package files is relative to where they are installed, so
# `cmake --install build --prefix DIR` gives a tree that works wherever DIR is.
include(CMakePackageConfigHelpers)

set(STEPCARE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/stepcare)
set(STEPCARE_QUESTIONNAIRES_DIR ${CMAKE_INSTALL_DATADIR}/stepcare/questionnaires)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/engine/include/stepcare
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS stepcare_shared EXPORT stepcare-targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS stepcare_engine EXPORT stepcare-static-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS stepcare_installed RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/questionnaires/
  DESTINATION ${STEPCARE_QUESTIONNAIRES_DIR}
  FILES_MATCHING PATTERN "*.sq")

# The CMake package: find_package(stepcare) gives stepcare::stepcare (shared), and
# find_package(stepcare COMPONENTS static) also stepcare::stepcare_static.
install(EXPORT stepcare-targets NAMESPACE stepcare:: DESTINATION ${STEPCARE_CMAKE_DIR})
install(EXPORT stepcare-static-targets NAMESPACE stepcare:: DESTINATION ${STEPCARE_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/stepcare-config.cmake.in
  ${PROJECT_BINARY_DIR}/stepcare-config.cmake
  INSTALL_DESTINATION ${STEPCARE_CMAKE_DIR}
  PATH_VARS STEPCARE_QUESTIONNAIRES_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/stepcare-config-version.cmake
  COMPATIBILITY ${STEPCARE_COMPATIBILITY})
install(FILES
  ${PROJECT_BINARY_DIR}/stepcare-config.cmake
  ${PROJECT_BINARY_DIR}/stepcare-config-version.cmake
  DESTINATION ${STEPCARE_CMAKE_DIR})

# pkg-config finds the prefix from the file's own place (${pcfiledir}).
file(RELATIVE_PATH STEPCARE_PC_TO_PREFIX
  ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" STEPCARE_PC_TO_PREFIX "${STEPCARE_PC_TO_PREFIX}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/stepcare.pc.in ${PROJECT_BINARY_DIR}/stepcare.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/stepcare.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Install and export so that another CMake project can `find_package(continuum)`.
install(EXPORT continuumTargets NAMESPACE continuum:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/continuum)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/continuumConfig.cmake.in
  ${PROJECT_BINARY_DIR}/continuumConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/continuum)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/continuumConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/continuumConfig.cmake ${PROJECT_BINARY_DIR}/continuumConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/FindGLPK.cmake ${PROJECT_SOURCE_DIR}/cmake/FindLibdeflate.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/continuum)
install(FILES ${PROJECT_BINARY_DIR}/generated/continuum/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/continuum/continuum)

# Shared settings for continuum's own targets.
add_library(continuum_warnings INTERFACE)
target_compile_options(continuum_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
  -Wno-sign-conversion -Wno-missing-field-initializers $<$<BOOL:${CONTINUUM_WERROR}>:-Werror>
  # GCC 12 reports false -Wrestrict positives inside std::string at -O3 (GCC PR 105329).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)

add_library(continuum_sanitizers INTERFACE)
if(CONTINUUM_SANITIZE)
  target_compile_options(continuum_sanitizers INTERFACE -fsanitize=${CONTINUUM_SANITIZE}
    -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(continuum_sanitizers INTERFACE -fsanitize=${CONTINUUM_SANITIZE})
endif()
# Fuzzing instruments every continuum library for libFuzzer's coverage feedback; only the fuzz
# targets themselves link libFuzzer's main (-fsanitize=fuzzer), so the other programs still run.
if(CONTINUUM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CONTINUUM_FUZZ needs clang (libFuzzer); configure with -DCMAKE_CXX_COMPILER=clang++ "
      "-DCMAKE_C_COMPILER=clang, or see .ci/sanitize")
  endif()
  target_compile_options(continuum_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()
install(TARGETS continuum_warnings continuum_sanitizers EXPORT continuumTargets)

# continuum_layer(<name> <dir>...): one library per architectural layer, sources globbed from
# the layer's folders so that adding a model or policy file needs no CMake edit.
function(continuum_layer name)
  set(sources "")
  foreach(dir IN LISTS ARGN)
    file(GLOB_RECURSE found CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${dir}/*.cpp)
    list(APPEND sources ${found})
  endforeach()
  list(FILTER sources EXCLUDE REGEX "/sim/cli/")
  if(NOT sources)  # a layer whose files are all headers so far
    set(sources ${PROJECT_BINARY_DIR}/generated/empty_${name}.cpp)
    file(WRITE ${sources} "// layer ${name} has no compiled sources yet\n")
  endif()
  add_library(continuum_${name} ${sources})
  add_library(continuum::${name} ALIAS continuum_${name})
  set_target_properties(continuum_${name} PROPERTIES EXPORT_NAME ${name} POSITION_INDEPENDENT_CODE ON)
  target_include_directories(continuum_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}> $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/generated>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/continuum>)
  target_link_libraries(continuum_${name} PRIVATE $<BUILD_INTERFACE:continuum_warnings>
    PUBLIC $<BUILD_INTERFACE:continuum_sanitizers>)
  target_compile_features(continuum_${name} PUBLIC cxx_std_20)
  install(TARGETS continuum_${name} EXPORT continuumTargets)
  foreach(dir IN LISTS ARGN)
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/continuum/${dir}
      FILES_MATCHING PATTERN "*.hpp")
  endforeach()
endfunction()

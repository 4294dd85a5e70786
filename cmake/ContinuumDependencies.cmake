# Every third-party library continuum uses, found once here.
find_package(Boost 1.74 REQUIRED COMPONENTS graph random program_options)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(GLPK REQUIRED)
find_package(HDF5 REQUIRED COMPONENTS C)
# The trace writer assembles HDF5's deflate chunks itself: zlib codes them, libdeflate checksums
# them (Adler-32, ~15x zlib's speed) and compresses the `small` mode.
find_package(ZLIB REQUIRED)
find_package(Libdeflate REQUIRED)
find_package(Threads REQUIRED)
if(CONTINUUM_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(CONTINUUM_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

# yaml-cpp 0.7 exports a plain `yaml-cpp` target; newer ones add a namespace.
if(TARGET yaml-cpp::yaml-cpp)
  set(CONTINUUM_YAML_TARGET yaml-cpp::yaml-cpp)
else()
  set(CONTINUUM_YAML_TARGET yaml-cpp)
endif()

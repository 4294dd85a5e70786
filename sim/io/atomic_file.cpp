#include "sim/io/atomic_file.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <ios>
#include <string>

namespace continuum::io {

std::filesystem::path temporary_sibling(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  auto name =
      path.filename().string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  return path.parent_path() / name;
}

bool is_special_file(const std::filesystem::path& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  return !error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status);
}

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
  if (is_special_file(path)) {
    std::ofstream out(path, std::ios::binary);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) throw std::ios_base::failure("cannot write " + path.string());
    return;
  }
  const auto temporary = temporary_sibling(path);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::ios_base::failure("cannot write " + path.string());
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) {
      std::remove(temporary.c_str());
      throw std::ios_base::failure("cannot write " + path.string());
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary);
    throw std::ios_base::failure("cannot write " + path.string() + ": " + error.message());
  }
}

}  // namespace continuum::io

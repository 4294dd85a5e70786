#pragma once
// Outputs are written under a temporary name in the same directory and renamed into place, so an
// interrupted run never leaves a partial file under the final name.
#include <filesystem>
#include <string_view>

namespace continuum::io {

/// Writes `contents` to `path` atomically; throws std::ios_base::failure naming the path on error.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);
/// A unique temporary sibling of `path` (same directory, so the rename cannot cross filesystems).
std::filesystem::path temporary_sibling(const std::filesystem::path& path);

}  // namespace continuum::io

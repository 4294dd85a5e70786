#pragma once
// Outputs are written under a temporary name in the same directory and renamed into place, so an
// interrupted run never leaves a partial file under the final name.
#include <filesystem>
#include <string_view>

namespace continuum::io {

/// Writes `contents` to `path` atomically; throws std::ios_base::failure naming the path on error.
/// A `path` that exists and is not a regular file (/dev/null, /dev/stdout, a FIFO) is written in
/// place: renaming over it would replace the device (for everyone, when running as root).
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);
/// Whether `path` exists and is not a regular file (nor a symbolic link to one).
bool is_special_file(const std::filesystem::path& path);
/// A unique temporary sibling of `path` (same directory, so the rename cannot cross filesystems).
std::filesystem::path temporary_sibling(const std::filesystem::path& path);

}  // namespace continuum::io

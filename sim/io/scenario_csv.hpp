#pragma once
// One column of a small CSV file (arrival traces, measured samples), with the position of every
// cell so that a bad value is reported at its line and column. Internal to sim/io.
#include <cstddef>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "sim/io/yaml_field.hpp"

namespace continuum::io::detail {

struct CsvCell {
  std::string text;  // trimmed, quotes removed
  int line;          // 1-based
  int column;        // 1-based, where the cell starts
};

/// The cells of `column` (0-based index, or a header name: then the first row is the header and is
/// not returned). Blank lines and lines starting with '#' are skipped; cells follow RFC 4180 quoting.
/// An unreadable file is reported at `file_field` (the YAML `file:` node); a row without the column
/// or an unknown header name is a LoadError in the CSV file itself.
std::vector<CsvCell> read_csv_column(const std::filesystem::path& path,
                                     const std::variant<std::size_t, std::string>& column,
                                     const Field& file_field);

}  // namespace continuum::io::detail

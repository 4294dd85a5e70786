#include "sim/io/scenario_csv.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/io/input_file.hpp"

namespace continuum::io::detail {

namespace {

std::vector<CsvCell> split_row(const std::string& row, int line) {
  std::vector<CsvCell> cells;
  std::size_t i = 0;
  for (;;) {
    while (i < row.size() && (row[i] == ' ' || row[i] == '\t')) ++i;
    CsvCell cell{"", line, static_cast<int>(i) + 1};
    if (i < row.size() && row[i] == '"') {
      ++i;
      while (i < row.size()) {
        if (row[i] == '"') {
          if (i + 1 < row.size() && row[i + 1] == '"') {  // "" is a quote inside a quoted cell
            cell.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        cell.text += row[i++];
      }
      while (i < row.size() && row[i] != ',') ++i;
    } else {
      while (i < row.size() && row[i] != ',') cell.text += row[i++];
      while (!cell.text.empty() && (cell.text.back() == ' ' || cell.text.back() == '\t'))
        cell.text.pop_back();
    }
    cells.push_back(std::move(cell));
    if (i >= row.size()) break;
    ++i;  // the comma
  }
  return cells;
}

}  // namespace

std::vector<CsvCell> read_csv_column(const std::filesystem::path& path,
                                     const std::variant<std::size_t, std::string>& column,
                                     const Field& file_field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) file_field.fail("cannot read " + quote(path.string()) + ": " + std::strerror(errno));
  // Opened, but it may be a directory, a device that never ends, or far too large.
  if (const auto problem = input_file_problem(path, "CSV file " + quote(path.string()), max_csv_input_bytes))
    file_field.fail(*problem);
  const std::string file = path.string();
  std::vector<CsvCell> cells;
  std::optional<std::size_t> index;
  if (const auto* i = std::get_if<std::size_t>(&column)) index = *i;
  std::string row;
  int line = 0;
  while (std::getline(in, row)) {
    ++line;
    if (!row.empty() && row.back() == '\r') row.pop_back();
    const auto first = row.find_first_not_of(" \t");
    if (first == std::string::npos || row[first] == '#') continue;
    std::vector<CsvCell> fields = split_row(row, line);
    if (!index) {  // the header row names the column
      const std::string& name = std::get<std::string>(column);
      std::vector<std::string> names;
      for (const CsvCell& cell : fields) names.push_back(cell.text);
      for (std::size_t k = 0; k < fields.size() && !index; ++k)
        if (fields[k].text == name) index = k;
      if (!index)
        throw LoadError(
            file, line, 1, file_field.path(),
            "no column named " + quote(name) + " in the header" + hint_and_list(name, names, "columns"));
      continue;
    }
    if (*index >= fields.size())
      throw LoadError(file, line, static_cast<int>(row.size()) + 1, file_field.path(),
                      "this row has " + std::to_string(fields.size()) + " column(s); column " +
                          std::to_string(*index) + " (counted from 0) is missing");
    cells.push_back(std::move(fields[*index]));
  }
  if (in.bad()) file_field.fail("cannot read " + quote(file) + ": read error");
  return cells;
}

}  // namespace continuum::io::detail

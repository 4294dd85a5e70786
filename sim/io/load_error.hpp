#pragma once
// The one error type of scenario loading. what() is a single line,
// "FILE:LINE:COL: FIELD.PATH: message", as compilers print it, so editors can jump to the spot:
//   mask.yaml:12:16: network.domains.wifi.bandwidth: expected a bandwidth such as 150Mbps ...; got "10ms",
//   which is a time
// LINE and COL are 1-based; both are 0 when no position applies (a file that cannot be opened), and
// then what() is "FILE: message". FIELD is empty for errors about the file as a whole.
#include <stdexcept>
#include <string>
#include <utility>

namespace continuum::io {

/// A position in a file, 1-based (as LoadError prints it).
struct SourcePlace {
  std::string file;
  int line = 0;
  int column = 0;
};

struct LoadError : std::runtime_error {
  LoadError(std::string file_name, int line_number, int column_number, std::string field_path,
            const std::string& text)
      : std::runtime_error(format(file_name, line_number, column_number, field_path, text)),
        file(std::move(file_name)),
        line(line_number),
        column(column_number),
        field(std::move(field_path)),
        message(text) {}

  std::string file;
  int line;
  int column;
  std::string field;
  std::string message;  // without the position and the field

 private:
  static std::string format(const std::string& file_name, int line_number, int column_number,
                            const std::string& field_path, const std::string& message) {
    std::string text = file_name;
    if (line_number > 0) text += ":" + std::to_string(line_number) + ":" + std::to_string(column_number);
    text += ": ";
    if (!field_path.empty()) text += field_path + ": ";
    // One line, whatever the message holds (a YAML value quoted in it may contain newlines).
    for (char c : message) text += (c == '\n' || c == '\r') ? ' ' : c;
    return text;
  }
};

}  // namespace continuum::io

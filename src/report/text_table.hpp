// TextTable: columns of text aligned by display width (UTF-8 aware), for the stdout report.
#pragma once

#include <string>
#include <vector>

namespace fanout {

class TextTable {
 public:
  enum class Align { left, right };
  struct Column {
    std::string header;
    Align align = Align::right;
  };

  explicit TextTable(std::vector<Column> columns);
  /// A row with one cell per column (missing cells are blank, extra ones dropped).
  void add_row(std::vector<std::string> cells);
  /// Header, then rows; columns separated by two spaces, each line indented by `indent`, no
  /// trailing spaces.
  std::string render(const std::string& indent = "") const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

/// Display width of UTF-8 text: code points, which is right for the Latin text, "µ" and "±" used
/// here.
std::size_t display_width(const std::string& s);

}  // namespace fanout

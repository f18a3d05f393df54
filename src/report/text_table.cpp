// Aligned text columns.
#include "report/text_table.hpp"

#include <algorithm>

namespace fanout {

std::size_t display_width(const std::string& s) {
  // Count bytes that do not continue a multi-byte sequence (10xxxxxx).
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

TextTable::TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

void TextTable::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::render(const std::string& indent) const {
  std::vector<std::size_t> width(columns_.size(), 0);
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    width[c] = display_width(columns_[c].header);
    for (const auto& row : rows_) width[c] = std::max(width[c], display_width(row[c]));
  }
  auto line = [&](auto cell_of) {
    std::string out = indent;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const std::string& text = cell_of(c);
      const std::string pad(width[c] - display_width(text), ' ');
      if (c > 0) out += "  ";
      out += columns_[c].align == Align::right ? pad + text : text + pad;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line([&](std::size_t c) -> const std::string& { return columns_[c].header; });
  for (const auto& row : rows_) {
    out += line([&](std::size_t c) -> const std::string& { return row[c]; });
  }
  return out;
}

}  // namespace fanout

#include "sim/io/hdf5_table.hpp"

#include <algorithm>
#include <stdexcept>

namespace continuum::io::hdf5 {

namespace {

/// Every byte of the row must belong to exactly one column: the block goes to disk as it is.
void check_layout(const std::string& path, std::size_t row_size, const std::vector<Column>& columns) {
  if (columns.empty()) throw std::logic_error("table " + path + ": no columns");
  std::vector<unsigned char> covered(row_size, 0);
  for (const auto& column : columns) {
    if (column.offset + column.size > row_size)
      throw std::logic_error("table " + path + ": column " + column.name + " lies outside the row");
    for (std::size_t b = column.offset; b < column.offset + column.size; ++b) {
      if (covered[b])
        throw std::logic_error("table " + path + ": column " + column.name + " overlaps another");
      covered[b] = 1;
    }
  }
  if (std::find(covered.begin(), covered.end(), 0) != covered.end())
    throw std::logic_error("table " + path + ": the row type has padding or members without a column");
}

std::vector<std::string> column_field(const std::vector<Column>& columns, std::string Column::*field) {
  std::vector<std::string> values;
  values.reserve(columns.size());
  for (const auto& column : columns) values.push_back(column.*field);
  return values;
}

}  // namespace

Table::Table(hid_t parent, const std::string& path, std::size_t row_size, const std::vector<Column>& columns,
             const TableOptions& options, std::string_view description)
    : row_size_(row_size), path_(path) {
  check_layout(path, row_size, columns);
  if (options.chunk_rows == 0 || options.block_rows == 0)
    throw std::invalid_argument("table " + path + ": empty block");
  if (options.deflate_level < 0 || options.deflate_level > 9)
    throw std::invalid_argument("table " + path + ": deflate level must be 0..9");
  const std::size_t chunks = (options.block_rows + options.chunk_rows - 1) / options.chunk_rows;
  block_rows_ = chunks * options.chunk_rows;

  type_ = Handle(H5Tcreate(H5T_COMPOUND, row_size), H5Tclose, "creating the row type of " + path);
  for (const auto& column : columns)
    check(H5Tinsert(type_.get(), column.name.c_str(), column.offset, column.type()),
          "adding column " + column.name + " to " + path);

  const hsize_t initial = 0, unlimited = H5S_UNLIMITED;
  Handle space(H5Screate_simple(1, &initial, &unlimited), H5Sclose, "creating the dataspace of " + path);
  Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "creating dataset properties");
  const hsize_t chunk = options.chunk_rows;
  check(H5Pset_chunk(properties.get(), 1, &chunk), "chunking " + path);
  if (options.deflate_level > 0) {
    if (options.shuffle) check(H5Pset_shuffle(properties.get()), "enabling shuffle on " + path);
    check(H5Pset_deflate(properties.get(), static_cast<unsigned>(options.deflate_level)),
          "enabling deflate on " + path);
  }
  // Every row is written before the file closes: filling chunks first would be wasted work.
  check(H5Pset_fill_time(properties.get(), H5D_FILL_TIME_NEVER), "setting the fill time of " + path);
  Handle links(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "creating link properties");
  check(H5Pset_create_intermediate_group(links.get(), 1), "allowing intermediate groups");
  dataset_ = Handle(
      H5Dcreate2(parent, path.c_str(), type_.get(), space.get(), links.get(), properties.get(), H5P_DEFAULT),
      H5Dclose, "creating table " + path);

  write_attribute(dataset_.get(), "description", description);
  write_attribute(dataset_.get(), "columns", column_field(columns, &Column::name));
  write_attribute(dataset_.get(), "units", column_field(columns, &Column::unit));
  write_attribute(dataset_.get(), "column_descriptions", column_field(columns, &Column::description));
}

void Table::grow() {
  // Doubling up to one block: a table of a few rows costs a few rows, a long one exactly a block.
  const std::size_t rows = std::min(block_rows_, std::max<std::size_t>(64, 2 * buffer_.size() / row_size_));
  buffer_.resize(rows * row_size_);
}

void Table::flush() {
  if (buffered_ == 0) return;
  const hsize_t start = written_, count = buffered_, extent = written_ + buffered_;
  check(H5Dset_extent(dataset_.get(), &extent), "extending " + path_);
  Handle file_space(H5Dget_space(dataset_.get()), H5Sclose, "getting the dataspace of " + path_);
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
        "selecting rows of " + path_);
  Handle memory_space(H5Screate_simple(1, &count, nullptr), H5Sclose, "creating a memory dataspace");
  check(H5Dwrite(dataset_.get(), type_.get(), memory_space.get(), file_space.get(), H5P_DEFAULT,
                 buffer_.data()),
        "writing rows of " + path_);
  written_ += buffered_;
  buffered_ = 0;
}

void Table::close() {
  if (!dataset_.valid()) return;
  flush();
  type_.close();
  dataset_.close();
}

File::File(const std::filesystem::path& path)
    : file_(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
            "cannot create " + path.string()) {}

File::~File() = default;

Table& File::add_untyped_table(const std::string& path, std::size_t row_size,
                               const std::vector<Column>& columns, const TableOptions& options,
                               std::string_view description) {
  tables_.push_back(std::make_unique<Table>(file_.get(), path, row_size, columns, options, description));
  return *tables_.back();
}

void File::close() {
  for (auto& table : tables_) table->close();
  file_.close();
}

}  // namespace continuum::io::hdf5

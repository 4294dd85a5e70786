#include "sim/io/hdf5_table.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ios>
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
             const TableOptions& options, std::string_view description, detail::Compressor* compressor)
    : row_size_(row_size), compressor_(compressor), path_(path) {
  check_layout(path, row_size, columns);
  if (options.chunk_rows == 0 || options.block_rows == 0)
    throw std::invalid_argument("table " + path + ": empty block");
  if (options.deflate_level < 0 || options.deflate_level > 9)
    throw std::invalid_argument("table " + path + ": deflate level must be 0..9");
  const std::size_t chunks = (options.block_rows + options.chunk_rows - 1) / options.chunk_rows;
  block_rows_ = chunks * options.chunk_rows;
  chunk_rows_ = options.chunk_rows;
  options_ = options;

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
  // Chunks are written whole (H5Dwrite_chunk): filling them first would be wasted work.
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

// Pending jobs own their blocks and reference nothing of the table: it may go before they finish.
Table::~Table() = default;

namespace detail {

Compressor::~Compressor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::future<Block> Compressor::submit(std::packaged_task<Block()> job) {
  auto result = job.get_future();
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
    if (!thread_.joinable()) thread_ = std::thread(&Compressor::work, this);
  }
  wake_.notify_one();
  return result;
}

void Compressor::work() {
  for (;;) {
    std::packaged_task<Block()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and every job done
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();  // an exception is stored in the job's future
  }
}

}  // namespace detail

void Table::grow() {
  // Doubling up to one block: a table of a few rows costs a few rows, a long one exactly a block.
  const std::size_t rows = std::min(block_rows_, std::max<std::size_t>(64, 2 * buffer_.size() / row_size_));
  buffer_.resize(rows * row_size_);
}

namespace {

/// HDF5's shuffle filter (H5Zshuffle.c): byte b of element i goes to b·n + i, so the n first
/// bytes of all elements come first, then the n second bytes, ... Tiles of 16 elements keep both
/// the reads and the writes within a few cache lines.
void shuffle(const std::byte* in, unsigned char* out, std::size_t n, std::size_t size) {
  constexpr std::size_t tile = 16;
  const auto* bytes = reinterpret_cast<const unsigned char*>(in);
  std::size_t i0 = 0;
  for (; i0 + tile <= n; i0 += tile)
    for (std::size_t b = 0; b < size; ++b) {
      unsigned char* o = out + b * n + i0;
      const unsigned char* p = bytes + i0 * size + b;
      for (std::size_t i = 0; i < tile; ++i) o[i] = p[i * size];
    }
  for (std::size_t b = 0; b < size; ++b)
    for (std::size_t i = i0; i < n; ++i) out[b * n + i] = bytes[i * size + b];
}

/// Shannon entropy of a byte sequence in bits per byte (8 for uniformly random bytes), estimated
/// from every 4th byte: 4096 samples of a 16 Ki-byte plane bias it low by only ~0.05 bit.
double byte_entropy(const unsigned char* data, std::size_t size) {
  constexpr std::size_t stride = 4;
  std::array<std::uint32_t, 256> counts{};
  std::size_t samples = 0;
  for (std::size_t i = 0; i < size; i += stride, ++samples) ++counts[data[i]];
  double entropy = 0.0;
  for (const auto count : counts)
    if (count) {
      const double p = static_cast<double>(count) / static_cast<double>(samples);
      entropy -= p * std::log2(p);
    }
  return entropy;
}

/// Above this many bits per byte a byte plane is stored, not Huffman-coded: coding would save at
/// most ~6 % of it, for most of the compression time (the low mantissa bytes of times and
/// energies are such planes).
constexpr double stored_plane_entropy = 7.5;

/// Appends one chunk as the deflate filter stores it, a zlib stream (RFC 1950), to `out`. With
/// `plane` > 0 the chunk is shuffled (size / plane byte planes) and each plane is either
/// run-length/Huffman coded or, when it looks random, kept in stored blocks: switching the level
/// within one stream (deflateParams) keeps it a single standard zlib stream.
void deflate_chunk(const unsigned char* data, std::size_t size, std::size_t plane, int level,
                   std::vector<unsigned char>& out) {
  z_stream stream{};
  if (deflateInit2(&stream, level, Z_DEFLATED, 15, 8, Z_RLE) != Z_OK)
    throw std::ios_base::failure("zlib: cannot start compression");
  const std::size_t start = out.size();
  out.resize(start + size + size / 8 + 4096);
  stream.next_out = out.data() + start;
  stream.avail_out = static_cast<uInt>(out.size() - start);
  // Keeps room for zlib's output, moving next_out along when the buffer grows.
  const auto ensure_room = [&] {
    if (stream.avail_out >= 1024) return;
    const std::size_t used = static_cast<std::size_t>(stream.next_out - out.data());
    out.resize(out.size() + size / 4 + 4096);
    stream.next_out = out.data() + used;
    stream.avail_out = static_cast<uInt>(out.size() - used);
  };
  const auto fail = [&](const char* what) {
    deflateEnd(&stream);
    throw std::ios_base::failure(std::string("zlib: ") + what);
  };
  const std::size_t step = plane > 0 ? plane : size;
  int current = level;
  for (std::size_t offset = 0; offset < size; offset += step) {
    const unsigned char* piece = data + offset;
    const std::size_t length = std::min(step, size - offset);
    const int wanted = plane > 0 && byte_entropy(piece, length) > stored_plane_entropy ? 0 : level;
    if (wanted != current) {
      int status;
      while ((status = deflateParams(&stream, wanted, Z_RLE)) == Z_BUF_ERROR) {
        stream.avail_out = std::min<uInt>(stream.avail_out, 1023);  // force ensure_room to grow
        ensure_room();
      }
      if (status != Z_OK) fail("cannot switch the compression level");
      current = wanted;
    }
    stream.next_in = const_cast<unsigned char*>(piece);  // zlib's API is not const-correct
    stream.avail_in = static_cast<uInt>(length);
    while (stream.avail_in > 0) {
      ensure_room();
      if (deflate(&stream, Z_NO_FLUSH) == Z_STREAM_ERROR) fail("compression failed");
    }
  }
  for (;;) {
    ensure_room();
    const int status = deflate(&stream, Z_FINISH);
    if (status == Z_STREAM_END) break;
    if (status != Z_OK && status != Z_BUF_ERROR) fail("compression failed");
  }
  out.resize(static_cast<std::size_t>(stream.next_out - out.data()));
  deflateEnd(&stream);
}

/// Encodes each chunk of `block`; the last chunk is padded with zero rows to the full chunk size,
/// as HDF5 stores partial edge chunks (rows past the extent are never read).
detail::Block encode(detail::Block block, std::size_t row_size, std::size_t chunk_rows,
                     const TableOptions& options) {
  const std::size_t chunk_bytes = chunk_rows * row_size;
  const std::size_t chunks = (block.count + chunk_rows - 1) / chunk_rows;
  // Zero the padding: the buffer may be recycled and hold an older block's rows there.
  block.rows.resize(chunks * chunk_bytes);
  std::fill(block.rows.begin() + static_cast<std::ptrdiff_t>(block.count * row_size), block.rows.end(),
            std::byte{0});
  const auto* raw = reinterpret_cast<const unsigned char*>(block.rows.data());
  block.encoded.clear();
  block.chunk_ends.clear();
  if (options.deflate_level == 0) {
    block.encoded.assign(raw, raw + chunks * chunk_bytes);
    for (std::size_t c = 1; c <= chunks; ++c) block.chunk_ends.push_back(c * chunk_bytes);
    return block;
  }
  block.encoded.reserve(chunks * chunk_bytes / 2);
  std::vector<unsigned char> shuffled(options.shuffle ? chunk_bytes : 0);
  for (std::size_t c = 0; c < chunks; ++c) {
    const unsigned char* chunk = raw + c * chunk_bytes;
    if (options.shuffle) {
      shuffle(block.rows.data() + c * chunk_bytes, shuffled.data(), chunk_rows, row_size);
      chunk = shuffled.data();
    }
    deflate_chunk(chunk, chunk_bytes, options.shuffle ? chunk_rows : 0, options.deflate_level, block.encoded);
    block.chunk_ends.push_back(block.encoded.size());
  }
  return block;
}

}  // namespace

void Table::submit() {
  if (buffered_ == 0) return;
  const bool streaming = buffered_ == block_rows_;  // a full block: more will follow
  detail::Block block{std::move(buffer_), buffered_, submitted_, {}, {}};
  submitted_ += buffered_;
  buffered_ = 0;
  if (!spare_.empty()) {
    buffer_ = std::move(spare_.back());
    spare_.pop_back();
  } else {
    buffer_ = std::vector<std::byte>(streaming ? block_rows_ * row_size_ : 0);
  }
  write_ready(options_.max_pending_blocks > 0 ? options_.max_pending_blocks - 1 : 0);
  if (compressor_ && options_.background && options_.max_pending_blocks > 0) {
    pending_.push_back(compressor_->submit(std::packaged_task<detail::Block()>(
        [block = std::move(block), row_size = row_size_, chunk_rows = chunk_rows_,
         options = options_]() mutable { return encode(std::move(block), row_size, chunk_rows, options); })));
  } else {
    write(encode(std::move(block), row_size_, chunk_rows_, options_));
  }
}

void Table::write_ready(std::size_t keep_pending) {
  // Blocks go to the file in order: wait for the oldest while too many are pending, then take
  // whatever else has already finished.
  while (!pending_.empty() &&
         (pending_.size() > keep_pending ||
          pending_.front().wait_for(std::chrono::seconds(0)) == std::future_status::ready)) {
    detail::Block block = pending_.front().get();
    pending_.pop_front();
    write(std::move(block));
  }
}

void Table::write(detail::Block block) {
  const hsize_t extent = block.first_row + block.count;
  check(H5Dset_extent(dataset_.get(), &extent), "extending " + path_);
  std::size_t begin = 0;
  for (std::size_t c = 0; c < block.chunk_ends.size(); ++c) {
    const hsize_t offset = block.first_row + c * chunk_rows_;
    const std::size_t end = block.chunk_ends[c];
    // Filter mask 0: every filter of the pipeline (shuffle, deflate) has been applied.
    check(H5Dwrite_chunk(dataset_.get(), H5P_DEFAULT, 0, &offset, end - begin, block.encoded.data() + begin),
          "writing rows of " + path_);
    begin = end;
  }
  if (spare_.size() <= options_.max_pending_blocks) {
    block.rows.resize(block_rows_ * row_size_);
    spare_.push_back(std::move(block.rows));
  }
}

void Table::close() {
  if (!dataset_.valid()) return;
  submit();
  write_ready(0);
  type_.close();
  dataset_.close();
}

namespace {

hid_t create_file(const std::filesystem::path& path) {
  // Failures become exceptions with a message of their own: HDF5's diagnostic stack on standard
  // error would only repeat it (this setting is process-wide; continuum never relies on the stack).
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  errno = 0;
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0)
    throw std::ios_base::failure("cannot create " + path.string() +
                                 (errno ? std::string(": ") + std::strerror(errno) : std::string()));
  return file;
}

}  // namespace

File::File(const std::filesystem::path& path)
    : file_(create_file(path), H5Fclose, "creating " + path.string()) {}

File::~File() = default;

Table& File::add_untyped_table(const std::string& path, std::size_t row_size,
                               const std::vector<Column>& columns, const TableOptions& options,
                               std::string_view description) {
  tables_.push_back(
      std::make_unique<Table>(file_.get(), path, row_size, columns, options, description, &compressor_));
  return *tables_.back();
}

void File::close() {
  for (auto& table : tables_) table->close();
  file_.close();
}

}  // namespace continuum::io::hdf5

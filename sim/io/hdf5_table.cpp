#include "sim/io/hdf5_table.hpp"

#include <libdeflate.h>
#include <zlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ios>
#include <optional>
#include <stdexcept>

namespace continuum::io::hdf5 {

namespace {

/// Deflate level of `small` (zlib's default; the dataset declares it, though decoding ignores it).
constexpr int small_level = 6;

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
  if (options.compression != Compression::none) {
    check(H5Pset_shuffle(properties.get()), "enabling shuffle on " + path);
    check(H5Pset_deflate(properties.get(),
                         options.compression == Compression::fast ? 1u : unsigned{small_level}),
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

// Pending jobs may write to the dataset: let them finish before it closes (their errors no
// longer matter, close() reports errors).
Table::~Table() {
  for (auto& job : pending_) job.wait();
}

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
/// bytes of all elements come first, then the n second bytes, ... Rows whose size is a multiple
/// of 16 (the request table) go 16 rows × 16 bytes at a time through an SSE2 transpose; a multiple
/// of 8 (every trace table), 8 rows × 8 bytes through a register transpose; other sizes, and the
/// last rows, byte by byte.
void shuffle(const std::byte* in, unsigned char* out, std::size_t n, std::size_t size) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(in);
  std::size_t i0 = 0;
#if defined(__SSE2__)
  if (size % 16 == 0) {
    for (; i0 + 16 <= n; i0 += 16)
      for (std::size_t word = 0; word < size / 16; ++word) {
        __m128i x[16];
        for (std::size_t k = 0; k < 16; ++k)
          x[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + (i0 + k) * size + word * 16));
        // Four rounds of interleaving vector i with vector i + 8 transpose the 16×16 bytes:
        // afterwards x[j] holds byte j of the 16 rows, in row order.
        for (int round = 0; round < 4; ++round) {
          __m128i y[16];
          for (std::size_t i = 0; i < 8; ++i) {
            y[2 * i] = _mm_unpacklo_epi8(x[i], x[i + 8]);
            y[2 * i + 1] = _mm_unpackhi_epi8(x[i], x[i + 8]);
          }
          std::copy(y, y + 16, x);
        }
        for (std::size_t j = 0; j < 16; ++j)
          _mm_storeu_si128(reinterpret_cast<__m128i*>(out + (word * 16 + j) * n + i0), x[j]);
      }
  }
#endif
  if (size % 8 == 0) {
    for (; i0 + 8 <= n; i0 += 8)
      for (std::size_t word = 0; word < size / 8; ++word) {
        std::uint64_t x[8];
        for (std::size_t k = 0; k < 8; ++k) std::memcpy(&x[k], bytes + (i0 + k) * size + word * 8, 8);
        // 8×8 byte transpose in three rounds of swaps (bytes, byte pairs, halves): afterwards x[j]
        // holds byte j of the 8 rows, in row order (little-endian).
        for (std::size_t k = 0; k < 8; k += 2) {
          const std::uint64_t t = ((x[k] >> 8) ^ x[k + 1]) & 0x00FF00FF00FF00FFULL;
          x[k + 1] ^= t;
          x[k] ^= t << 8;
        }
        for (std::size_t k = 0; k < 8; k += 4)
          for (std::size_t m = k; m < k + 2; ++m) {
            const std::uint64_t t = ((x[m] >> 16) ^ x[m + 2]) & 0x0000FFFF0000FFFFULL;
            x[m + 2] ^= t;
            x[m] ^= t << 16;
          }
        for (std::size_t m = 0; m < 4; ++m) {
          const std::uint64_t t = ((x[m] >> 32) ^ x[m + 4]) & 0x00000000FFFFFFFFULL;
          x[m + 4] ^= t;
          x[m] ^= t << 32;
        }
        for (std::size_t j = 0; j < 8; ++j) std::memcpy(out + (word * 8 + j) * n + i0, &x[j], 8);
      }
  }
  for (std::size_t b = 0; b < size; ++b)
    for (std::size_t i = i0; i < n; ++i) out[b * n + i] = bytes[i * size + b];
}

/// What run-length coding would cost per byte of a plane, in bits: the share of bytes that differ
/// from their predecessor (each starts a literal or a new run) times the entropy of the bytes.
/// Both are estimated from 1024 samples, taken every `size / 1024`-th byte rounded to an odd stride
/// so that a counter plane (byte 0 of consecutive ids) is not aliased into a few values. Constant
/// and slowly changing planes score near 0, random ones near 8; a plane of few distinct values
/// that change at every row (an exponent byte) scores its entropy.
double coded_bits_per_byte(const unsigned char* data, std::size_t size) {
  if (size < 2) return 0.0;
  constexpr std::size_t samples_wanted = 1024;
  constexpr std::size_t table_size = samples_wanted + 1;
  // c·log2 c for every possible count: a log per distinct byte value cost as much as the counting.
  static const std::array<double, table_size> c_log_c = [] {
    std::array<double, table_size> table{};
    for (std::size_t c = 1; c < table_size; ++c)
      table[c] = static_cast<double>(c) * std::log2(static_cast<double>(c));
    return table;
  }();
  const std::size_t stride = std::max<std::size_t>(1, (size - 1) / samples_wanted) | 1;
  std::array<std::uint32_t, 256> counts{};
  std::size_t samples = 0, changes = 0;
  for (std::size_t i = 0; i + 1 < size && samples < samples_wanted; i += stride, ++samples) {
    ++counts[data[i]];
    changes += data[i] != data[i + 1];
  }
  double sum = 0.0;
  for (const auto count : counts) sum += c_log_c[count];
  const double n = static_cast<double>(samples);
  const double entropy = std::log2(n) - sum / n;  // H = log2 n − Σ c·log2 c / n
  return static_cast<double>(changes) / n * entropy;
}

/// Above this estimated cost a byte plane is stored, not coded: coding would save less than ~30 %
/// of it for most of the compression time. Such planes are the low mantissa bytes of times,
/// latencies and energies and the low bytes of ids; the planes that compress are exponents, high
/// bytes of ids and times, constant columns (bench/trace_bench.cpp, docs/performance.md).
constexpr double max_coded_bits_per_byte = 5.5;

/// Appends stored (uncompressed) deflate blocks holding `data` (RFC 1951 §3.2.4); the stream is at a
/// byte boundary. `last` marks the final block of the stream.
void append_stored(detail::Bytes& out, const unsigned char* data, std::size_t size, bool last) {
  do {
    const std::size_t piece = std::min<std::size_t>(size, 65535);
    const bool final_block = last && piece == size;
    const auto length = static_cast<std::uint16_t>(piece);
    const auto complement = static_cast<std::uint16_t>(~length);
    const unsigned char header[5] = {
        static_cast<unsigned char>(final_block ? 1 : 0), static_cast<unsigned char>(length & 0xFF),
        static_cast<unsigned char>(length >> 8), static_cast<unsigned char>(complement & 0xFF),
        static_cast<unsigned char>(complement >> 8)};
    out.insert(out.end(), header, header + 5);
    if (piece > 0) out.insert(out.end(), data, data + piece);
    data += piece;
    size -= piece;
  } while (size > 0);
}

/// A raw deflate stream (no zlib wrapper) for the coded planes of `fast` chunks: level 1,
/// run-length strategy (the planes worth coding are runs and a few distinct bytes).
class PlaneCoder {
 public:
  PlaneCoder() {
    if (deflateInit2(&stream_, 1, Z_DEFLATED, -15, 8, Z_RLE) != Z_OK)
      throw std::ios_base::failure("zlib: cannot start compression");
  }
  ~PlaneCoder() { deflateEnd(&stream_); }
  PlaneCoder(const PlaneCoder&) = delete;
  PlaneCoder& operator=(const PlaneCoder&) = delete;

  /// Appends `data` as non-final deflate blocks ending on a byte boundary (a sync flush), with no
  /// reference to earlier bytes: the stored planes between coded ones are not in zlib's window.
  void append(const unsigned char* data, std::size_t size, detail::Bytes& out) {
    if (deflateReset(&stream_) != Z_OK) throw std::ios_base::failure("zlib: cannot restart compression");
    stream_.next_in = const_cast<unsigned char*>(data);  // zlib's API is not const-correct
    stream_.avail_in = static_cast<uInt>(size);
    std::size_t used = out.size();
    for (;;) {
      out.resize(used + deflateBound(&stream_, size) + 64);
      stream_.next_out = out.data() + used;
      stream_.avail_out = static_cast<uInt>(out.size() - used);
      if (deflate(&stream_, Z_SYNC_FLUSH) == Z_STREAM_ERROR)
        throw std::ios_base::failure("zlib: compression failed");
      used = static_cast<std::size_t>(stream_.next_out - out.data());
      if (stream_.avail_in == 0 && stream_.avail_out > 0) break;  // all flushed
    }
    out.resize(used);
  }

 private:
  z_stream stream_{};
};

/// Appends one shuffled chunk (`size` bytes in planes of `plane` bytes) as the deflate filter
/// stores it, a zlib stream (RFC 1950), assembled here: header, then per plane either stored
/// blocks (random-looking planes) or coded blocks, an empty final block, and the Adler-32 of the
/// chunk. Any inflate decodes it; only the choice per plane is ours.
void deflate_fast(const unsigned char* data, std::size_t size, std::size_t plane, PlaneCoder& coder,
                  detail::Bytes& out) {
  out.push_back(0x78);  // deflate, 32 KiB window
  out.push_back(0x01);  // no dictionary, "fastest" level; (0x78·256 + 0x01) mod 31 = 0
  // Adjacent planes of the same kind form one run: stored runs share blocks, and a coded run is
  // one coder call as long as it fits in zlib's 64 KiB buffer (each call restarts zlib, which
  // clears its 64 KiB hash table; past the buffer zlib slides the window, which costs more).
  constexpr std::size_t max_coded_run = 60 * 1024;
  std::size_t run_begin = 0;
  bool run_stored = false;
  for (std::size_t offset = 0; offset < size; offset += plane) {
    const std::size_t length = std::min(plane, size - offset);
    const bool stored = coded_bits_per_byte(data + offset, length) > max_coded_bits_per_byte;
    const bool coded_run_full = !run_stored && offset + length - run_begin > max_coded_run;
    if (offset > run_begin && (stored != run_stored || coded_run_full)) {
      if (run_stored) {
        append_stored(out, data + run_begin, offset - run_begin, false);
      } else {
        coder.append(data + run_begin, offset - run_begin, out);
      }
      run_begin = offset;
    }
    run_stored = stored;
  }
  if (!run_stored && run_begin < size) {
    coder.append(data + run_begin, size - run_begin, out);
    run_begin = size;
  }
  append_stored(out, data + run_begin, size - run_begin, true);  // possibly empty: the final block
  // libdeflate's Adler-32 is vectorised: ~15x zlib's, and this checksum covers every byte.
  const std::uint32_t checksum = libdeflate_adler32(1, data, size);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<unsigned char>(checksum >> shift));
}

/// A whole-buffer zlib compressor (libdeflate: the same format as zlib's compress2 at the same
/// level, in a fraction of the time).
class ChunkCompressor {
 public:
  explicit ChunkCompressor(int level) : compressor_(libdeflate_alloc_compressor(level)) {
    if (!compressor_) throw std::ios_base::failure("libdeflate: cannot start compression");
  }
  ~ChunkCompressor() { libdeflate_free_compressor(compressor_); }
  ChunkCompressor(const ChunkCompressor&) = delete;
  ChunkCompressor& operator=(const ChunkCompressor&) = delete;

  /// Appends `data` as one zlib stream (RFC 1950).
  void append(const unsigned char* data, std::size_t size, detail::Bytes& out) {
    const std::size_t start = out.size();
    out.resize(start + libdeflate_zlib_compress_bound(compressor_, size));
    const std::size_t length =
        libdeflate_zlib_compress(compressor_, data, size, out.data() + start, out.size() - start);
    if (length == 0) throw std::ios_base::failure("libdeflate: compression failed");
    out.resize(start + length);
  }

 private:
  libdeflate_compressor* compressor_;
};

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
  if (options.compression == Compression::none) {
    block.encoded.assign(raw, raw + chunks * chunk_bytes);
    for (std::size_t c = 1; c <= chunks; ++c) block.chunk_ends.push_back(c * chunk_bytes);
    return block;
  }
  // Room for every chunk stored: a coded plane's worst case is its bound, held only briefly.
  block.encoded.reserve(chunks * (chunk_bytes + 5 * row_size + 64) + 2 * chunk_bytes);
  std::vector<unsigned char> shuffled(chunk_bytes);
  std::optional<PlaneCoder> coder;
  std::optional<ChunkCompressor> compressor;
  if (options.compression == Compression::fast) {
    coder.emplace();
  } else {
    compressor.emplace(small_level);
  }
  for (std::size_t c = 0; c < chunks; ++c) {
    shuffle(block.rows.data() + c * chunk_bytes, shuffled.data(), chunk_rows, row_size);
    if (coder) {
      deflate_fast(shuffled.data(), chunk_bytes, chunk_rows, *coder, block.encoded);
    } else {
      compressor->append(shuffled.data(), chunk_bytes, block.encoded);
    }
    block.chunk_ends.push_back(block.encoded.size());
  }
  return block;
}

/// Appends the encoded chunks of `block` to `dataset`: extends it to the block's last row, then
/// writes each chunk as it is (filter mask 0: every filter of the pipeline has been applied).
void write_chunks(hid_t dataset, const std::string& path, std::size_t chunk_rows, detail::Block& block) {
  const hsize_t extent = block.first_row + block.count;
  check(H5Dset_extent(dataset, &extent), "extending " + path);
  std::size_t begin = 0;
  for (std::size_t c = 0; c < block.chunk_ends.size(); ++c) {
    const hsize_t offset = block.first_row + c * chunk_rows;
    const std::size_t end = block.chunk_ends[c];
    check(H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, &offset, end - begin, block.encoded.data() + begin),
          "writing rows of " + path);
    begin = end;
  }
  block.written = true;
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
    // The dataset outlives the job (~Table waits for it); the copy of the path keeps the job
    // independent of the table's other members.
    const hid_t dataset = library_is_threadsafe() ? dataset_.get() : H5I_INVALID_HID;
    pending_.push_back(compressor_->submit(std::packaged_task<detail::Block()>(
        [block = std::move(block), row_size = row_size_, chunk_rows = chunk_rows_, options = options_,
         dataset, path = path_]() mutable {
          detail::Block encoded = encode(std::move(block), row_size, chunk_rows, options);
          if (dataset != H5I_INVALID_HID) {
            // The automatic error printing is per thread in a thread-safe library: off here too.
            H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
            write_chunks(dataset, path, chunk_rows, encoded);
          }
          return encoded;
        })));
  } else {
    collect(encode(std::move(block), row_size_, chunk_rows_, options_));
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
    collect(std::move(block));
  }
}

void Table::collect(detail::Block block) {
  if (!block.written) write_chunks(dataset_.get(), path_, chunk_rows_, block);
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

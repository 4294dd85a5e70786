#pragma once
// Appendable HDF5 tables streamed in bounded memory.
//
// A table is a one-dimensional, chunked, compressed dataset of a compound type that mirrors a
// plain C++ row struct. Rows are copied into a block of `block_rows` rows (a whole number of
// chunks). A full block goes to the file's helper thread, which applies the dataset's own filter
// pipeline -- byte shuffle, then zlib -- to each chunk and appends the compressed chunks with
// H5Dset_extent and H5Dwrite_chunk; the simulation thread meanwhile fills the next block. At most
// `max_pending_blocks` blocks wait (the producer waits beyond that), so memory per table is
// bounded by (max_pending_blocks + 1) blocks whatever the run length.
//
// Why not let H5Dwrite compress: zlib is the whole cost of a trace (a request row is 48 bytes, a
// fast model produces 5 M rows/s), and H5Dwrite compresses on the calling thread with zlib's
// default strategy on every byte. Compressing ourselves moves that work off the simulation thread
// and, in the default `fast` mode, lets us treat each byte plane of the shuffled chunk on its own:
// planes that run-length coding would not shrink by ~30 % (the low mantissa bytes of times and
// energies, the low bytes of ids) go into stored deflate blocks, the others (exponents, high
// bytes, constant columns) are run-length coded by zlib; the zlib stream around them, with its
// Adler-32 (libdeflate's, vectorised), is assembled here. The result is the standard shuffle +
// deflate encoding: any HDF5 reader (h5py, h5dump) decodes it through the filters declared on the
// dataset. `small` codes every byte at level 6 (libdeflate: smaller files, about twice the CPU of
// `fast`), `none` stores the rows as they
// are (bench/trace_bench.cpp and docs/performance.md compare them). The helper thread calls HDF5
// only when the library is thread-safe (Debian's is: one global lock); otherwise the chunks are
// written by the thread that owns the File, when it collects the compressed block. Jobs run in
// submission order, so a table's blocks reach the file in order either way.
//
// Adding a table is one call:
//   struct FaasRow { double time; double instances; std::uint64_t cold_starts; };
//   const auto schema = TableSchema<FaasRow>()
//       .column("time", &FaasRow::time, "s", "sampling time")
//       .column("instances", &FaasRow::instances, "", "running instances")
//       .column("cold_starts", &FaasRow::cold_starts, "", "cold starts so far");
//   TableRef<FaasRow> table = file.add_table("/faas/resize", schema);   // groups made as needed
//   table.append({12.0, 3.0, 7});
// The row struct must be trivially copyable with every byte in a listed column (no padding, no
// unlisted members): the block is written as it is in memory, with no conversion.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/io/hdf5_handle.hpp"

namespace continuum::io::hdf5 {

/// The HDF5 native type of a C++ arithmetic type.
template <class T>
hid_t native_type() {
  if constexpr (std::is_same_v<T, double>)
    return H5T_NATIVE_DOUBLE;
  else if constexpr (std::is_same_v<T, float>)
    return H5T_NATIVE_FLOAT;
  else if constexpr (std::is_same_v<T, std::int8_t>)
    return H5T_NATIVE_INT8;
  else if constexpr (std::is_same_v<T, std::uint8_t>)
    return H5T_NATIVE_UINT8;
  else if constexpr (std::is_same_v<T, std::int16_t>)
    return H5T_NATIVE_INT16;
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    return H5T_NATIVE_UINT16;
  else if constexpr (std::is_same_v<T, std::int32_t>)
    return H5T_NATIVE_INT32;
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    return H5T_NATIVE_UINT32;
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return H5T_NATIVE_INT64;
  else if constexpr (std::is_same_v<T, std::uint64_t>)
    return H5T_NATIVE_UINT64;
  else
    static_assert(sizeof(T) == 0, "no HDF5 native type for this column type");
}

/// One column: a member of the row struct, described for readers of the file.
struct Column {
  std::string name;
  std::string unit;  // SI unit, "" when dimensionless
  std::string description;
  std::size_t offset = 0;  // of the member in the row struct
  std::size_t size = 0;
  hid_t (*type)() = nullptr;
};

/// The columns of a table of `Row`, in the order readers see them.
template <class Row>
class TableSchema {
  static_assert(std::is_trivially_copyable_v<Row> && std::is_standard_layout_v<Row>,
                "table rows are copied byte for byte into the file");

 public:
  template <class T>
  TableSchema& column(std::string name, T Row::*member, std::string unit, std::string description) {
    static const Row probe{};
    const auto offset = static_cast<std::size_t>(reinterpret_cast<const std::byte*>(&(probe.*member)) -
                                                 reinterpret_cast<const std::byte*>(&probe));
    columns_.push_back(
        {std::move(name), std::move(unit), std::move(description), offset, sizeof(T), &native_type<T>});
    return *this;
  }
  const std::vector<Column>& columns() const { return columns_; }

 private:
  std::vector<Column> columns_;
};

/// How chunks are encoded (`--trace-compression`). `fast` and `small` declare the shuffle and
/// deflate filters; `none` declares no filter.
enum class Compression {
  none,   // rows as they are in memory
  fast,   // shuffle; random-looking byte planes stored, the others run-length coded (deflate)
  small,  // shuffle; deflate level 6 on every byte (libdeflate)
};

struct TableOptions {
  std::size_t block_rows = 65536;  // rows buffered in memory; rounded up to a whole number of chunks
  std::size_t chunk_rows = 16384;  // rows per chunk (the unit of compression and of partial reads)
  Compression compression = Compression::fast;
  bool background = true;              // compress full blocks on a helper thread
  std::size_t max_pending_blocks = 2;  // full blocks that may wait for compression
};

namespace detail {
/// An allocator whose resize() leaves new bytes uninitialised: the encoder reserves a coded
/// plane's worst case and writes only what the coder produces, so zero-filling it is wasted work.
template <class T>
struct UninitialisedAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitialisedAllocator<U>;
  };
  template <class U>
  void construct(U* place) noexcept {
    ::new (static_cast<void*>(place)) U;
  }
  template <class U, class... Args>
  void construct(U* place, Args&&... args) {
    ::new (static_cast<void*>(place)) U(std::forward<Args>(args)...);
  }
};
using Bytes = std::vector<unsigned char, UninitialisedAllocator<unsigned char>>;

/// Rows on their way to the file: raw, then compressed chunk after chunk in `encoded`.
struct Block {
  std::vector<std::byte> rows;
  std::size_t count = 0;
  std::uint64_t first_row = 0;
  Bytes encoded;
  std::vector<std::size_t> chunk_ends;  // end of each chunk in `encoded`
  bool written = false;                 // the chunks are in the file already
};

/// One helper thread running encoding jobs in submission order (started with the first job).
class Compressor {
 public:
  Compressor() = default;
  ~Compressor();
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;
  std::future<Block> submit(std::packaged_task<Block()> job);

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<Block()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};
}  // namespace detail

/// One appendable table (untyped: rows are opaque blocks of `row_size` bytes).
class Table {
 public:
  /// `compressor` may be null: blocks are then encoded on the calling thread.
  Table(hid_t parent, const std::string& path, std::size_t row_size, const std::vector<Column>& columns,
        const TableOptions& options, std::string_view description, detail::Compressor* compressor);
  ~Table();
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  /// Room for one more row, which the caller fills with exactly row_size() bytes (TableRef copies
  /// its row there with a size known at compile time: a few moves, no call to memcpy).
  std::byte* next_row() {
    if (buffered_ == block_rows_) submit();
    if ((buffered_ + 1) * row_size_ > buffer_.size()) grow();
    return buffer_.data() + buffered_++ * row_size_;
  }
  /// Writes every row appended so far and closes the dataset; throws if HDF5 or the compressor reports a
  /// failure. No rows may be appended afterwards (a block boundary must fall on a chunk boundary,
  /// so there is no flush in mid-stream).
  void close();

  std::uint64_t rows() const { return submitted_ + buffered_; }
  std::size_t row_size() const { return row_size_; }
  /// The dataset (for attributes); valid until close().
  hid_t dataset() const { return dataset_.get(); }

 private:
  void grow();
  void submit();
  void collect(detail::Block block);
  void write_ready(std::size_t keep_pending);

  Handle dataset_;
  Handle type_;
  std::size_t row_size_;
  std::size_t block_rows_;
  std::size_t chunk_rows_;
  TableOptions options_;
  std::vector<std::byte> buffer_;  // grows to one block (small tables stay small), never beyond
  std::size_t buffered_ = 0;
  std::uint64_t submitted_ = 0;  // rows handed to compression (written or pending)
  std::deque<std::future<detail::Block>> pending_;
  std::vector<std::vector<std::byte>> spare_;  // block buffers back from the file, reused
  detail::Compressor* compressor_;
  std::string path_;
};

/// A typed view of a table owned by a File.
template <class Row>
class TableRef {
 public:
  TableRef() = default;
  explicit TableRef(Table& table) : table_(&table) {}
  void append(const Row& row) { std::memcpy(table_->next_row(), &row, sizeof(Row)); }
  Table& table() const { return *table_; }
  explicit operator bool() const { return table_ != nullptr; }

 private:
  Table* table_ = nullptr;
};

/// A new HDF5 file (created or truncated) owning its tables.
class File {
 public:
  explicit File(const std::filesystem::path& path);
  ~File();
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  hid_t get() const { return file_.get(); }

  /// Creates the table `path` (e.g. "/devices/cpu"), making missing groups, and returns a typed
  /// handle valid for the File's lifetime. Throws std::logic_error if `Row` has bytes no column covers.
  template <class Row>
  TableRef<Row> add_table(const std::string& path, const TableSchema<Row>& schema,
                          const TableOptions& options = {}, std::string_view description = {}) {
    return TableRef<Row>(add_untyped_table(path, sizeof(Row), schema.columns(), options, description));
  }

  /// Flushes every table, closes them and the file; throws on any HDF5 failure. Idempotent.
  void close();

 private:
  Table& add_untyped_table(const std::string& path, std::size_t row_size, const std::vector<Column>& columns,
                           const TableOptions& options, std::string_view description);

  Handle file_;
  detail::Compressor compressor_;  // outlives the tables: their pending jobs finish first
  std::vector<std::unique_ptr<Table>> tables_;
};

}  // namespace continuum::io::hdf5

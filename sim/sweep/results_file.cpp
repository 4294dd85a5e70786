#include "sim/sweep/results_file.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <ios>
#include <map>
#include <stdexcept>

#include "sim/io/atomic_file.hpp"
#include "sim/io/hdf5_handle.hpp"

namespace continuum::sweep {

namespace {

namespace h5 = io::hdf5;
using h5::check;
using h5::Handle;

constexpr const char* format_name = "continuum-sweep";
constexpr std::uint64_t format_version = 2;  // 2: /runs has truncated, unfinished, stable

enum class Kind { u32, u64, f64, text };

struct ColumnDef {
  std::string name;
  Kind kind;
  std::string unit;
  std::string description;
};

std::size_t size_of(Kind kind) {
  switch (kind) {
    case Kind::u32:
      return sizeof(std::uint32_t);
    case Kind::u64:
      return sizeof(std::uint64_t);
    case Kind::f64:
      return sizeof(double);
    case Kind::text:
      return sizeof(char*);
  }
  return 0;
}

/// A block of rows of a compound table, row-major as HDF5 wants it, built from column definitions
/// known only at run time (the parameters differ from sweep to sweep). Text columns are HDF5
/// variable-length UTF-8 strings (h5py and pandas read them as str).
class RowBlock {
 public:
  RowBlock(std::vector<ColumnDef> columns, std::size_t rows) : columns_(std::move(columns)), rows_(rows) {
    for (const auto& c : columns_) {
      const std::size_t size = size_of(c.kind);
      const std::size_t offset = (row_size_ + size - 1) / size * size;  // natural alignment
      offsets_.push_back(offset);
      row_size_ = offset + size;
    }
    row_size_ = (row_size_ + 7) / 8 * 8;
    buffer_.assign(rows_ * row_size_, std::byte{0});
    texts_.resize(columns_.size());
    for (std::size_t c = 0; c < columns_.size(); ++c)
      if (columns_[c].kind == Kind::text) texts_[c].resize(rows_);
  }

  std::size_t rows() const { return rows_; }
  std::size_t column(std::string_view name) const {
    for (std::size_t c = 0; c < columns_.size(); ++c)
      if (columns_[c].name == name) return c;
    throw std::logic_error("no column " + std::string(name));
  }

  template <class T>
  void set(std::size_t c, std::size_t r, T value) {
    std::memcpy(slot(c, r), &value, sizeof value);
  }
  void set_text(std::size_t c, std::size_t r, std::string value) { texts_[c][r] = std::move(value); }
  template <class T>
  T get(std::size_t c, std::size_t r) const {
    T value;
    std::memcpy(&value, slot(c, r), sizeof value);
    return value;
  }
  const std::string& text(std::size_t c, std::size_t r) const { return texts_[c][r]; }

  Handle memory_type() const {
    Handle type(H5Tcreate(H5T_COMPOUND, row_size_), H5Tclose, "creating a row type");
    const Handle text = h5::string_type();
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      hid_t member = text.get();
      switch (columns_[c].kind) {
        case Kind::u32:
          member = H5T_NATIVE_UINT32;
          break;
        case Kind::u64:
          member = H5T_NATIVE_UINT64;
          break;
        case Kind::f64:
          member = H5T_NATIVE_DOUBLE;
          break;
        case Kind::text:
          break;
      }
      check(H5Tinsert(type.get(), columns_[c].name.c_str(), offsets_[c], member),
            "adding column " + columns_[c].name);
    }
    return type;
  }

  using ListAttributes = std::vector<std::pair<const char*, std::vector<std::string>>>;

  void write(hid_t parent, const char* name, std::string_view description, const ListAttributes& extra = {}) {
    for (std::size_t c = 0; c < columns_.size(); ++c)
      if (columns_[c].kind == Kind::text)
        for (std::size_t r = 0; r < rows_; ++r) set(c, r, texts_[c][r].c_str());
    const Handle memory = memory_type();
    Handle file_type(H5Tcopy(memory.get()), H5Tclose, "copying a row type");
    check(H5Tpack(file_type.get()), "packing a row type");
    const hsize_t dims = rows_;
    Handle space(H5Screate_simple(1, &dims, nullptr), H5Sclose,
                 std::string("creating the dataspace of ") + name);
    Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "creating dataset properties");
    if (rows_ > 0) {
      const hsize_t chunk = std::min<hsize_t>(rows_, 4096);
      check(H5Pset_chunk(properties.get(), 1, &chunk), std::string("chunking ") + name);
      check(H5Pset_shuffle(properties.get()), std::string("enabling shuffle on ") + name);
      check(H5Pset_deflate(properties.get(), 4), std::string("enabling deflate on ") + name);
    }
    Handle dataset(
        H5Dcreate2(parent, name, file_type.get(), space.get(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
        H5Dclose, std::string("creating dataset ") + name);
    if (rows_ > 0)
      check(H5Dwrite(dataset.get(), memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer_.data()),
            std::string("writing ") + name);
    std::vector<std::string> names, units, descriptions;
    for (const auto& c : columns_) {
      names.push_back(c.name);
      units.push_back(c.unit);
      descriptions.push_back(c.description);
    }
    h5::write_attribute(dataset.get(), "description", description);
    h5::write_attribute(dataset.get(), "columns", names);
    h5::write_attribute(dataset.get(), "units", units);
    h5::write_attribute(dataset.get(), "column_descriptions", descriptions);
    for (const auto& [attribute, values] : extra) h5::write_attribute(dataset.get(), attribute, values);
    dataset.close();
  }

  /// Reads these columns (by name; the file may hold more) of every row of `dataset`.
  static RowBlock read(hid_t dataset, std::vector<ColumnDef> columns, const std::string& what) {
    Handle space(H5Dget_space(dataset), H5Sclose, "reading the dataspace of " + what);
    hsize_t dims = 0;
    if (H5Sget_simple_extent_ndims(space.get()) != 1) throw ResultsFileError(what + " is not a table");
    H5Sget_simple_extent_dims(space.get(), &dims, nullptr);
    Handle file_type(H5Dget_type(dataset), H5Tclose, "reading the row type of " + what);
    for (const auto& c : columns)
      if (H5Tget_member_index(file_type.get(), c.name.c_str()) < 0)
        throw ResultsFileError(what + " has no column " + c.name);
    RowBlock block(std::move(columns), static_cast<std::size_t>(dims));
    if (dims == 0) return block;
    const Handle memory = block.memory_type();
    check(H5Dread(dataset, memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, block.buffer_.data()),
          "reading " + what);
    for (std::size_t c = 0; c < block.columns_.size(); ++c) {
      if (block.columns_[c].kind != Kind::text) continue;
      for (std::size_t r = 0; r < block.rows_; ++r) {
        const char* pointer = block.get<const char*>(c, r);
        block.texts_[c][r] = pointer ? pointer : "";
      }
    }
    check(H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, block.buffer_.data()),
          "freeing the strings of " + what);
    return block;
  }

 private:
  std::byte* slot(std::size_t c, std::size_t r) { return buffer_.data() + r * row_size_ + offsets_[c]; }
  const std::byte* slot(std::size_t c, std::size_t r) const {
    return buffer_.data() + r * row_size_ + offsets_[c];
  }

  std::vector<ColumnDef> columns_;
  std::size_t rows_;
  std::vector<std::size_t> offsets_;
  std::size_t row_size_ = 0;
  std::vector<std::byte> buffer_;
  std::vector<std::vector<std::string>> texts_;  // per text column, one string per row
};

/// Silences HDF5's own printing of its error stack while alive: failures are reported once, by the
/// exception that names the file.
class QuietHdf5Errors {
 public:
  QuietHdf5Errors() {
    H5Eget_auto2(H5E_DEFAULT, &function_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietHdf5Errors() { H5Eset_auto2(H5E_DEFAULT, function_, data_); }
  QuietHdf5Errors(const QuietHdf5Errors&) = delete;
  QuietHdf5Errors& operator=(const QuietHdf5Errors&) = delete;

 private:
  H5E_auto2_t function_ = nullptr;
  void* data_ = nullptr;
};

// --- attribute readers (the io layer only writes attributes) ---

Handle open_attribute(hid_t object, const char* name, const std::string& file) {
  const htri_t exists = H5Aexists(object, name);
  if (exists <= 0) throw ResultsFileError(file + ": not a continuum sweep file (no attribute " + name + ")");
  return Handle(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, std::string("opening attribute ") + name);
}

std::vector<std::string> read_strings(hid_t object, const char* name, const std::string& file) {
  const Handle attribute = open_attribute(object, name, file);
  Handle space(H5Aget_space(attribute.get()), H5Sclose, "reading an attribute's dataspace");
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0) throw ResultsFileError(file + ": bad attribute " + name);
  std::vector<char*> pointers(static_cast<std::size_t>(count), nullptr);
  const Handle type = h5::string_type();
  std::vector<std::string> values;
  if (count == 0) return values;
  check(H5Aread(attribute.get(), type.get(), pointers.data()), std::string("reading attribute ") + name);
  for (char* p : pointers) values.emplace_back(p ? p : "");
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, pointers.data());
  return values;
}

std::string read_string(hid_t object, const char* name, const std::string& file) {
  auto values = read_strings(object, name, file);
  if (values.size() != 1) throw ResultsFileError(file + ": attribute " + name + " is not one string");
  return values.front();
}

template <class T>
T read_number(hid_t object, const char* name, const std::string& file) {
  const Handle attribute = open_attribute(object, name, file);
  T value{};
  const hid_t type = std::is_same_v<T, double> ? H5T_NATIVE_DOUBLE : H5T_NATIVE_UINT64;
  check(H5Aread(attribute.get(), type, &value), std::string("reading attribute ") + name);
  return value;
}

std::string read_text_dataset(hid_t parent, const char* name, const std::string& file) {
  if (H5Lexists(parent, name, H5P_DEFAULT) <= 0) throw ResultsFileError(file + ": no dataset /" + name);
  Handle dataset(H5Dopen2(parent, name, H5P_DEFAULT), H5Dclose, std::string("opening /") + name);
  Handle space(H5Dget_space(dataset.get()), H5Sclose, "reading a dataspace");
  const Handle type = h5::string_type();
  char* pointer = nullptr;
  check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &pointer),
        std::string("reading /") + name);
  std::string text = pointer ? pointer : "";
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, &pointer);
  return text;
}

/// The columns the parameters take in /runs and /points.
struct ParameterColumns {
  std::vector<bool> numeric;
  std::vector<std::vector<double>> values;  // [point][parameter] (numeric parameters only)
};

ParameterColumns parameter_columns(const Design& design) {
  ParameterColumns out;
  out.numeric.assign(design.parameters.size(), true);
  out.values.assign(design.points.size(), std::vector<double>(design.parameters.size(), 0.0));
  for (std::size_t k = 0; k < design.parameters.size(); ++k)
    for (std::size_t p = 0; p < design.points.size() && out.numeric[k]; ++p) {
      const auto value = numeric_value(design.points[p][k]);
      if (!value)
        out.numeric[k] = false;
      else
        out.values[p][k] = *value;
    }
  return out;
}

void add_parameter_columns(std::vector<ColumnDef>& columns, const Design& design,
                           const ParameterColumns& params) {
  for (std::size_t k = 0; k < design.parameters.size(); ++k)
    columns.push_back({design.parameters[k], params.numeric[k] ? Kind::f64 : Kind::text, "",
                       params.numeric[k] ? "swept parameter, SI value" : "swept parameter, as written"});
}

void set_parameters(RowBlock& block, std::size_t row, std::size_t first_column, const Design& design,
                    const ParameterColumns& params, std::uint32_t point) {
  for (std::size_t k = 0; k < design.parameters.size(); ++k) {
    if (params.numeric[k])
      block.set(first_column + k, row, params.values[point][k]);
    else
      block.set_text(first_column + k, row, design.points[point][k]);
  }
}

std::vector<std::string> metric_names_list() {
  std::vector<std::string> names;
  for (std::size_t m = 0; m < metric_count; ++m) names.emplace_back(to_string(static_cast<Metric>(m)));
  return names;
}

std::vector<ColumnDef> run_metric_columns() {
  std::vector<ColumnDef> columns;
  for (std::size_t m = 0; m < metric_count; ++m) {
    const auto& info = metric_info(static_cast<Metric>(m));
    columns.push_back(
        {std::string(info.name), Kind::f64, std::string(info.unit), std::string(info.description)});
  }
  columns.push_back({"offered", Kind::u64, "", "requests arrived after the warm-up"});
  columns.push_back({"completed", Kind::u64, "", "requests completed"});
  columns.push_back({"lost", Kind::u64, "", "requests lost"});
  columns.push_back({"events", Kind::u64, "", "simulation events"});
  columns.push_back({"truncated", Kind::text, "",
                     "why the run was cut short (drain_limit, max_events, max_wall); empty when complete"});
  columns.push_back({"unfinished", Kind::u64, "", "requests still in flight when the run stopped"});
  columns.push_back({"stable", Kind::u32, "", "0 when a device or link was offered more than its capacity"});
  columns.push_back({"wall_time", Kind::f64, "s", "wall-clock time of the run (not a result: varies)"});
  return columns;
}

void write_file(const std::filesystem::path& path, const SweepResults& results) {
  Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
              "creating " + path.string());
  const hid_t root = file.get();
  h5::write_format_attributes(root, format_name, format_version);
  h5::write_attribute(root, "name", results.name);
  h5::write_attribute(root, "sweep_file", results.sweep_file);
  h5::write_attribute(root, "sweep_hash", results.sweep_hash);
  h5::write_attribute(root, "scenario_file", results.scenario_file);
  h5::write_attribute(root, "base_seed", results.base_seed);
  h5::write_attribute(root, "policies", results.policies);
  h5::write_attribute(root, "policy_overrides", results.policy_overrides);
  h5::write_attribute(root, "fixed_overrides", results.fixed_overrides);
  h5::write_attribute(root, "parameters", results.design.parameters);
  h5::write_attribute(root, "replications", static_cast<std::uint64_t>(results.replications));
  h5::write_attribute(root, "stopping", results.stopping);
  h5::write_attribute(root, "max_replications", static_cast<std::uint64_t>(results.max_replications));
  h5::write_attribute(root, "shards", results.shards);
  h5::write_attribute(root, "complete", static_cast<std::uint64_t>(shards_complete(results.shards) ? 1 : 0));
  h5::write_attribute(root, "wall_seconds", results.wall_seconds);
  h5::write_attribute(root, "confidence_level", 0.95);
  h5::write_string_dataset(root, "sweep", results.sweep_text);
  h5::write_string_dataset(root, "scenario", results.scenario_text);

  const Design& design = results.design;
  const ParameterColumns params = parameter_columns(design);

  {  // /design
    std::vector<ColumnDef> columns{{"point", Kind::u32, "", "point index"}};
    for (const auto& p : design.parameters)
      columns.push_back({p, Kind::text, "", "parameter value as written"});
    RowBlock block(std::move(columns), design.points.size());
    for (std::size_t p = 0; p < design.points.size(); ++p) {
      block.set(0, p, static_cast<std::uint32_t>(p));
      for (std::size_t k = 0; k < design.parameters.size(); ++k)
        block.set_text(k + 1, p, design.points[p][k]);
    }
    block.write(root, "design", "the points of the sweep: parameter values as written in the sweep file");
  }

  {  // /runs
    std::vector<ColumnDef> columns{{"policy", Kind::text, "", "policy name"},
                                   {"point", Kind::u32, "", "point index (row of /design)"},
                                   {"replication", Kind::u32, "", "replication index"},
                                   {"seed", Kind::u64, "", "master seed of the run"}};
    add_parameter_columns(columns, design, params);
    const std::size_t first_metric = columns.size();
    for (auto& c : run_metric_columns()) columns.push_back(std::move(c));
    RowBlock block(std::move(columns), results.runs.size());
    for (std::size_t r = 0; r < results.runs.size(); ++r) {
      const RunRecord& run = results.runs[r];
      block.set_text(0, r, results.policies.at(run.key.policy));
      block.set(1, r, run.key.point);
      block.set(2, r, run.key.replication);
      block.set(3, r, run.seed);
      set_parameters(block, r, 4, design, params, run.key.point);
      for (std::size_t m = 0; m < metric_count; ++m) block.set(first_metric + m, r, run.metrics.values[m]);
      block.set(first_metric + metric_count, r, run.metrics.offered);
      block.set(first_metric + metric_count + 1, r, run.metrics.completed);
      block.set(first_metric + metric_count + 2, r, run.metrics.lost);
      block.set(first_metric + metric_count + 3, r, run.metrics.events);
      block.set_text(first_metric + metric_count + 4, r, run.metrics.truncated);
      block.set(first_metric + metric_count + 5, r, run.metrics.unfinished);
      block.set(first_metric + metric_count + 6, r, std::uint32_t{run.metrics.stable ? 1u : 0u});
      block.set(first_metric + metric_count + 7, r, run.wall_time);
    }
    // `parameters` and `metrics` name the columns for readers such as analysis.compare.
    block.write(root, "runs", "one row per run",
                {{"parameters", design.parameters}, {"metrics", metric_names_list()}});
  }

  {  // /points
    const auto rows = aggregate(results, 0.95);
    std::vector<ColumnDef> columns{{"policy", Kind::text, "", "policy name"},
                                   {"point", Kind::u32, "", "point index (row of /design)"}};
    add_parameter_columns(columns, design, params);
    columns.push_back({"replications", Kind::u32, "", "runs aggregated"});
    const std::size_t first_metric = columns.size();
    for (std::size_t m = 0; m < metric_count; ++m) {
      const auto& info = metric_info(static_cast<Metric>(m));
      const std::string name(info.name), unit(info.unit);
      columns.push_back(
          {name, Kind::f64, unit, "mean over replications of " + std::string(info.description)});
      columns.push_back({name + "_stddev", Kind::f64, unit, "standard deviation over replications"});
      columns.push_back({name + "_half_width", Kind::f64, unit, "half-width of the Student-t 95 % interval"});
    }
    RowBlock block(std::move(columns), rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      block.set_text(0, r, results.policies.at(rows[r].policy));
      block.set(1, r, rows[r].point);
      set_parameters(block, r, 2, design, params, rows[r].point);
      block.set(first_metric - 1, r, rows[r].replications);
      for (std::size_t m = 0; m < metric_count; ++m) {
        block.set(first_metric + 3 * m, r, rows[r].metrics[m].mean);
        block.set(first_metric + 3 * m + 1, r, rows[r].metrics[m].stddev);
        block.set(first_metric + 3 * m + 2, r, rows[r].metrics[m].half_width);
      }
    }
    block.write(root, "points", "one row per point and policy: aggregates over replications",
                {{"parameters", design.parameters}, {"metrics", metric_names_list()}});
  }
  file.close();
}

}  // namespace

ResultsFileError::ResultsFileError(std::string message)
    : std::ios_base::failure(message), message_(std::move(message)) {}

namespace {
/// The message of an error from below, without the ": iostream error" of std::ios_base::failure.
std::string message_of(const std::exception& error) {
  std::string text = error.what();
  constexpr std::string_view suffix = ": iostream error";
  if (text.ends_with(suffix)) text.resize(text.size() - suffix.size());
  return text;
}
}  // namespace

void write_results(const std::filesystem::path& path, const SweepResults& results) {
  if (io::is_special_file(path))
    throw ResultsFileError("cannot write " + path.string() +
                           ": not a regular file (it is renamed into place)");
  const auto temporary = io::temporary_sibling(path);
  const QuietHdf5Errors quiet;
  try {
    write_file(temporary, results);
    std::filesystem::rename(temporary, path);
  } catch (const std::exception& error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw ResultsFileError("cannot write " + path.string() + ": " + message_of(error));
  }
}

SweepResults read_results(const std::filesystem::path& path) {
  const std::string file_name = path.string();
  const QuietHdf5Errors quiet;
  try {
    if (!std::filesystem::exists(path)) throw ResultsFileError(file_name + ": no such file");
    if (H5Fis_hdf5(path.c_str()) <= 0) throw ResultsFileError(file_name + ": not an HDF5 file");
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "opening " + file_name);
    const hid_t root = file.get();
    if (read_string(root, "format", file_name) != format_name)
      throw ResultsFileError(file_name + ": not a continuum sweep file");
    if (read_number<std::uint64_t>(root, "format_version", file_name) != format_version)
      throw ResultsFileError(file_name + ": written by another version of the sweep format");
    SweepResults results;
    results.name = read_string(root, "name", file_name);
    results.sweep_file = read_string(root, "sweep_file", file_name);
    results.sweep_hash = read_string(root, "sweep_hash", file_name);
    results.scenario_file = read_string(root, "scenario_file", file_name);
    results.base_seed = read_number<std::uint64_t>(root, "base_seed", file_name);
    results.policies = read_strings(root, "policies", file_name);
    results.policy_overrides = read_strings(root, "policy_overrides", file_name);
    results.fixed_overrides = read_strings(root, "fixed_overrides", file_name);
    results.design.parameters = read_strings(root, "parameters", file_name);
    results.replications =
        static_cast<std::uint32_t>(read_number<std::uint64_t>(root, "replications", file_name));
    results.stopping = read_string(root, "stopping", file_name);
    results.max_replications =
        static_cast<std::uint32_t>(read_number<std::uint64_t>(root, "max_replications", file_name));
    results.shards = read_strings(root, "shards", file_name);
    results.wall_seconds = read_number<double>(root, "wall_seconds", file_name);
    results.sweep_text = read_text_dataset(root, "sweep", file_name);
    results.scenario_text = read_text_dataset(root, "scenario", file_name);

    const auto open = [&](const char* name) {
      if (H5Lexists(root, name, H5P_DEFAULT) <= 0) throw ResultsFileError(file_name + ": no table /" + name);
      return Handle(H5Dopen2(root, name, H5P_DEFAULT), H5Dclose, std::string("opening /") + name);
    };
    {
      std::vector<ColumnDef> columns{{"point", Kind::u32, "", ""}};
      for (const auto& p : results.design.parameters) columns.push_back({p, Kind::text, "", ""});
      const Handle dataset = open("design");
      const RowBlock block = RowBlock::read(dataset.get(), std::move(columns), file_name + " /design");
      results.design.points.assign(block.rows(), {});
      for (std::size_t r = 0; r < block.rows(); ++r) {
        const auto point = block.get<std::uint32_t>(0, r);
        if (point != r) throw ResultsFileError(file_name + ": /design is not in point order");
        for (std::size_t k = 0; k < results.design.parameters.size(); ++k)
          results.design.points[r].push_back(block.text(k + 1, r));
      }
    }
    {
      std::vector<ColumnDef> columns{{"policy", Kind::text, "", ""},
                                     {"point", Kind::u32, "", ""},
                                     {"replication", Kind::u32, "", ""},
                                     {"seed", Kind::u64, "", ""}};
      const std::size_t first_metric = columns.size();
      for (auto& c : run_metric_columns()) columns.push_back(std::move(c));
      const Handle dataset = open("runs");
      const RowBlock block = RowBlock::read(dataset.get(), std::move(columns), file_name + " /runs");
      std::map<std::string, std::uint32_t> policy_index;
      for (std::size_t q = 0; q < results.policies.size(); ++q)
        policy_index[results.policies[q]] = static_cast<std::uint32_t>(q);
      for (std::size_t r = 0; r < block.rows(); ++r) {
        RunRecord run;
        const auto found = policy_index.find(block.text(0, r));
        if (found == policy_index.end())
          throw ResultsFileError(file_name + ": /runs row " + std::to_string(r) + " names an unknown policy");
        run.key = {block.get<std::uint32_t>(1, r), found->second, block.get<std::uint32_t>(2, r)};
        if (run.key.point >= results.design.points.size())
          throw ResultsFileError(file_name + ": /runs row " + std::to_string(r) + " names an unknown point");
        run.seed = block.get<std::uint64_t>(3, r);
        for (std::size_t m = 0; m < metric_count; ++m)
          run.metrics.values[m] = block.get<double>(first_metric + m, r);
        run.metrics.offered = block.get<std::uint64_t>(first_metric + metric_count, r);
        run.metrics.completed = block.get<std::uint64_t>(first_metric + metric_count + 1, r);
        run.metrics.lost = block.get<std::uint64_t>(first_metric + metric_count + 2, r);
        run.metrics.events = block.get<std::uint64_t>(first_metric + metric_count + 3, r);
        run.metrics.truncated = block.text(first_metric + metric_count + 4, r);
        run.metrics.unfinished = block.get<std::uint64_t>(first_metric + metric_count + 5, r);
        run.metrics.stable = block.get<std::uint32_t>(first_metric + metric_count + 6, r) != 0;
        run.wall_time = block.get<double>(first_metric + metric_count + 7, r);
        results.runs.push_back(run);
      }
    }
    file.close();
    return results;
  } catch (const ResultsFileError&) {
    throw;
  } catch (const std::exception& error) {
    throw ResultsFileError(file_name + ": " + message_of(error));
  }
}

}  // namespace continuum::sweep

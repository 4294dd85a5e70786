#pragma once
// Thin RAII over the HDF5 C API: an owned identifier closed by its matching H5?close, error checks
// that throw, and the attribute writers the trace needs. Only sim/io includes <hdf5.h>.
//
// Every failure throws std::ios_base::failure naming what was being done, so the CLI reports it
// like any other output error. Debian's serial HDF5 is built thread-safe (one global lock); a
// build without that lock must be called by one thread at a time (library_is_threadsafe()).
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace continuum::io::hdf5 {

/// Throws std::ios_base::failure("HDF5: <what>") when `status` is negative.
void check(herr_t status, std::string_view what);

/// One owned HDF5 identifier (file, group, dataset, dataspace, datatype, property list, attribute).
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);

  Handle() = default;
  /// Takes ownership of `id`; throws naming `what` when `id` is negative (the call failed).
  Handle(hid_t id, Closer closer, std::string_view what);
  ~Handle();
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  /// Closes now and reports a failure (the destructor cannot): use it for files, whose close
  /// flushes the last metadata to disk.
  void close();

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// Whether the HDF5 library serialises concurrent calls itself (H5is_library_threadsafe).
bool library_is_threadsafe();

/// Variable-length UTF-8 string type: h5py reads it as `str`.
Handle string_type();

/// Opens `path` (absolute from the file root or relative to `parent`) as a group, creating it and
/// any missing parents.
Handle require_group(hid_t parent, const std::string& path);

void write_attribute(hid_t object, const char* name, std::string_view value);
void write_attribute(hid_t object, const char* name, const char* value);
void write_attribute(hid_t object, const char* name, double value);
void write_attribute(hid_t object, const char* name, std::int64_t value);
void write_attribute(hid_t object, const char* name, std::uint64_t value);
void write_attribute(hid_t object, const char* name, const std::vector<std::string>& values);

/// The root attributes every continuum HDF5 file starts with: `format` (what the file is),
/// `format_version` (uint64; bumped when a reader must adapt), `continuum_version`, `git_revision`.
void write_format_attributes(hid_t root, std::string_view format, std::uint64_t version);

/// A scalar variable-length string dataset `name` under `parent` (for texts that may exceed what
/// an attribute comfortably holds, such as the JSON summary).
Handle write_string_dataset(hid_t parent, const char* name, std::string_view text);

}  // namespace continuum::io::hdf5

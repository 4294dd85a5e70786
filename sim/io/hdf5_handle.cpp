#include "sim/io/hdf5_handle.hpp"

#include <ios>
#include <utility>

#include "continuum/version.hpp"
#include "sim/io/summary_json.hpp"

namespace continuum::io::hdf5 {

bool library_is_threadsafe() {
  static const bool threadsafe = [] {
    hbool_t answer = false;
    return H5is_library_threadsafe(&answer) >= 0 && answer;
  }();
  return threadsafe;
}

void check(herr_t status, std::string_view what) {
  if (status < 0) throw std::ios_base::failure("HDF5: " + std::string(what));
}

Handle::Handle(hid_t id, Closer closer, std::string_view what) : id_(id), closer_(closer) {
  if (id < 0) throw std::ios_base::failure("HDF5: " + std::string(what));
}

Handle::~Handle() {
  if (valid()) closer_(id_);
}

Handle::Handle(Handle&& other) noexcept
    : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    if (valid()) closer_(id_);
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    closer_ = other.closer_;
  }
  return *this;
}

void Handle::close() {
  if (!valid()) return;
  const hid_t id = std::exchange(id_, H5I_INVALID_HID);
  check(closer_(id), "closing an object");
}

Handle string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copying the string type");
  check(H5Tset_size(type.get(), H5T_VARIABLE), "making a variable-length string type");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "setting the UTF-8 character set");
  return type;
}

Handle require_group(hid_t parent, const std::string& path) {
  // One level at a time: H5Lexists on a path whose parent is missing fails (and prints an error
  // stack) instead of answering "no".
  Handle current(H5Oopen(parent, path.starts_with('/') ? "/" : ".", H5P_DEFAULT), H5Oclose,
                 "opening " + path);
  std::size_t begin = 0;
  while (begin < path.size()) {
    std::size_t end = path.find('/', begin);
    if (end == std::string::npos) end = path.size();
    if (end > begin) {
      const std::string name = path.substr(begin, end - begin);
      const htri_t exists = H5Lexists(current.get(), name.c_str(), H5P_DEFAULT);
      check(exists, "looking up " + path);
      current =
          exists > 0
              ? Handle(H5Gopen2(current.get(), name.c_str(), H5P_DEFAULT), H5Gclose, "opening group " + path)
              : Handle(H5Gcreate2(current.get(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                       H5Gclose, "creating group " + path);
    }
    begin = end + 1;
  }
  return current;
}

namespace {

void write_scalar(hid_t object, const char* name, hid_t type, const void* value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "creating a scalar dataspace");
  Handle attribute(H5Acreate2(object, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                   std::string("creating attribute ") + name);
  check(H5Awrite(attribute.get(), type, value), std::string("writing attribute ") + name);
}

}  // namespace

void write_attribute(hid_t object, const char* name, std::string_view value) {
  const std::string text(value);  // NUL-terminated copy: HDF5 variable-length strings are C strings
  const char* pointer = text.c_str();
  const Handle type = string_type();
  write_scalar(object, name, type.get(), &pointer);
}

void write_attribute(hid_t object, const char* name, const char* value) {
  write_attribute(object, name, std::string_view(value));
}

void write_attribute(hid_t object, const char* name, double value) {
  write_scalar(object, name, H5T_NATIVE_DOUBLE, &value);
}

void write_attribute(hid_t object, const char* name, std::int64_t value) {
  write_scalar(object, name, H5T_NATIVE_INT64, &value);
}

void write_attribute(hid_t object, const char* name, std::uint64_t value) {
  write_scalar(object, name, H5T_NATIVE_UINT64, &value);
}

void write_attribute(hid_t object, const char* name, const std::vector<std::string>& values) {
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& value : values) pointers.push_back(value.c_str());
  const hsize_t size = values.size();
  // A zero-length simple dataspace is legal and reads back as an empty array.
  Handle space(H5Screate_simple(1, &size, nullptr), H5Sclose, "creating an array dataspace");
  const Handle type = string_type();
  Handle attribute(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                   std::string("creating attribute ") + name);
  if (!values.empty())
    check(H5Awrite(attribute.get(), type.get(), pointers.data()), std::string("writing attribute ") + name);
}

Handle write_string_dataset(hid_t parent, const char* name, std::string_view text) {
  const std::string copy(text);
  const char* pointer = copy.c_str();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "creating a scalar dataspace");
  const Handle type = string_type();
  Handle dataset(H5Dcreate2(parent, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 H5Dclose, std::string("creating dataset ") + name);
  check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &pointer),
        std::string("writing dataset ") + name);
  return dataset;
}

void write_format_attributes(hid_t root, std::string_view format, std::uint64_t version) {
  write_attribute(root, "format", format);
  write_attribute(root, "format_version", version);
  write_attribute(root, "continuum_version", version_string);
  write_attribute(root, "git_revision", git_revision_string());
}

}  // namespace continuum::io::hdf5

// qualify's Python module: conversions between Python objects, JSON and qualify's dates.
#pragma once

#include <cmath>
#include <charconv>  // to_chars, from_chars
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>  // errc
#include <unordered_map>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
// The CPython datetime C API: PyDate_Check, PyDate_FromDate.
#include <datetime.h>

#include <nlohmann/json.hpp>

#include "qualify/calendar.hpp"
#include "qualify/decision.hpp"
#include "qualify/detail/json_text.hpp"
#include "qualify/error.hpp"

namespace qualify::python {

namespace py = pybind11;

inline void import_datetime() {
  if (!PyDateTimeAPI) {
    PyDateTime_IMPORT;
    if (!PyDateTimeAPI) throw py::error_already_set();
  }
}

/// A date from `datetime.date` (a `datetime.datetime` gives its date part) or ISO text
/// "YYYY-MM-DD". Throws CalendarError("invalid_date") for text that is not a real date and
/// py::type_error for anything else.
inline Date date_from_python(py::handle h) {
  import_datetime();
  if (PyDate_Check(h.ptr()))
    return Date::from_ymd(PyDateTime_GET_YEAR(h.ptr()), static_cast<unsigned>(PyDateTime_GET_MONTH(h.ptr())),
                          static_cast<unsigned>(PyDateTime_GET_DAY(h.ptr())));
  if (PyUnicode_Check(h.ptr())) {
    std::string text = h.cast<std::string>();
    if (auto d = Date::parse(text)) return *d;
    throw CalendarError("invalid_date", "", "", "\"" + text + "\" is not a date in YYYY-MM-DD form");
  }
  throw py::type_error("expected a datetime.date or an ISO date text \"YYYY-MM-DD\", not " +
                       std::string(py::str(py::type::handle_of(h).attr("__name__"))));
}

inline py::object date_to_python(Date d) {
  import_datetime();
  PyObject* out = PyDate_FromDate(d.year(), static_cast<int>(d.month()), static_cast<int>(d.day()));
  if (!out) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(out);
}

namespace detail {
// A new reference from the C API, or the Python error it set.
inline py::object checked(PyObject* result) {
  if (!result) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(result);
}
}  // namespace detail

namespace detail {
// One str per distinct key: a decision repeats "rule", "message", "zh"... in every finding,
// and making each anew took a good part of to_dict's time.
using KeyStrings = std::unordered_map<std::string_view, py::object>;

inline py::object str_of(std::string_view s) {
  return checked(PyUnicode_FromStringAndSize(s.data(), static_cast<Py_ssize_t>(s.size())));
}

// The str for key `k`, made on its first use in `keys`.
inline const py::object& key_str(KeyStrings& keys, std::string_view k) {
  py::object& s = keys[k];
  if (!s) s = str_of(k);
  return s;
}

inline py::object to_python(const nlohmann::json& j, KeyStrings& keys) {
  using T = nlohmann::json::value_t;
  switch (j.type()) {
    case T::null: return py::none();
    case T::boolean: return py::bool_(j.get<bool>());
    case T::number_integer: return checked(PyLong_FromLongLong(j.get<std::int64_t>()));
    case T::number_unsigned: return checked(PyLong_FromUnsignedLongLong(j.get<std::uint64_t>()));
    case T::number_float: return checked(PyFloat_FromDouble(j.get<double>()));
    case T::string: return str_of(j.get_ref<const std::string&>());
    case T::array: {
      py::object out = checked(PyList_New(static_cast<Py_ssize_t>(j.size())));
      Py_ssize_t i = 0;
      for (const auto& item : j) PyList_SET_ITEM(out.ptr(), i++, to_python(item, keys).release().ptr());
      return out;
    }
    case T::object: {
      py::object out = checked(PyDict_New());
      for (auto it = j.begin(); it != j.end(); ++it) {
        py::object value = to_python(it.value(), keys);
        if (PyDict_SetItem(out.ptr(), key_str(keys, it.key()).ptr(), value.ptr()) != 0) throw py::error_already_set();
      }
      return out;
    }
    default: return py::none();  // binary and discarded values do not occur in qualify's JSON
  }
}
}  // namespace detail

/// JSON to Python: objects become dicts (in the JSON's key order), arrays lists.
inline py::object to_python(const nlohmann::json& j) {
  detail::KeyStrings keys;
  return detail::to_python(j, keys);
}

/// One line of JSON text (an evidence value) to Python. The usual values, a text without
/// escapes, a whole number, true, false and null, are read directly; the others are parsed.
inline py::object json_text_to_python(std::string_view text) {
  if (text == "null") return py::none();
  if (text == "true") return py::bool_(true);
  if (text == "false") return py::bool_(false);
  if (text.size() >= 2 && text.front() == '"' && text.find('\\') == std::string_view::npos)
    return detail::str_of(text.substr(1, text.size() - 2));
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc() && end == text.data() + text.size()) return detail::checked(PyLong_FromLongLong(n));
  return to_python(nlohmann::json::parse(text));
}

/// A finding's evidence: a dict by pointer or name, or None when nothing was recorded.
inline py::object evidence_to_python(const Evidence& e) {
  if (e.is_null()) return py::none();
  py::dict out;
  for (std::size_t i = 0; i < e.size(); ++i) out[detail::str_of(e[i].key)] = json_text_to_python(e[i].json_text);
  return out;
}

/// Builds Python objects from the events of qualify::detail::walk_decision: Decision.to_dict
/// without making the nlohmann::json of the decision first.
class PythonSink {
 public:
  void begin_object() { open(detail::checked(PyDict_New())); }
  void begin_array() { open(detail::checked(PyList_New(0))); }
  void end_object() { open_.pop_back(); }
  void end_array() { open_.pop_back(); }
  void key(std::string_view k) { key_ = detail::key_str(keys_, k); }
  void string(std::string_view s) { add(detail::str_of(s)); }
  void null() { add(py::none()); }
  void boolean(bool b) { add(py::bool_(b)); }
  void json(const nlohmann::json& j) { add(detail::to_python(j, keys_)); }
  void json_text(std::string_view text) { add(json_text_to_python(text)); }

  py::object result() { return std::move(result_); }

 private:
  void open(py::object container) {
    add(container);
    open_.push_back(std::move(container));
  }
  // Into the open dict under the last key, or onto the open list.
  void add(const py::object& v) {
    if (open_.empty()) {
      result_ = v;
      return;
    }
    PyObject* top = open_.back().ptr();
    int failed = PyDict_Check(top) ? PyDict_SetItem(top, key_.ptr(), v.ptr()) : PyList_Append(top, v.ptr());
    if (failed) throw py::error_already_set();
  }

  std::vector<py::object> open_;
  py::object key_, result_;
  detail::KeyStrings keys_;  // keys outlive the walk: the decision's literals and evidence
};

/// Python to JSON, as json.dumps reads it: dict (and other mappings) → object, list/tuple
/// → array, str, int, float, bool, None; datetime.date → ISO text; numpy-style scalars by
/// __index__/__float__. Throws py::type_error for anything else and py::value_error for
/// NaN, infinities, integers beyond 64 bits and nesting deeper than 1000.
inline nlohmann::json from_python(py::handle h, int depth = 0) {
  if (depth > 1000) throw py::value_error("nested more than 1000 levels deep");
  PyObject* o = h.ptr();
  if (o == Py_None) return nullptr;
  if (PyBool_Check(o)) return o == Py_True;
  if (PyLong_Check(o)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
    if (!overflow) return static_cast<std::int64_t>(v);
    if (overflow > 0) {
      unsigned long long u = PyLong_AsUnsignedLongLong(o);
      if (!PyErr_Occurred()) return static_cast<std::uint64_t>(u);
      PyErr_Clear();
    }
    throw py::value_error("integer " + std::string(py::str(h)) + " does not fit in 64 bits");
  }
  if (PyFloat_Check(o)) {
    double x = PyFloat_AS_DOUBLE(o);
    if (!std::isfinite(x)) throw py::value_error("NaN and infinities are not JSON");
    return x;
  }
  if (PyUnicode_Check(o)) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(o, &size);
    if (!data) throw py::error_already_set();
    return std::string(data, static_cast<std::size_t>(size));
  }
  if (PyDict_Check(o)) {
    nlohmann::json out = nlohmann::json::object();
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(o, &pos, &key, &value)) {
      if (!PyUnicode_Check(key)) throw py::type_error("keys must be str, not " + std::string(py::str(py::type::handle_of(key).attr("__name__"))));
      out[py::handle(key).cast<std::string>()] = from_python(value, depth + 1);
    }
    return out;
  }
  if (PyList_Check(o) || PyTuple_Check(o)) {
    nlohmann::json out = nlohmann::json::array();
    py::sequence seq = py::reinterpret_borrow<py::sequence>(h);
    for (py::handle item : seq) out.push_back(from_python(item, depth + 1));
    return out;
  }
  import_datetime();
  if (PyDate_Check(o)) return h.attr("isoformat")().cast<std::string>();
  if (py::hasattr(h, "__index__")) return from_python(detail::checked(PyNumber_Index(o)), depth);
  if (py::hasattr(h, "__float__")) return from_python(detail::checked(PyNumber_Float(o)), depth);
  py::object abc = py::module_::import("collections.abc");
  if (py::isinstance(h, abc.attr("Mapping"))) return from_python(py::dict(py::reinterpret_borrow<py::object>(h)), depth);
  if (py::isinstance(h, abc.attr("Sequence")) && !PyBytes_Check(o) && !PyByteArray_Check(o))
    return from_python(py::list(py::reinterpret_borrow<py::object>(h)), depth);
  throw py::type_error("Object of type " + std::string(py::str(py::type::handle_of(h).attr("__name__"))) +
                       " is not JSON serializable");
}

namespace detail {

inline std::string type_name(py::handle h) { return py::str(py::type::handle_of(h).attr("__name__")); }

// A str's UTF-8 without leaving a cached copy on the str (the caller's data stays as
// small as it was): ASCII strings are read in place, others encoded to a temporary.
inline void append_python_string(std::string& out, PyObject* o) {
  if (PyUnicode_IS_ASCII(o)) {
    qualify::detail::append_json_string(out, {static_cast<const char*>(PyUnicode_DATA(o)), static_cast<std::size_t>(PyUnicode_GET_LENGTH(o))});
    return;
  }
  py::object bytes = py::reinterpret_steal<py::object>(PyUnicode_AsUTF8String(o));
  if (!bytes) throw py::error_already_set();
  qualify::detail::append_json_string(out, {PyBytes_AS_STRING(bytes.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(bytes.ptr()))});
}

inline void append_number(std::string& out, auto x) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  out.append(buffer, end);
}

}  // namespace detail

/// Writes a Python value as compact JSON text, reading it as from_python() does (dict and
/// other mappings, list/tuple and other sequences, str, int, float, bool, None,
/// datetime.date as ISO text, numpy-style scalars). Same errors as from_python().
inline void write_json(py::handle h, std::string& out, int depth = 0) {
  if (depth > 1000) throw py::value_error("nested more than 1000 levels deep");
  PyObject* o = h.ptr();
  if (o == Py_None) {
    out += "null";
  } else if (PyBool_Check(o)) {
    out += o == Py_True ? "true" : "false";
  } else if (PyLong_Check(o)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
    if (!overflow) return detail::append_number(out, v);
    if (overflow > 0) {
      unsigned long long u = PyLong_AsUnsignedLongLong(o);
      if (!PyErr_Occurred()) return detail::append_number(out, u);
      PyErr_Clear();
    }
    throw py::value_error("integer " + std::string(py::str(h)) + " does not fit in 64 bits");
  } else if (PyFloat_Check(o)) {
    double x = PyFloat_AS_DOUBLE(o);
    if (!std::isfinite(x)) throw py::value_error("NaN and infinities are not JSON");
    std::size_t start = out.size();
    detail::append_number(out, x);
    if (out.find_first_of(".e", start) == std::string::npos) out += ".0";  // 2.0 stays a float, as in json.dumps
  } else if (PyUnicode_Check(o)) {
    detail::append_python_string(out, o);
  } else if (PyDict_Check(o)) {
    out.push_back('{');
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    bool first = true;
    while (PyDict_Next(o, &pos, &key, &value)) {
      if (!first) out.push_back(',');
      first = false;
      if (PyUnicode_Check(key)) detail::append_python_string(out, key);
      else if (PyLong_Check(key) && !PyBool_Check(key)) detail::append_python_string(out, py::str(key).ptr());
      else throw py::type_error("keys must be str or int, not " + detail::type_name(key));
      out.push_back(':');
      write_json(value, out, depth + 1);
    }
    out.push_back('}');
  } else if (PyList_Check(o) || PyTuple_Check(o)) {
    out.push_back('[');
    Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
    PyObject** items = PySequence_Fast_ITEMS(o);
    for (Py_ssize_t i = 0; i < n; ++i) {
      if (i) out.push_back(',');
      write_json(items[i], out, depth + 1);
    }
    out.push_back(']');
  } else {
    import_datetime();
    if (PyDate_Check(o)) return detail::append_python_string(out, h.attr("isoformat")().ptr());
    if (py::hasattr(h, "__index__")) return write_json(detail::checked(PyNumber_Index(o)), out, depth);
    if (py::hasattr(h, "__float__")) return write_json(detail::checked(PyNumber_Float(o)), out, depth);
    py::object abc = py::module_::import("collections.abc");
    if (py::isinstance(h, abc.attr("Mapping"))) return write_json(py::dict(py::reinterpret_borrow<py::object>(h)), out, depth);
    if (py::isinstance(h, abc.attr("Sequence")) && !PyBytes_Check(o) && !PyByteArray_Check(o))
      return write_json(py::list(py::reinterpret_borrow<py::object>(h)), out, depth);
    throw py::type_error("Object of type " + detail::type_name(h) + " is not JSON serializable");
  }
}

}  // namespace qualify::python

namespace pybind11::detail {

/// qualify::Date ⇄ datetime.date; ISO text "YYYY-MM-DD" is accepted too.
template <>
struct type_caster<qualify::Date> {
  PYBIND11_TYPE_CASTER(qualify::Date, const_name("datetime.date"));

  bool load(handle src, bool) {
    if (!src) return false;
    qualify::python::import_datetime();
    if (!PyDate_Check(src.ptr()) && !PyUnicode_Check(src.ptr())) return false;
    value = qualify::python::date_from_python(src);
    return true;
  }

  static handle cast(qualify::Date d, return_value_policy, handle) {
    return qualify::python::date_to_python(d).release();
  }
};

}  // namespace pybind11::detail

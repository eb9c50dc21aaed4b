// qualify's Python module: conversions between Python objects, JSON and qualify's dates.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
// The CPython datetime C API: PyDate_Check, PyDate_FromDate.
#include <datetime.h>

#include <nlohmann/json.hpp>

#include "qualify/calendar.hpp"
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

/// JSON to Python: objects become dicts (in the JSON's key order), arrays lists.
inline py::object to_python(const nlohmann::json& j) {
  using T = nlohmann::json::value_t;
  switch (j.type()) {
    case T::null: return py::none();
    case T::boolean: return py::bool_(j.get<bool>());
    case T::number_integer: return py::int_(j.get<std::int64_t>());
    case T::number_unsigned: return py::int_(j.get<std::uint64_t>());
    case T::number_float: return py::float_(j.get<double>());
    case T::string: return py::str(j.get_ref<const std::string&>());
    case T::array: {
      py::list out(j.size());
      std::size_t i = 0;
      for (const auto& item : j) out[i++] = to_python(item);
      return out;
    }
    case T::object: {
      py::dict out;
      for (auto it = j.begin(); it != j.end(); ++it) out[py::str(it.key())] = to_python(it.value());
      return out;
    }
    default: return py::none();  // binary and discarded values do not occur in qualify's JSON
  }
}

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
  if (py::hasattr(h, "__index__")) return from_python(py::reinterpret_steal<py::object>(PyNumber_Index(o)), depth);
  if (py::hasattr(h, "__float__") && !PyUnicode_Check(o))
    return from_python(py::reinterpret_steal<py::object>(PyNumber_Float(o)), depth);
  py::object abc = py::module_::import("collections.abc");
  if (py::isinstance(h, abc.attr("Mapping"))) return from_python(py::dict(py::reinterpret_borrow<py::object>(h)), depth);
  if (py::isinstance(h, abc.attr("Sequence")) && !PyBytes_Check(o) && !PyByteArray_Check(o))
    return from_python(py::list(py::reinterpret_borrow<py::object>(h)), depth);
  throw py::type_error("Object of type " + std::string(py::str(py::type::handle_of(h).attr("__name__"))) +
                       " is not JSON serializable");
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

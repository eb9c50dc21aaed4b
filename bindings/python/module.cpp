// qualify's private native module `_qualify`: the C++ engine for Python. The public face
// is the `qualify` package (qualify/__init__.py), which re-exports these names and adds the
// pure-Python helpers (to_dataframe, _repr_html_, pickling a RulePack).
//
// GIL: every call converts its Python arguments to C++ first, releases the GIL for the
// engine's work and builds Python objects after reacquiring it.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "qualify/detail/decision_walk.hpp"  // Decision.to_dict without nlohmann::json
#include "qualify/detail/pack_data.hpp"  // PackData::sources, for pickling a pack as its files
#include "qualify/qualify.hpp"

#include "convert.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace qualify::python {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------
// Exceptions: qualify.Error and its subclasses carry code, file, pointer and reason.

PyObject* error_type = nullptr;
PyObject* pack_error_type = nullptr;
PyObject* expression_error_type = nullptr;
PyObject* calendar_error_type = nullptr;

void raise_python(PyObject* type, const Error& e) {
  py::object exc = py::reinterpret_borrow<py::object>(type)(e.what());
  exc.attr("code") = e.code();
  exc.attr("file") = e.file();
  exc.attr("pointer") = e.pointer();
  exc.attr("reason") = e.reason();
  PyErr_SetObject(type, exc.ptr());
}

PyObject* make_exception(py::module_& m, const char* name, const char* doc, PyObject* base) {
  std::string qualified = std::string("qualify.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, base, nullptr);
  if (!type) throw py::error_already_set();
  py::handle cls(type);
  if (base == PyExc_Exception)  // defaults, so an Error made in Python has the parts too
    for (const char* part : {"code", "file", "pointer", "reason"}) cls.attr(part) = "";
  m.add_object(name, py::reinterpret_borrow<py::object>(type));
  return type;  // the module holds a reference; this one is never released
}

// ---------------------------------------------------------------------------------------
// Values shown to Python exactly as Decision JSON shows them.

// Points print with at most two decimals in the Decision JSON (decision.cpp); attributes
// agree with to_dict().
double points(double x) { return std::round(x * 100) / 100; }
std::optional<double> points(const std::optional<double>& x) {
  if (!x || !std::isfinite(*x)) return std::nullopt;
  return points(*x);
}
std::optional<std::string> or_none(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}
std::pair<Date, Date> validity_pair(const Validity& v) { return {v.from, v.until}; }

py::dict message_dict(const Message& m) { return py::dict("zh"_a = m.zh, "en"_a = m.en); }

// ---------------------------------------------------------------------------------------
// Applications from Python: dict (or any JSON-able value), JSON text, bytes or a path.

// One application, converted under the GIL. `text` is JSON text unless `path` is set (read
// later, without the GIL) or `error` is (the object could not be made JSON).
struct Input {
  std::string text;
  std::optional<fs::path> path;
  std::optional<std::pair<std::string, std::string>> error;
};

// JSON text copied with kParsePadding bytes to spare after it, so that the engine parses it
// where it is instead of copying it again (RulePack::evaluate(const std::string&)).
std::string padded_text(const char* data, std::size_t size) {
  std::string text;
  text.reserve(size + qualify::kParsePadding);
  text.assign(data, size);
  return text;
}

// A str's UTF-8, without leaving a cached UTF-8 copy on the caller's str.
std::string utf8(py::handle s) {
  if (PyUnicode_IS_ASCII(s.ptr()))
    return padded_text(static_cast<const char*>(PyUnicode_DATA(s.ptr())), static_cast<std::size_t>(PyUnicode_GET_LENGTH(s.ptr())));
  py::object bytes = py::reinterpret_steal<py::object>(PyUnicode_AsUTF8String(s.ptr()));
  if (!bytes) throw py::error_already_set();
  return padded_text(PyBytes_AS_STRING(bytes.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(bytes.ptr())));
}

// Never raises for the item's content: what cannot be made JSON text becomes an error the
// batch reports in the item's place.
Input convert_application(py::handle item) {
  Input in;
  PyObject* o = item.ptr();
  try {
    if (PyUnicode_Check(o)) {
      in.text = utf8(item);
      // A str is JSON text. One that names an existing file is a common slip: say so
      // rather than report a parse error at column 1.
      std::size_t first = in.text.find_first_not_of(" \t\r\n");
      std::error_code ec;
      if (first != std::string::npos && in.text[first] != '{' && in.text[first] != '[' && in.text.size() < 4096 &&
          fs::is_regular_file(fs::path(in.text), ec))
        in.error = std::make_pair(std::string("not_json"),
                                  "a str is read as JSON text, but this one names a file (" + in.text +
                                      "): pass pathlib.Path(...) to read the file");
    } else if (PyBytes_Check(o)) {
      in.text = padded_text(PyBytes_AS_STRING(o), static_cast<std::size_t>(PyBytes_GET_SIZE(o)));
    } else if (PyByteArray_Check(o) || PyMemoryView_Check(o)) {
      py::bytes b = py::reinterpret_steal<py::bytes>(PyBytes_FromObject(o));
      if (!b) throw py::error_already_set();
      in.text = padded_text(PyBytes_AS_STRING(b.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(b.ptr())));
    } else if (py::hasattr(item, "__fspath__")) {
      in.path = item.cast<fs::path>();
    } else {
      // Written as JSON text here and parsed by the engine, exactly as a file is: see
      // evaluate's docstring for what it costs.
      write_json(item, in.text);
    }
  } catch (const py::builtin_exception& e) {
    in.error = std::make_pair(std::string("not_json"), std::string(e.what()));
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_Exception)) throw;  // KeyboardInterrupt and the like go on
    std::string code = e.matches(PyExc_UnicodeError) ? "invalid_utf8" : "not_json";
    in.error = std::make_pair(code, std::string(py::str(e.value())));
  }
  if (in.error) {
    in.text.clear();
    in.path.reset();
  }
  return in;
}

// The Decision for an application that cannot be read: as RulePack::evaluate makes it for
// text that is not JSON, so a batch keeps going and every input has its record.
Decision unreadable(const RulePack& pack, const EvaluateOptions& options, const std::string& code,
                    const std::string& message) {
  Decision d;
  d.pack = pack.info();
  d.as_of = options.as_of;
  d.error = std::make_pair(code, message);
  Finding f;
  f.rule = "input.readable";
  f.clause = "form";
  f.outcome = Outcome::unknown;
  f.severity = Severity::hard;
  f.message = {"无法读取申报材料（" + code + "）：" + message, "The application cannot be read (" + code + "): " + message};
  d.findings.push_back(std::move(f));
  d.status = Status::needs_review;
  return d;
}

// Reads the files of path inputs (no GIL needed). An unreadable file becomes an error.
void read_paths(std::vector<Input>& inputs) {
  for (Input& in : inputs) {
    if (!in.path || in.error) continue;
    std::error_code ec;
    std::ifstream file;
    if (!fs::is_directory(*in.path, ec)) file.open(*in.path, std::ios::binary);
    if (!file.is_open()) {
      in.error = std::make_pair(std::string("unreadable"), "cannot read " + in.path->string());
      continue;
    }
    std::ostringstream text;
    text << file.rdbuf();  // an empty file inserts nothing: the parser reports it
    in.text = std::move(text).str();
  }
}

// Evaluates converted inputs on `threads` threads; call without the GIL.
std::vector<Decision> evaluate_inputs(const RulePack& pack, std::vector<Input>& inputs, unsigned threads,
                                      const EvaluateOptions& options) {
  read_paths(inputs);
  std::vector<std::string> texts;
  std::vector<std::size_t> where;
  texts.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (!inputs[i].error) {
      texts.push_back(std::move(inputs[i].text));
      where.push_back(i);
    }
  std::vector<Decision> evaluated = pack.evaluate_many(texts, threads, options);
  std::vector<Decision> out(inputs.size());
  for (std::size_t k = 0; k < where.size(); ++k) out[where[k]] = std::move(evaluated[k]);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].error) out[i] = unreadable(pack, options, inputs[i].error->first, inputs[i].error->second);
    if (inputs[i].path) out[i].source = inputs[i].path->string();
  }
  return out;
}

EvaluateOptions evaluate_options(std::optional<Date> as_of, bool explain) {
  EvaluateOptions options;
  options.as_of = as_of;
  options.explain = explain;
  return options;
}

// ---------------------------------------------------------------------------------------
// Reprs: one line that says what the object is.

std::string quoted(const std::string& s) { return py::repr(py::str(s)); }

std::string number(double x) {
  std::ostringstream out;
  out << points(x);
  return out.str();
}

std::string decision_repr(const Decision& d) {
  int failed = 0, unknown = 0;
  for (const Finding& f : d.findings) {
    if (f.severity == Severity::info) continue;
    failed += f.outcome == Outcome::fail;
    unknown += f.outcome == Outcome::unknown;
  }
  std::string out = "<Decision ";
  out += d.application.empty() ? (d.source.empty() ? std::string("(no id)") : quoted(d.source)) : quoted(d.application);
  out += " " + std::string(to_string(d.status));
  if (d.error) out += " (" + d.error->first + ")";
  if (d.score) out += ", score " + number(d.score->total) + "/" + number(d.score->max);
  out += ", " + std::to_string(failed) + " failed, " + std::to_string(unknown) + " unknown>";
  return out;
}

std::string selection_repr(const Selection& s) {
  std::string out = "<Selection " + std::to_string(s.institutions_selected) + " of quota " + std::to_string(s.quota) +
                    " institutions; selected:";
  int shown = 0;
  for (const Ranked& r : s.ranking)
    if (r.selected) out += (shown++ ? ", " : " ") + (r.application.empty() ? quoted(r.source) : quoted(r.application));
  if (!shown) out += " none";
  return out + ">";
}

// ---------------------------------------------------------------------------------------

void translate_errors() {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const PackError& e) {
      raise_python(pack_error_type, e);
    } catch (const ExpressionError& e) {
      raise_python(expression_error_type, e);
    } catch (const CalendarError& e) {
      raise_python(calendar_error_type, e);
    } catch (const Error& e) {
      raise_python(error_type, e);
    }
  });
}

template <class T>
py::str json_pickle_get(const T& self) {
  return py::str(self.to_json().dump());
}

}  // namespace

void define_module(py::module_& m) {
  m.doc() =
      "qualify's native engine (private): use the `qualify` package, which re-exports these "
      "names with their helpers.";
  m.attr("__version__") = qualify::version;

  error_type = make_exception(m, "Error",
                              "The base of every error qualify raises: a fault of a rule pack or of a call "
                              "(unreadable file, unknown operator, date outside the calendar). A fault in an "
                              "application's data never raises: it becomes a finding.\n\n"
                              "Attributes: code (short stable code, listed in rules/README.md), file (the file "
                              "at fault, or ''), pointer (JSON Pointer inside it, or ''), reason (what is wrong).",
                              PyExc_Exception);
  pack_error_type = make_exception(m, "PackError",
                                   "A rule pack cannot be found, read, parsed or checked (bad manifest, undeclared "
                                   "field, cycle). Has code, file, pointer and reason.",
                                   error_type);
  expression_error_type = make_exception(m, "ExpressionError",
                                         "A JsonLogic expression is malformed (unknown operator, wrong arity, bad "
                                         "literal), exceeds a limit, or fails while it is applied. Has code, file, "
                                         "pointer and reason.",
                                         error_type);
  calendar_error_type = make_exception(m, "CalendarError",
                                       "A date question the calendar cannot answer: a year outside the pack's "
                                       "calendar, or a date that does not exist (\"2025-02-30\"). Has code, file, "
                                       "pointer and reason.",
                                       error_type);
  translate_errors();

  // Declare every class first, so signatures name them, then define their members.
  py::class_<Message> message(m, "Message", "A text in Chinese (zh) and English (en).");
  py::class_<PackInfo> pack_info(m, "PackInfo", "Which rule pack decided: id, version and sha256 of its files.");
  py::class_<Finding> finding(m, "Finding",
                              "One finding of a Decision: a rule's or a schema check's outcome, citing the clause "
                              "of the notice, explained in both languages, with the values it read.");
  py::class_<Criterion> criterion(m, "Criterion", "One scoring criterion's points, its maximum and why.");
  py::class_<Score> score(m, "Score", "The score: total and max, the criteria, and the objective and expert parts.");
  py::class_<DateFacts> date_facts(m, "DateFacts", "Date facts about an application: deadline met, listing period.");
  py::class_<Decision> decision(m, "Decision",
                                "The decision on one application: status ('eligible', 'needs_review' or "
                                "'ineligible'), findings, score and dates. Attributes hold what to_dict() holds, "
                                "with dates as datetime.date and nested objects as classes. Immutable; pickles "
                                "as its JSON; shows as a table in a notebook.");
  py::class_<Ranked> ranked(m, "Ranked", "One application's place in a Selection's ranking.");
  py::class_<Selection> selection(m, "Selection",
                                  "The outcome of RulePack.select: the ranking, and which applications are "
                                  "selected under the quota (which counts institutions, not applications).");
  py::class_<LintMessage> lint_message(m, "LintMessage", "A problem a pack author should fix (RulePack.lint).");
  py::class_<RulePack> rule_pack(m, "RulePack",
                                 "A loaded rule pack (see qualify.load): parsed, checked and compiled once, then "
                                 "evaluated many times. Immutable and safe to use from many threads. Pickles as "
                                 "its source files and recompiles, so it travels to Dask or Spark workers.");

  message.def_readonly("zh", &Message::zh, "The Chinese text.")
      .def_readonly("en", &Message::en, "The English text.")
      .def("to_dict", &message_dict, "The message as {'zh': ..., 'en': ...}.")
      .def("__str__", [](const Message& s) { return s.en.empty() ? s.zh : s.zh.empty() ? s.en : s.zh + " / " + s.en; })
      .def("__repr__", [](const Message& s) { return "Message(zh=" + quoted(s.zh) + ", en=" + quoted(s.en) + ")"; })
      .def("__eq__", [](const Message& a, const Message& b) { return a.zh == b.zh && a.en == b.en; }, py::is_operator(), py::arg("other"));

  pack_info.def_readonly("id", &PackInfo::id, "The pack's id, such as 'chongqing-dte-2025'.")
      .def_readonly("version", &PackInfo::version, "The pack's version, from pack.json.")
      .def_readonly("sha256", &PackInfo::sha256, "A digest of the pack's files: which rules decided, exactly.")
      .def("to_dict", [](const PackInfo& p) { return py::dict("id"_a = p.id, "version"_a = p.version, "sha256"_a = p.sha256); },
           "The pack as {'id', 'version', 'sha256'}.")
      .def("__repr__", [](const PackInfo& p) {
        return "PackInfo(id=" + quoted(p.id) + ", version=" + quoted(p.version) + ", sha256=" + quoted(p.sha256) + ")";
      });

  finding
      .def_readonly("rule", &Finding::rule, "The rule id, or 'schema.<check>' for a form check.")
      .def_readonly("clause", &Finding::clause, "Where in the notice: '2.3' is 二、(三); 'form:/profile' a form field.")
      .def_property_readonly("outcome", [](const Finding& f) { return std::string(to_string(f.outcome)); },
                             "'pass', 'fail' or 'unknown' (the application lacks what the rule needs).")
      .def_property_readonly("severity", [](const Finding& f) { return std::string(to_string(f.severity)); },
                             "'hard' (a failure makes the application ineligible), 'soft' (needs review) or 'info'.")
      .def_readonly("message", &Finding::message, "What was found, in Chinese and English (a Message).")
      .def_readonly("pointer", &Finding::pointer, "JSON Pointer of the field the finding is about, or ''.")
      .def_property_readonly("evidence", [](const Finding& f) { return evidence_to_python(f.evidence); },
                             "The values the rule read, by JSON Pointer (a new dict on each access); None when\n"
                             "nothing was recorded: rule findings of evaluate(..., explain=False).")
      .def_property_readonly("error", [](const Finding& f) { return or_none(f.error); },
                             "Why the evaluation of this rule could not finish (a bad date, the step budget), or None.")
      .def("to_dict", [](const Finding& f) {
        py::dict d("rule"_a = f.rule, "clause"_a = f.clause, "outcome"_a = to_string(f.outcome),
                   "severity"_a = to_string(f.severity), "message"_a = message_dict(f.message), "pointer"_a = f.pointer,
                   "evidence"_a = evidence_to_python(f.evidence));
        if (!f.error.empty()) d["error"] = f.error;
        return d;
      }, "The finding as in the Decision JSON.")
      .def("__repr__", [](const Finding& f) {
        return "<Finding " + std::string(f.rule) + " " + std::string(to_string(f.outcome)) + " (" +
               std::string(to_string(f.severity)) + (f.clause.empty() ? "" : ", clause " + std::string(f.clause)) +
               (f.pointer.empty() ? "" : ", " + f.pointer) + ")>";
      });

  criterion.def_readonly("id", &Criterion::id, "The criterion's id in scoring.json.")
      .def_property_readonly("points", [](const Criterion& c) { return points(c.points); }, "Points awarded (two decimals).")
      .def_property_readonly("max", [](const Criterion& c) { return points(c.max); }, "The most points it can give.")
      .def_readonly("why", &Criterion::why, "Why these points, in Chinese and English (a Message).")
      .def("__repr__", [](const Criterion& c) {
        return "<Criterion " + c.id + " " + number(c.points) + "/" + number(c.max) + ">";
      });

  score.def_property_readonly("total", [](const Score& s) { return points(s.total); }, "The final score (two decimals).")
      .def_property_readonly("max", [](const Score& s) { return points(s.max); }, "The highest possible score.")
      .def_readonly("criteria", &Score::criteria, "The rubric's criteria (list of Criterion).")
      .def_property_readonly("objective", [](const Score& s) { return points(s.objective); },
                             "The rubric's objective points, or None.")
      .def_property_readonly("expert", [](const Score& s) { return points(s.expert); },
                             "The experts' combined score, or None when there is none.")
      .def("__repr__", [](const Score& s) { return "<Score " + number(s.total) + "/" + number(s.max) + ">"; });

  date_facts
      .def_readonly("deadline_met", &DateFacts::deadline_met, "Whether it was submitted by the deadline; None when unknown.")
      .def_property_readonly("validity", [](const DateFacts& f) -> std::optional<std::pair<Date, Date>> {
        if (!f.validity) return std::nullopt;
        return validity_pair(*f.validity);
      }, "The listing period (from, until) as datetime.date, or None until approved online.")
      .def("__repr__", [](const DateFacts& f) {
        std::string met = f.deadline_met ? (*f.deadline_met ? "True" : "False") : "None";
        std::string v = f.validity ? "(" + f.validity->from.iso() + ", " + f.validity->until.iso() + ")" : "None";
        return "<DateFacts deadline_met=" + met + " validity=" + v + ">";
      });

  decision
      .def_property_readonly("application", [](const Decision& d) { return or_none(d.application); },
                             "The application's id, or None when it has none.")
      .def_property_readonly("institution", [](const Decision& d) { return or_none(d.institution); },
                             "The institution's 统一社会信用代码 (organization.uscc), or None.")
      .def_property_readonly("occupation", [](const Decision& d) { return or_none(d.occupation); },
                             "The occupation applied for, or None.")
      .def_property_readonly("source", [](const Decision& d) { return or_none(d.source); },
                             "The file the application came from, when it was given as a path; else None.")
      .def_readonly("pack", &Decision::pack, "Which rule pack decided (a PackInfo).")
      .def_readonly("as_of", &Decision::as_of, "The day the evaluation speaks for (datetime.date), or None.")
      .def_property_readonly("status", [](const Decision& d) { return std::string(to_string(d.status)); },
                             "'eligible', 'needs_review' or 'ineligible'.")
      .def_readonly("missing", &Decision::missing, "Fields whose absence left rules unknown: what to ask for next.")
      .def_readonly("findings", &Decision::findings, "Every finding (list of Finding), schema checks first.")
      .def_readonly("score", &Decision::score, "The Score, or None when the application could not be scored.")
      .def_readonly("dates", &Decision::dates, "Date facts (a DateFacts): deadline_met, validity.")
      .def_property_readonly("error", [](const Decision& d) -> py::object {
        if (!d.error) return py::none();
        return py::dict("code"_a = d.error->first, "message"_a = d.error->second);
      }, "{'code', 'message'} when the application could not be read at all (not JSON, unreadable file); else None.")
      .def("to_dict", [](const Decision& d) {
        PythonSink sink;
        qualify::detail::walk_decision(d, sink);
        return py::dict(sink.result());
      },
           "The Decision JSON of DESIGN.md as a dict: what `qualify evaluate --format json` prints.")
      .def("to_json", [](const Decision& d, std::optional<int> indent) {
        return d.to_json_text(indent ? *indent : -1);
      }, py::arg("indent") = py::none(), "The Decision JSON as text; `indent` spaces per level, or one line.")
      .def_static("from_dict", [](const py::dict& j) { return Decision::from_json(from_python(j)); }, py::arg("data"),
                  "The Decision a to_dict() result (or parsed Decision JSON) describes. Raises qualify.Error "
                  "(code 'bad_decision') when it is malformed.")
      .def("__eq__", [](const Decision& a, const Decision& b) { return a.to_json() == b.to_json(); }, py::is_operator(), py::arg("other"),
           "Decisions are equal when their JSON is.")
      .def("__repr__", &decision_repr)
      .def(py::pickle(&json_pickle_get<Decision>,
                      [](const py::str& text) { return Decision::from_json(nlohmann::json::parse(std::string(text))); }));

  ranked
      .def_property_readonly("application", [](const Ranked& r) { return or_none(r.application); }, "The application's id.")
      .def_property_readonly("source", [](const Ranked& r) { return or_none(r.source); }, "Its file, when known.")
      .def_property_readonly("institution", [](const Ranked& r) { return or_none(r.institution); },
                             "The institution's 统一社会信用代码.")
      .def_property_readonly("occupation", [](const Ranked& r) { return or_none(r.occupation); }, "The occupation.")
      .def_property_readonly("status", [](const Ranked& r) { return std::string(to_string(r.status)); },
                             "The decision's status.")
      .def_property_readonly("score", [](const Ranked& r) { return points(r.score); },
                             "The final score (objective and experts blended), or None.")
      .def_property_readonly("objective", [](const Ranked& r) { return points(r.objective); }, "The rubric's points, or None.")
      .def_property_readonly("expert", [](const Ranked& r) { return points(r.expert); }, "The experts' score, or None.")
      .def_readonly("rank", &Ranked::rank, "1-based rank among ranked applications; 0 for those not ranked.")
      .def_readonly("selected", &Ranked::selected, "Whether it is selected.")
      .def_property_readonly("reason", [](const Ranked& r) { return std::string(to_string(r.reason)); },
                             "'selected', 'below_cut', 'quota_reached' or 'not_eligible'.")
      .def("__repr__", [](const Ranked& r) {
        return "<Ranked #" + std::to_string(r.rank) + " " + (r.application.empty() ? quoted(r.source) : quoted(r.application)) +
               " " + std::string(to_string(r.reason)) + ">";
      });

  selection.def_readonly("quota", &Selection::quota, "At most this many institutions are selected.")
      .def_readonly("institutions_selected", &Selection::institutions_selected, "How many institutions are selected.")
      .def_readonly("include_needs_review", &Selection::include_needs_review, "Whether needs_review decisions were ranked.")
      .def_property_readonly("cut", [](const Selection& s) { return points(s.cut); }, "The lowest selectable score, or None.")
      .def_readonly("tie_breaks", &Selection::tie_breaks, "The ranking order that applied, such as 'final desc'.")
      .def_readonly("ranking", &Selection::ranking, "Ranked applications in rank order, then the unranked in input order.")
      .def_property_readonly("selected", [](const Selection& s) {
        std::vector<Ranked> out;
        for (const Ranked& r : s.ranking)
          if (r.selected) out.push_back(r);
        return out;
      }, "The selected entries of the ranking, in rank order.")
      .def("to_dict", [](const Selection& s) { return py::dict(to_python(s.to_json())); }, "The Selection JSON of DESIGN.md as a dict.")
      .def("to_json", [](const Selection& s, std::optional<int> indent) { return s.to_json().dump(indent ? *indent : -1); },
           py::arg("indent") = py::none(), "The Selection JSON as text; `indent` spaces per level, or one line.")
      .def_static("from_dict", [](const py::dict& j) { return Selection::from_json(from_python(j)); }, py::arg("data"),
                  "The Selection a to_dict() result describes. Raises qualify.Error (code 'bad_selection').")
      .def("__eq__", [](const Selection& a, const Selection& b) { return a.to_json() == b.to_json(); }, py::is_operator(), py::arg("other"),
           "Selections are equal when their JSON is.")
      .def("__repr__", &selection_repr)
      .def(py::pickle(&json_pickle_get<Selection>,
                      [](const py::str& text) { return Selection::from_json(nlohmann::json::parse(std::string(text))); }));

  lint_message.def_readonly("level", &LintMessage::level, "'error' or 'warning'.")
      .def_readonly("code", &LintMessage::code, "A short stable code, listed in rules/README.md.")
      .def_readonly("file", &LintMessage::file, "The file at fault.")
      .def_readonly("pointer", &LintMessage::pointer, "JSON Pointer inside the file.")
      .def_readonly("reason", &LintMessage::reason, "What to fix.")
      .def("__repr__", [](const LintMessage& l) {
        return "<LintMessage " + l.level + " " + l.code + ": " + l.file + ": " + l.pointer + ": " + l.reason + ">";
      });

  rule_pack
      .def_property_readonly("info", &RulePack::info, "The pack's id, version and sha256 (a PackInfo).")
      .def_property_readonly("id", [](const RulePack& p) { return p.info().id; }, "The pack's id.")
      .def_property_readonly("version", [](const RulePack& p) { return p.info().version; }, "The pack's version.")
      .def_property_readonly("sha256", [](const RulePack& p) { return p.info().sha256; }, "A digest of the pack's files.")
      .def_property_readonly("title", [](const RulePack& p) { return p.data().title; }, "The pack's title (a Message).")
      .def_property_readonly("directory", &RulePack::directory, "The folder the pack was loaded from (pathlib.Path).")
      .def_property_readonly(
          "limits",
          [](const RulePack& p) {
            const Limits& l = p.limits();
            return py::dict("max_document_bytes"_a = l.max_document_bytes, "max_data_depth"_a = l.max_data_depth,
                            "max_expression_depth"_a = l.max_expression_depth, "max_steps"_a = l.max_steps);
          },
          "The limits the pack was loaded with, as qualify.load takes them (a new dict).")
      .def(
          "evaluate",
          [](const RulePack& pack, const py::object& application, std::optional<Date> as_of, bool explain) {
            EvaluateOptions options = evaluate_options(as_of, explain);
            std::vector<Input> inputs;
            inputs.push_back(convert_application(application));
            std::vector<Decision> out;
            {
              py::gil_scoped_release release;
              out = evaluate_inputs(pack, inputs, 1, options);
            }
            return std::move(out.front());
          },
          py::arg("application"), py::kw_only(), py::arg("as_of") = py::none(), py::arg("explain") = true,
          R"(Evaluates one application and returns its Decision.

`application` is a dict (any JSON-able value: datetime.date becomes ISO text, numpy scalars
numbers), JSON text (str or bytes), or a path (pathlib.Path, os.PathLike) to a JSON file,
which also sets Decision.source. A str is always JSON text, never a file name.

Never raises for a fault in the application: text that is not JSON or not UTF-8, a value
JSON cannot hold (a set, NaN), an unreadable file, a wrong type or a missing field all
become findings (and Decision.error for the first three).

as_of: the day the evaluation speaks for (datetime.date or "YYYY-MM-DD"); default None,
  so rules that need it are 'unknown'. Never taken from the clock.
explain: explain every finding and every point of the score (default True). False is faster
  for bulk screening: the same outcomes, form findings, status, score and date facts, but
  rule findings carry no message, evidence (None) or pointer, and criteria no why.

A dict is written to compact JSON text in C++ (key order kept) and parsed by the engine's
own parser, exactly as a file is. For the 19 kB sample applications that costs about 30 us
with the GIL held plus 13 us parsing, against 110 us through json.dumps and 63 us building
nlohmann JSON from the dict; evaluating one takes about 0.6 ms (under 0.1 ms with explain=False).
The GIL is released while the engine works.)")
      .def(
          "evaluate_many",
          [](const RulePack& pack, py::iterable applications, int threads, std::optional<Date> as_of, bool explain) {
            if (threads < 0) throw py::value_error("threads must be 0 (all cores) or more");
            if (PyDict_Check(applications.ptr()) || PyUnicode_Check(applications.ptr()) || PyBytes_Check(applications.ptr()))
              throw py::type_error("evaluate_many takes an iterable of applications; evaluate takes one");
            EvaluateOptions options = evaluate_options(as_of, explain);
            std::vector<Input> inputs;
            if (py::hasattr(applications, "__len__")) inputs.reserve(py::len(applications));
            for (py::handle item : applications) inputs.push_back(convert_application(item));
            std::vector<Decision> out;
            {
              py::gil_scoped_release release;
              out = evaluate_inputs(pack, inputs, static_cast<unsigned>(threads), options);
            }
            return out;
          },
          py::arg("applications"), py::kw_only(), py::arg("threads") = 0, py::arg("as_of") = py::none(),
          py::arg("explain") = true,
          R"(Evaluates many applications in parallel and returns their Decisions in input order.

Each item is what evaluate() takes: a dict, JSON text, bytes or a path. A bad item gives
a Decision with its finding and error in its place, never an exception that loses the
rest. The items are converted first (with the GIL), then evaluated on `threads` threads
with the GIL released; 0 (the default) means one per core. Results equal those of a
single thread. as_of and explain are as for evaluate().)")
      .def(
          "select",
          [](const RulePack& pack, const py::iterable& items, int quota, bool include_needs_review,
             std::optional<double> cut) {
            std::vector<Decision> decisions;
            for (py::handle item : items) decisions.push_back(item.cast<Decision>());
            if (quota < 0) throw py::value_error("quota must be 0 or more");
            SelectOptions options;
            options.quota = quota;
            options.include_needs_review = include_needs_review;
            options.cut = cut;
            py::gil_scoped_release release;
            return pack.select(decisions, options);
          },
          py::arg("decisions"), py::kw_only(), py::arg("quota") = 5, py::arg("include_needs_review") = false,
          py::arg("cut") = py::none(),
          R"(Ranks decisions by final score and selects applications until `quota` institutions
are in (全市计划遴选不超过5家): the quota counts institutions (distinct 统一社会信用代码),
not applications, so one institution may be selected for several occupations.

quota: at most this many institutions (default 5).
include_needs_review: rank 'needs_review' decisions too (default False: 'eligible' only).
cut: lowest final score that may be selected; default None uses the pack's cut.
Returns a Selection.)")
      .def(
          "validity",
          [](const RulePack& pack, Date approved) { return validity_pair(pack.validity(approved)); },
          py::arg("approved"),
          R"(The listing period from an online approval date, by the pack's dates.json (3 years,
Civil Code end rule for chongqing-dte-2025): validity("2025-12-15") is
(date(2025, 12, 15), date(2028, 12, 15)). Takes a datetime.date or "YYYY-MM-DD"; raises
CalendarError for a date that does not exist.)")
      .def("publicity_end", &RulePack::publicity_end, py::arg("start"), py::arg("days") = 5,
           R"(The last day (datetime.date) of a publicity of `days` working days (default 5) starting
on `start`, which counts as day 1 when it is a working day: publicity_end("2025-09-26") is
date(2025, 10, 9) over the National Day holiday. Raises CalendarError outside the years of
the pack's calendar.)")
      .def(
          "apply",
          [](const RulePack& pack, const py::object& logic, const py::object& data, std::optional<Date> as_of) {
            nlohmann::json l = from_python(logic), d = from_python(data), result;
            {
              py::gil_scoped_release release;
              result = pack.apply(l, d, as_of);
            }
            return to_python(result);
          },
          py::arg("logic"), py::arg("data") = py::none(), py::kw_only(), py::arg("as_of") = py::none(),
          R"(Applies one JsonLogic expression (a dict, list or scalar) to `data` with this pack's
calendar, code lists and parameters, so workdays_end and gbt4754_valid work:
pack.apply({"workdays_end": ["2025-09-26", 5]}) == "2025-10-09". Raises ExpressionError or
CalendarError.)")
      .def(
          "outcomes",
          [](const RulePack& pack, const py::object& application, std::optional<Date> as_of) {
            std::vector<Input> inputs;
            inputs.push_back(convert_application(application));
            std::vector<Outcome> outcomes;
            {
              py::gil_scoped_release release;
              read_paths(inputs);
              Document doc = inputs.front().error ? Document() : Document::parse(inputs.front().text, pack.limits());
              if (!inputs.front().error) outcomes = pack.outcomes(doc, evaluate_options(as_of, false));
            }
            if (inputs.front().error) outcomes.assign(pack.rule_ids().size(), Outcome::unknown);
            py::dict out;
            std::vector<std::string> ids = pack.rule_ids();
            for (std::size_t i = 0; i < ids.size() && i < outcomes.size(); ++i) out[py::str(ids[i])] = to_string(outcomes[i]);
            return out;
          },
          py::arg("application"), py::kw_only(), py::arg("as_of") = py::none(),
          R"(The eligibility rules' outcomes only, {rule id: 'pass' | 'fail' | 'unknown'} in
evaluation order: the fast path for bulk screening (no schema checks, messages or
evidence). Takes what evaluate() takes; an unreadable application gives all 'unknown'.)")
      .def("rule_ids", &RulePack::rule_ids, "The eligibility rule ids, in evaluation order.")
      .def("json_schema", [](const RulePack& p) { return py::dict(to_python(p.json_schema())); },
           "The application's JSON Schema (draft 2020-12, a dict) with Chinese titles.")
      .def("lint", &RulePack::lint,
           "Problems a pack author should fix (list of LintMessage): missing clauses, messages without both "
           "languages, unreachable rules, unused parameters. Load errors raise instead.")
      .def("_sources", [](const RulePack& p) {
        // Every file the pack read, relative to its folder (with ../ for a pack it extends).
        fs::path base = fs::absolute(p.directory()).lexically_normal();
        py::dict out;
        for (const auto& [name, text] : p.data().sources)
          out[py::str(fs::absolute(name).lexically_normal().lexically_relative(base).generic_string())] = py::bytes(text);
        return out;
      }, "The text of every file the pack read, by path relative to its folder (for pickling).")
      .def("__repr__", [](const RulePack& p) {
        return "<RulePack " + p.info().id + " " + p.info().version + " from " + quoted(p.directory().string()) + ">";
      });

  m.def(
      "load",
      [](const fs::path& path, std::optional<long long> max_document_bytes, std::optional<long long> max_data_depth,
         std::optional<long long> max_expression_depth, std::optional<long long> max_steps) {
        Limits limits;
        auto set = [](auto& field, std::optional<long long> v, const char* name) {
          if (!v) return;
          if (*v < 1) throw py::value_error(std::string(name) + " must be 1 or more, not " + std::to_string(*v));
          field = static_cast<std::remove_reference_t<decltype(field)>>(*v);
        };
        set(limits.max_document_bytes, max_document_bytes, "max_document_bytes");
        set(limits.max_data_depth, max_data_depth, "max_data_depth");
        set(limits.max_expression_depth, max_expression_depth, "max_expression_depth");
        set(limits.max_steps, max_steps, "max_steps");
        py::gil_scoped_release release;
        return RulePack::load(path, limits);
      },
      py::arg("path"), py::kw_only(), py::arg("max_document_bytes") = py::none(), py::arg("max_data_depth") = py::none(),
      py::arg("max_expression_depth") = py::none(), py::arg("max_steps") = py::none(),
      "Loads a rule pack (a folder or a bundled pack's id), with optional limits: see qualify.load.");

  m.def(
      "apply",
      [](const py::object& logic, const py::object& data, std::optional<Date> as_of) {
        nlohmann::json l = from_python(logic), d = from_python(data), result;
        {
          py::gil_scoped_release release;
          Environment env;
          env.as_of = as_of;
          result = qualify::apply(l, d, env);
        }
        return to_python(result);
      },
      py::arg("logic"), py::arg("data") = py::none(), py::kw_only(), py::arg("as_of") = py::none(),
      "Applies one JsonLogic expression to data: see qualify.apply.");
}

}  // namespace qualify::python

PYBIND11_MODULE(_qualify, m) { qualify::python::define_module(m); }

// qualify: forward declarations, to name the main types without including nlohmann/json.
#pragma once

namespace qualify {
class Date;
class Calendar;
class Document;
class Expression;
class Schema;
class RulePack;
struct Decision;
struct Finding;
struct Limits;
struct EvaluateOptions;
class Error;
class PackError;
class ExpressionError;
class CalendarError;
}  // namespace qualify

// qualify: the declared shape of an application, used to check `var` paths at load time.
#pragma once

#include <functional>  // less<>
#include <map>
#include <memory>  // shared_ptr
#include <string>

namespace qualify::detail {

// A node of the form's field tree. `any` accepts every path below it (free-form data, or
// no schema); `map` has arbitrary keys whose values share `items`.
struct Field {
  enum class Type { any, string, number, integer, boolean, date, object, array, map };
  Type type = Type::any;
  std::map<std::string, Field, std::less<>> properties;  // object
  std::shared_ptr<Field> items;                          // array items and map values
};

}  // namespace qualify::detail

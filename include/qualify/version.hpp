// qualify: the library version, the one place it is written (CMake reads it from here).
#pragma once

#define QUALIFY_VERSION_MAJOR 0
#define QUALIFY_VERSION_MINOR 1
#define QUALIFY_VERSION_PATCH 0

namespace qualify {
/// The library version as "major.minor.patch".
inline constexpr const char* version = "0.1.0";
}  // namespace qualify

// Shared helpers of the libFuzzer targets: where the checked-in packs are, a scratch folder.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace qualify_fuzz {

namespace fs = std::filesystem;

// Set by tests/fuzz/CMakeLists.txt.
inline fs::path source_dir() { return QUALIFY_FUZZ_SOURCE_DIR; }
inline fs::path template_pack() { return source_dir() / "tests" / "fuzz" / "pack"; }
inline fs::path chongqing_pack() { return source_dir() / "rules" / "chongqing-dte-2025"; }

inline void write_file(const fs::path& file, std::string_view bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A fresh folder under $TMPDIR (or /tmp), removed when the process exits normally.
inline fs::path scratch_dir(const char* prefix) {
  fs::path base = std::getenv("TMPDIR") ? fs::path(std::getenv("TMPDIR")) : fs::temp_directory_path();
  std::string pattern = (base / (std::string(prefix) + "-XXXXXX")).string();
  if (!::mkdtemp(pattern.data())) std::abort();
  static fs::path made;
  made = pattern;
  std::atexit([] {
    std::error_code ignored;
    fs::remove_all(made, ignored);
  });
  return made;
}

}  // namespace qualify_fuzz

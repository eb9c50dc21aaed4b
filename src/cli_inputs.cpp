// The inputs of a batch command, read lazily: files, folders, standard input, and JSON Lines
// files read line by line, so that a batch of any size is read in bounded memory.
#include <algorithm>
#include <atomic>
#include <cctype>  // tolower
#include <cerrno>
#include <cstdio>
#include <cstring>  // memchr, strerror
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli_common.hpp"

namespace qualify::cli {

namespace fs = std::filesystem;

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i]) return false;
  return true;
}

bool named_jsonl(std::string_view name) { return ends_with(name, ".jsonl") || ends_with(name, ".ndjson"); }

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\f\v") == std::string_view::npos; }

std::string errno_text(const char* what, int err) { return std::string(what) + ": " + std::strerror(err); }

}  // namespace

InputFormat input_format_option(const Args& a) {
  std::string f = a.get("input-format", "auto");
  if (f == "auto") return InputFormat::automatic;
  if (f == "json") return InputFormat::json;
  if (f == "jsonl") return InputFormat::jsonl;
  throw Usage{"--input-format must be auto, json or jsonl, not \"" + f + "\""};
}

// ---------------------------------------------------------------- LineReader

LineReader::Result LineReader::next(std::string& line, std::size_t max, std::size_t& length) {
  line.clear();
  length = 0;
  bool any = false, too_long = false;
  for (;;) {
    if (pos_ == end_) {
      if (eof_) break;
      std::size_t n = std::fread(buffer_.data(), 1, buffer_.size(), file_);
      if (n == 0) {
        if (std::ferror(file_)) {
          error_ = errno;
          return Result::error;
        }
        eof_ = true;
        break;
      }
      pos_ = 0;
      end_ = n;
    }
    any = true;
    const char* start = buffer_.data() + pos_;
    const char* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    std::size_t take = nl ? static_cast<std::size_t>(nl - start) : end_ - pos_;
    length += take;
    if (!too_long) {
      if (line.size() + take > max) {
        too_long = true;
        std::string().swap(line);  // give the memory back: the rest of the line is skipped
      } else {
        line.append(start, take);
      }
    }
    pos_ += take + (nl ? 1 : 0);
    if (nl) break;
  }
  if (!any) return Result::end;
  if (too_long) return Result::too_long;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return Result::line;
}

// ---------------------------------------------------------------- InputReader

InputReader::InputReader(const std::vector<std::string>& args, InputFormat format, std::size_t max_bytes)
    : args_(args), format_(format), max_bytes_(max_bytes) {
  if (std::count(args_.begin(), args_.end(), std::string("-")) > 1)
    throw Usage{"\"-\" (standard input) can be named only once"};
}

InputReader::~InputReader() { close_lines(); }

void InputReader::close_lines() {
  if (lines_file_ && lines_file_ != stdin) std::fclose(lines_file_);
  lines_file_ = nullptr;
  lines_.reset();
}

bool InputReader::is_lines(const std::string& name) const {
  if (format_ == InputFormat::jsonl) return true;
  if (format_ == InputFormat::json || name == "-") return false;
  return named_jsonl(name);
}

std::optional<std::size_t> InputReader::count_applications() const {
  std::size_t n = 0;
  for (const std::string& in : args_) {
    std::error_code ec;
    if (in != "-" && fs::is_directory(in, ec)) {
      for (fs::directory_iterator it(in, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code ec2;
        std::string name = it->path().filename().string();
        if (!wanted_in_folder(name) || !it->is_regular_file(ec2)) continue;
        if (is_lines(name)) return std::nullopt;
        ++n;
      }
    } else {
      if (is_lines(in)) return std::nullopt;
      ++n;
    }
  }
  return n;
}

bool InputReader::wanted_in_folder(const std::string& name) const {
  return ends_with(name, ".json") || named_jsonl(name);
}

bool InputReader::next(Input& in) {
  for (;;) {
    if (lines_) {
      if (next_line(in)) return true;
      continue;
    }
    std::string name;
    if (!folder_.empty()) {
      name = std::move(folder_.front());
      folder_.pop_front();
    } else if (arg_ < args_.size()) {
      const std::string& arg = args_[arg_++];
      std::error_code ec;
      if (arg != "-" && fs::is_directory(arg, ec)) {
        std::vector<std::string> files;
        fs::directory_iterator it(arg, ec), end;
        if (ec) {
          name = arg;  // reading it fails and gives its error record
        } else {
          for (; it != end; it.increment(ec)) {
            if (ec) break;
            std::error_code ec2;
            if (wanted_in_folder(it->path().filename().string()) && it->is_regular_file(ec2))
              files.push_back(it->path().string());
          }
          std::sort(files.begin(), files.end());
          if (files.empty()) std::cerr << "qualify: " << arg << ": no *.json or *.jsonl files in this folder\n";
          folder_.assign(std::make_move_iterator(files.begin()), std::make_move_iterator(files.end()));
          continue;
        }
      } else {
        name = arg;
      }
    } else {
      return false;
    }
    if (is_lines(name)) {
      if (open_lines(name, in)) return true;  // it could not be opened: its error record
      continue;
    }
    read_whole(name, in);
    return true;
  }
}

bool InputReader::open_lines(const std::string& name, Input& in) {
  std::FILE* f = name == "-" ? stdin : std::fopen(name.c_str(), "rb");
  if (!f) {
    in = Input{name, {}, std::make_pair(std::string("unreadable"), errno_text("cannot read the file", errno))};
    return true;
  }
  lines_file_ = f;
  lines_ = std::make_unique<LineReader>(f);
  lines_name_ = name;
  line_no_ = 0;
  lines_records_ = 0;
  return false;
}

bool InputReader::next_line(Input& in) {
  // A UTF-8 byte order mark belongs to the file, not to its first record; it may be followed
  // by up to max_bytes_ of record.
  std::size_t length = 0;
  for (;;) {
    LineReader::Result r = lines_->next(line_, max_bytes_ + 3, length);
    if (r == LineReader::Result::end) {
      if (lines_records_ == 0 && line_no_ == 0)
        std::cerr << "qualify: " << lines_name_ << ": no applications in this file (it is empty)\n";
      close_lines();
      return false;
    }
    ++line_no_;
    std::string source = lines_name_ + ":" + std::to_string(line_no_);
    if (r == LineReader::Result::error) {
      in = Input{source, {}, std::make_pair(std::string("unreadable"), errno_text("cannot read the file", lines_->error()))};
      ++lines_records_;
      close_lines();
      return true;
    }
    if (r == LineReader::Result::too_long) {
      in = Input{source, {}, std::make_pair(std::string("too_large"), "line of " + std::to_string(length) +
                                                                       " bytes is larger than the limit of " +
                                                                       std::to_string(max_bytes_) + " bytes")};
      ++lines_records_;
      return true;
    }
    if (line_no_ == 1 && line_.size() >= 3 && line_.compare(0, 3, "\xEF\xBB\xBF") == 0) line_.erase(0, 3);
    if (blank(line_)) continue;  // empty lines are skipped
    if (line_.size() > max_bytes_) {
      in = Input{source, {}, std::make_pair(std::string("too_large"), "line of " + std::to_string(line_.size()) +
                                                                       " bytes is larger than the limit of " +
                                                                       std::to_string(max_bytes_) + " bytes")};
    } else {
      in = Input{std::move(source), {}, std::nullopt};
      in.text.reserve(line_.size() + kParsePadding);  // parsed in place, not copied again
      in.text.assign(line_);                           // line_ keeps its capacity for the next line
      in.line = true;
    }
    ++lines_records_;
    return true;
  }
}

void InputReader::read_whole(const std::string& name, Input& in) {
  in = Input{name, {}, std::nullopt};
  std::FILE* f = name == "-" ? stdin : std::fopen(name.c_str(), "rb");
  if (!f) {
    in.error = std::make_pair(std::string("unreadable"), errno_text("cannot read the file", errno));
    return;
  }
  // At most the limit (and a byte order mark) and one byte more, so that a huge file is
  // refused without being read whole; Document::parse words the error for a small excess.
  const std::size_t most = max_bytes_ + 4;
  char buffer[65536];
  std::size_t n;
  while ((n = std::fread(buffer, 1, std::min(sizeof buffer, most + 1 - in.text.size()), f)) > 0) {
    in.text.append(buffer, n);
    if (in.text.size() > most) break;
  }
  bool failed = std::ferror(f) != 0;
  int err = errno;
  if (f != stdin) std::fclose(f);
  if (failed) {
    in.text.clear();
    in.error = std::make_pair(std::string("unreadable"),
                              errno_text(name == "-" ? "cannot read standard input" : "cannot read the file", err));
  } else if (in.text.size() > most) {
    std::string().swap(in.text);
    in.error = std::make_pair(std::string("too_large"),
                              "the input is larger than the limit of " + std::to_string(max_bytes_) + " bytes");
  }
}

// ---------------------------------------------------------------- parallel work

void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& fn) {
  unsigned t = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  t = static_cast<unsigned>(std::min<std::size_t>(t, std::max<std::size_t>(n, 1)));
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) fn(i);
  };
  if (t <= 1) {
    worker();
    return;
  }
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < t; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
}

}  // namespace qualify::cli

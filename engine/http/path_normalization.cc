#include "engine/http/path_normalization.h"

#include <array>
#include <cstdint>

namespace gwsim::http {

namespace {

// What the canonicaliser does with each byte (Chromium's url_canon_path.cc kPathCharLookup).
enum Flags : std::uint8_t {
  kPass = 0,          // copied, whether escaped or not
  kSpecial = 1,       // needs a closer look ('.')
  kEscape = 2 | 1,    // written escaped
  kUnescape = 4,      // an escape of it is decoded
  kInvalid = 8 | 1,   // written escaped, and the path is invalid
};

constexpr std::array<std::uint8_t, 256> make_lookup() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = kEscape;  // control characters, DEL and the high bytes
  t[0] = kInvalid;
  for (char c : std::string_view("!$&'()*+,/:;=@[]")) t[static_cast<unsigned char>(c)] = kPass;
  for (char c : std::string_view("-_~")) t[static_cast<unsigned char>(c)] = kUnescape;
  for (int c = '0'; c <= '9'; ++c) t[c] = kUnescape;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kUnescape;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kUnescape;
  t[static_cast<unsigned char>('.')] = kSpecial;
  return t;  // ' ', '"', '#', '%', '<', '>', '?', '\\', '^', '`', '{', '|', '}' stay kEscape
}

constexpr std::array<std::uint8_t, 256> kLookup = make_lookup();

bool is_slash(char c) { return c == '/' || c == '\\'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The byte an escape "%XY" at `at` stands for, or -1.
int decode_escape(std::string_view s, std::size_t at) {
  if (at + 3 > s.size() || s[at] != '%') return -1;
  const int hi = hex_value(s[at + 1]), lo = hex_value(s[at + 2]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

// How many input characters the dot at `at` takes: "." is 1, "%2e" / "%2E" is 3, else 0.
std::size_t dot_length(std::string_view s, std::size_t at) {
  if (s[at] == '.') return 1;
  if (s[at] == '%' && at + 3 <= s.size() && s[at + 1] == '2' && (s[at + 2] == 'e' || s[at + 2] == 'E')) return 3;
  return 0;
}

void append_escaped(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

// Drops the last segment: `out` ends with '/', and afterwards ends with the slash before it
// (never above the root slash at 0).
void back_up_to_previous_slash(std::string& out) {
  std::size_t i = out.size() - 1;
  if (i == 0) return;
  --i;
  while (i > 0 && out[i] != '/') --i;
  out.resize(i + 1);
}

// A '%' that began no valid escape must not become one once the characters after it are
// decoded ("%%30%30" must not turn into "%00"): it is then written as "%25".
void escape_nested_percent(std::string_view in, std::size_t next, std::size_t percent_at, std::string& out) {
  const std::size_t length = out.size();
  const char last = out.back();
  const bool append_next = percent_at + 2 == length;
  if (append_next) {
    if (next == in.size() || static_cast<unsigned char>(in[next]) >= 0x80) return;
    out += in[next];
  }
  if (decode_escape(out, percent_at) >= 0) {
    if (!append_next) out += out[percent_at + 1];
    out[percent_at + 1] = '2';
    out[percent_at + 2] = '5';
    out += last;
  } else if (append_next) {
    out.resize(length);
  }
}

}  // namespace

std::optional<std::string> canonicalize_path(std::string_view in) {
  std::string out;
  out.reserve(in.size() + 1);
  if (in.empty() || !is_slash(in.front())) out += '/';
  bool valid = true;
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t invalid_percent_at = kNone;  // where in `out` a '%' that began no escape sits
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto c = static_cast<unsigned char>(in[i]);
    const std::uint8_t flags = kLookup[c];
    if (!(flags & kSpecial)) {
      out += static_cast<char>(c);
      continue;
    }
    if (std::size_t dot = dot_length(in, i); dot > 0) {
      if (out.back() != '/') {  // part of a name
        out += '.';
        i += dot - 1;
        continue;
      }
      // A dot right after a slash: ".", "..", or the start of a name.
      const std::size_t after = i + dot;
      if (after == in.size() || is_slash(in[after])) {  // "." : the current directory
        i = after == in.size() ? after - 1 : after;
        continue;
      }
      if (std::size_t second = dot_length(in, after); second > 0) {
        const std::size_t end = after + second;
        if (end == in.size() || is_slash(in[end])) {  // ".." : up one segment
          back_up_to_previous_slash(out);
          i = end == in.size() ? end - 1 : end;
          continue;
        }
      }
      out += '.';
      i += dot - 1;
      continue;
    }
    if (c == '\\') {
      out += '/';
      continue;
    }
    if (c == '%') {
      const int value = decode_escape(in, i);
      if (value < 0) {
        invalid_percent_at = out.size();
        out += '%';
        continue;
      }
      i += 2;
      const std::uint8_t decoded = kLookup[static_cast<unsigned char>(value)];
      if (decoded & kUnescape) {
        out += static_cast<char>(value);
        if (invalid_percent_at != kNone && invalid_percent_at + 3 >= out.size())
          escape_nested_percent(in, i + 1, invalid_percent_at, out);
      } else {
        out.append(in.substr(i - 2, 3));  // kept as written: a server may care about the hex case
        if ((decoded & kInvalid) == kInvalid) valid = false;
      }
      continue;
    }
    append_escaped(out, c);
    if ((flags & kInvalid) == kInvalid) valid = false;
  }
  if (!valid) return std::nullopt;
  return out;
}

std::optional<std::string> normalize_path(std::string_view path_and_query) {
  const std::size_t query = path_and_query.find('?');
  std::optional<std::string> path = canonicalize_path(path_and_query.substr(0, query));
  if (path && query != std::string_view::npos) path->append(path_and_query.substr(query));
  return path;
}

}  // namespace gwsim::http

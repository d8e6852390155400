#include "engine/model/detail_convert.h"

#include <cctype>
#include <cstdint>
#include <limits>

namespace gwsim::model::detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::optional<std::int64_t> unit_ns(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return 1000;  // us, micro sign, Greek mu
  if (unit == "ms") return 1000000;
  if (unit == "s") return 1000000000LL;
  if (unit == "m") return 60LL * 1000000000LL;
  if (unit == "h") return 3600LL * 1000000000LL;
  return std::nullopt;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// Days in a month of the proleptic Gregorian calendar (February 29 only in leap years).
int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool read_fixed(std::string_view s, size_t& i, size_t digits, int& out) {
  if (i + digits > s.size()) return false;
  out = 0;
  for (size_t k = 0; k < digits; ++k) {
    if (!is_digit(s[i + k])) return false;
    out = out * 10 + (s[i + k] - '0');
  }
  i += digits;
  return true;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::optional<std::int64_t> parse_go_duration_ns(std::string_view s) {
  // Go's time.ParseDuration step by step: the whole part and the unit in integers (overflow is an
  // error), the fraction's digits as an integer over a power of ten, and only the fraction times
  // unit/scale in float64, as Go computes it. So "2.000000001s" is 2000000001 ns and "0.001s" is
  // 1000000 ns exactly (summing whole + fraction in floating point lost both).
  if (s.empty()) return std::nullopt;
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  constexpr std::uint64_t kLimit = std::uint64_t{1} << 63;
  std::uint64_t total = 0;
  while (!s.empty()) {
    if (!is_digit(s[0]) && s[0] != '.') return std::nullopt;
    std::size_t i = 0;
    std::uint64_t whole = 0;  // leadingInt: an overflow is an error
    while (i < s.size() && is_digit(s[i])) {
      if (whole > kLimit / 10) return std::nullopt;
      whole = whole * 10 + static_cast<std::uint64_t>(s[i++] - '0');
      if (whole > kLimit) return std::nullopt;
    }
    const bool has_whole = i > 0;
    std::uint64_t fraction = 0;  // leadingFraction: digits past what fits are ignored
    double scale = 1;
    bool has_fraction = false;
    if (i < s.size() && s[i] == '.') {
      const std::size_t start = ++i;
      bool overflow = false;
      for (; i < s.size() && is_digit(s[i]); ++i) {
        if (overflow) continue;
        if (fraction > (kLimit - 1) / 10) {
          overflow = true;
          continue;
        }
        const std::uint64_t next = fraction * 10 + static_cast<std::uint64_t>(s[i] - '0');
        if (next > kLimit) {
          overflow = true;
          continue;
        }
        fraction = next;
        scale *= 10;
      }
      has_fraction = i > start;
    }
    if (!has_whole && !has_fraction) return std::nullopt;
    const std::size_t unit_start = i;
    while (i < s.size() && s[i] != '.' && !is_digit(s[i])) ++i;
    auto unit = unit_ns(s.substr(unit_start, i - unit_start));
    if (!unit) return std::nullopt;  // missing or unknown unit
    const auto unit_value = static_cast<std::uint64_t>(*unit);
    if (whole > kLimit / unit_value) return std::nullopt;
    std::uint64_t value = whole * unit_value;
    if (fraction > 0) {
      value += static_cast<std::uint64_t>(static_cast<double>(fraction) * (static_cast<double>(unit_value) / scale));
      if (value > kLimit) return std::nullopt;
    }
    total += value;
    if (total > kLimit) return std::nullopt;
    s.remove_prefix(i);
  }
  if (negative) return total == kLimit ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(total);
  if (total > kLimit - 1) return std::nullopt;
  return static_cast<std::int64_t>(total);
}

std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
  size_t i = 0;
  int year, month, day, hour, minute, second;
  if (!read_fixed(s, i, 4, year) || i >= s.size() || s[i++] != '-') return std::nullopt;
  if (!read_fixed(s, i, 2, month) || i >= s.size() || s[i++] != '-') return std::nullopt;
  if (!read_fixed(s, i, 2, day) || i >= s.size() || (s[i] != 'T' && s[i] != 't')) return std::nullopt;
  ++i;
  if (!read_fixed(s, i, 2, hour) || i >= s.size() || s[i++] != ':') return std::nullopt;
  if (!read_fixed(s, i, 2, minute) || i >= s.size() || s[i++] != ':') return std::nullopt;
  if (!read_fixed(s, i, 2, second)) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  if (i < s.size() && s[i] == '.') {  // fractional seconds: second resolution, as Kubernetes keeps
    ++i;
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return std::nullopt;
  }
  if (i >= s.size()) return std::nullopt;
  std::int64_t offset = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int sign = s[i] == '-' ? -1 : 1;
    ++i;
    int oh, om;
    if (!read_fixed(s, i, 2, oh) || i >= s.size() || s[i++] != ':' || !read_fixed(s, i, 2, om)) return std::nullopt;
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c == '\r' || c == '\n') continue;
    clean += c;
  }
  if (clean.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(clean.size() / 4 * 3);
  for (size_t i = 0; i < clean.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = clean[i + k];
      if (c == '=') {
        // Padding only at the very end, in the last one or two places.
        if (i + 4 != clean.size() || k < 2) return std::nullopt;
        v[k] = 0;
        ++pad;
      } else {
        if (pad > 0) return std::nullopt;
        v[k] = base64_value(c);
        if (v[k] < 0) return std::nullopt;
      }
    }
    unsigned triple = (static_cast<unsigned>(v[0]) << 18) | (static_cast<unsigned>(v[1]) << 12) |
                      (static_cast<unsigned>(v[2]) << 6) | static_cast<unsigned>(v[3]);
    out += static_cast<char>((triple >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((triple >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(triple & 0xFF);
  }
  return out;
}

}  // namespace gwsim::model::detail

#include "engine/model/quantity.h"

#include <array>
#include <cctype>
#include <utility>

namespace gwsim::model {

namespace {

using Int = __int128;  // nano units: up to 1.7e29 base units, past the largest suffix (E)

constexpr Int pow10(int n) {
  Int v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

std::string to_decimal(Int v) {
  if (v == 0) return "0";
  std::string out;
  while (v > 0) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return out;
}

struct Suffix {
  std::string_view text;
  int decimal_exponent;  // of 10 (decimal SI)
  int binary_exponent;   // of 2 (binary SI), -1 for decimal suffixes
};

constexpr std::array<Suffix, 16> kSuffixes{{{"Ki", 0, 10},
                                            {"Mi", 0, 20},
                                            {"Gi", 0, 30},
                                            {"Ti", 0, 40},
                                            {"Pi", 0, 50},
                                            {"Ei", 0, 60},
                                            {"n", -9, -1},
                                            {"u", -6, -1},
                                            {"m", -3, -1},
                                            {"k", 3, -1},
                                            {"M", 6, -1},
                                            {"G", 9, -1},
                                            {"T", 12, -1},
                                            {"P", 15, -1},
                                            {"E", 18, -1},
                                            {"", 0, -1}}};

std::string decimal_form(Int nano) {
  if (nano == 0) return "0";
  static constexpr std::array<std::pair<int, std::string_view>, 10> kDecimal{
      {{18, "E"}, {15, "P"}, {12, "T"}, {9, "G"}, {6, "M"}, {3, "k"}, {0, ""}, {-3, "m"}, {-6, "u"}, {-9, "n"}}};
  for (const auto& [exponent, suffix] : kDecimal) {
    const Int unit = pow10(exponent + 9);
    if (nano % unit == 0) return to_decimal(nano / unit) + std::string(suffix);
  }
  return to_decimal(nano) + "n";
}

}  // namespace

std::optional<std::string> canonical_quantity(std::string_view text) {
  std::size_t at = 0;
  if (at < text.size() && text[at] == '+') ++at;
  Int mantissa = 0;
  int fraction_digits = 0, digits = 0;
  bool dot = false;
  for (; at < text.size(); ++at) {
    const char c = text[at];
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    if (++digits > 30) return std::nullopt;  // far past any real quantity
    mantissa = mantissa * 10 + (c - '0');
    if (dot) ++fraction_digits;
  }
  if (digits == 0) return std::nullopt;
  const std::string_view suffix_text = text.substr(at);
  const Suffix* suffix = nullptr;
  for (const auto& s : kSuffixes)
    if (s.text == suffix_text) suffix = &s;
  if (!suffix) return std::nullopt;  // an exponent ("1e3") or not a quantity

  // The value in nano units, rounded up past nano precision (Kubernetes keeps at most nanos).
  Int nano = mantissa;
  int scale = 9 + suffix->decimal_exponent - fraction_digits;  // nano = mantissa * 10^scale
  if (suffix->binary_exponent > 0) nano <<= suffix->binary_exponent;
  if (scale >= 0) {
    nano *= pow10(scale);
  } else {
    const Int divisor = pow10(-scale);
    nano = nano / divisor + (nano % divisor != 0 ? 1 : 0);
  }

  if (suffix->binary_exponent < 0 || nano % pow10(9) != 0 || nano < 1024 * pow10(9)) return decimal_form(nano);
  Int bytes = nano / pow10(9);
  static constexpr std::array<std::pair<int, std::string_view>, 6> kBinary{
      {{60, "Ei"}, {50, "Pi"}, {40, "Ti"}, {30, "Gi"}, {20, "Mi"}, {10, "Ki"}}};
  for (const auto& [exponent, name] : kBinary) {
    const Int unit = Int{1} << exponent;
    if (bytes % unit == 0) return to_decimal(bytes / unit) + std::string(name);
  }
  return to_decimal(bytes);
}

}  // namespace gwsim::model

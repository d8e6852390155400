#include "engine/text/closest_name.h"

#include <algorithm>

#include "engine/text/ascii.h"

namespace gwsim::text {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t substitution = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitution});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest_name(std::string_view word, const std::vector<std::string>& candidates) {
  // Compare case-insensitively and ignore '_' / '-' so "response_flags" finds "responseFlags".
  auto fold = [](std::string_view s) {
    std::string out;
    for (char c : text::to_lower(s))
      if (c != '_' && c != '-') out += c;
    return out;
  };
  std::string folded = fold(word);
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& candidate : candidates) {
    std::size_t d = edit_distance(folded, fold(candidate));
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  std::size_t limit = folded.size() <= 4 ? 1 : (folded.size() <= 8 ? 2 : 3);
  return best_distance <= limit ? best : std::string();
}

}  // namespace gwsim::text

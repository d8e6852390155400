// "Did you mean ...?" hints for a misspelt field, key, kind or command: the closest known
// name by edit distance, as kubectl's and Go's flag packages suggest one.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gwsim::text {

// Levenshtein distance, for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The closest of `candidates` to `word` when close enough to be a likely typo, else "".
std::string closest_name(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace gwsim::text

#include "engine/router/http_filter.h"

namespace gwsim::router {

FilterStatus decode_headers(std::span<const HttpFilter> chain, FilterState& state) {
  for (const HttpFilter& f : chain) {
    if (f.decode_headers(state) == FilterStatus::kLocalReply) return FilterStatus::kLocalReply;
  }
  return FilterStatus::kContinue;
}

void encode_headers(std::span<const HttpFilter> chain, const FilterState& state, http::Headers& headers) {
  for (const HttpFilter& f : chain) {
    if (f.encode_headers) f.encode_headers(state, headers);
  }
}

}  // namespace gwsim::router

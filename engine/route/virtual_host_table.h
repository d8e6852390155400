// VirtualHostTable: Envoy's virtual host lookup for one route configuration.
//
// Envoy picks a virtual host by the Host header alone, in this order (config_impl.h):
//   1. exact domain                  -> hash map, O(1)
//   2. longest suffix wildcard "*.x" -> one hash map per suffix length, longest first, so the
//                                       first hit is the most specific; never matches the bare
//                                       suffix (the host must be longer than the pattern)
//   3. longest prefix wildcard "x.*" -> same, by prefix length (Istio does not emit these)
//   4. the "*" virtual host, if any
// Matching is case-insensitive and, on Istio gateways (ignore_port_in_host_matching), the
// ":port" of the Host is ignored. There is no fall-through: once a virtual host is chosen,
// a route miss is a 404, even if a less specific virtual host would have matched.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gwsim::route {

class VirtualHostTable {
 public:
  static constexpr int kNone = -1;

  // Add a domain that selects virtual host `index`. Domains are lower-cased here. The first
  // virtual host to claim a domain keeps it (Envoy rejects duplicates; Istio never emits them).
  void add(std::string_view domain, int index);

  // The index of the virtual host for a Host header value, or kNone.
  // Does not allocate for hosts up to 255 bytes.
  int find(std::string_view host_header) const;

  std::size_t size() const { return data_ ? data_->count : 0; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using DomainMap = std::unordered_map<std::string, int, Hash, std::equal_to<>>;

  struct Data {
    DomainMap exact;
    // Keyed by pattern length, longest first: the first length with a hit is the most specific.
    std::map<std::size_t, DomainMap, std::greater<>> suffix;  // key: ".example.com" (without '*')
    std::map<std::size_t, DomainMap, std::greater<>> prefix;  // key: "www." (without '*')
    int fallback = kNone;  // the "*" virtual host
    std::size_t count = 0;
  };
  // Shared between copies (copied on the first add() after a copy): a recompiled route
  // configuration whose virtual host names and domains did not change reuses its lookup
  // instead of rebuilding it for every domain.
  std::shared_ptr<Data> data_;
};

namespace detail {
// Host header -> lookup key: ":port" removed (IPv6 brackets kept), lower-cased, into `buf`.
std::string_view normalize_host(std::string_view host_header, char* buf, std::size_t cap);
}  // namespace detail

}  // namespace gwsim::route

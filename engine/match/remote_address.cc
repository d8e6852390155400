#include "engine/match/remote_address.h"

#include <arpa/inet.h>

#include <charconv>

#include "engine/host/host_name.h"

namespace gwsim::match {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint32_t> ipv4(const std::string& text) {
  in_addr a{};
  if (inet_pton(AF_INET, text.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

}  // namespace

std::optional<std::string> address_from_xff(std::string_view xff, std::uint32_t skip) {
  // getLastAddressFromXFF: drop `skip` entries at the right, then take the last one left.
  for (std::uint32_t i = 0; i < skip; ++i) {
    const auto comma = xff.rfind(',');
    if (comma == std::string_view::npos) return std::nullopt;
    xff = xff.substr(0, comma);
  }
  const auto comma = xff.rfind(',');
  if (comma != std::string_view::npos) xff = xff.substr(comma + 1);
  const std::string_view entry = trim(xff);
  if (!host::is_ip_address(entry)) return std::nullopt;
  return std::string(entry);
}

std::string remote_address(const route::RouteTable& table, const http::Request& request) {
  const std::uint32_t trusted = table.proxy.num_trusted_proxies;
  if (trusted > 0) {
    if (const std::string* xff = request.header("x-forwarded-for")) {
      if (auto address = address_from_xff(*xff, trusted - 1)) return *address;
    }
  }
  return request.source_ip;
}

void detect_remote_address(const route::RouteTable& table, const http::Request& request, RoutingResult& out) {
  out.remote_address = remote_address(table, request);
}

bool is_internal_request(const http::Request& request, const std::string& remote,
                         const std::vector<std::string>& internal_cidrs) {
  return !request.header("x-forwarded-for") && in_cidrs(remote, internal_cidrs);
}

bool in_cidrs(const std::string& address, const std::vector<std::string>& cidrs) {
  const auto ip = ipv4(address);
  if (!ip) return false;
  for (const auto& cidr : cidrs) {
    const auto slash = cidr.find('/');
    const auto base = ipv4(cidr.substr(0, slash));
    unsigned bits = 32;
    if (slash != std::string::npos) {
      const char* first = cidr.data() + slash + 1;
      const char* last = cidr.data() + cidr.size();
      auto [end, ec] = std::from_chars(first, last, bits);
      if (ec != std::errc() || end != last || bits > 32) continue;
    }
    if (!base) continue;
    const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    if ((*ip & mask) == (*base & mask)) return true;
  }
  return false;
}

}  // namespace gwsim::match

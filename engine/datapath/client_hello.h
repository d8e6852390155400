// Reading the server name (SNI) from the first bytes of a connection, as Envoy's TLS inspector
// does: enough to pick a filter chain before any handshake, and to forward the untouched
// stream for PASSTHROUGH servers.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gwsim::datapath {

struct ClientHello {
  enum class Status {
    kNeedMore,  // a TLS record has started but the ClientHello is not complete yet
    kNotTls,    // the first byte is not a TLS handshake record: plaintext
    kTls,       // a complete ClientHello (sni may be empty: the client sent none)
    kMalformed, // looks like TLS but cannot be read
  };
  Status status = Status::kNeedMore;
  std::string sni;  // lower-cased host_name, "" when absent
};

// The largest ClientHello gwsim waits for (Envoy's inspector reads at most 64 KiB).
inline constexpr std::size_t kMaxClientHello = 64 * 1024;

ClientHello parse_client_hello(std::string_view bytes);

}  // namespace gwsim::datapath

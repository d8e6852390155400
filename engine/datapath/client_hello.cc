#include "engine/datapath/client_hello.h"

#include <cstdint>

namespace gwsim::datapath {

namespace {

// A bounds-checked big-endian reader; any overrun sets `bad`.
struct Reader {
  std::string_view data;
  std::size_t at = 0;
  bool bad = false;
  std::uint32_t read(std::size_t n) {
    if (at + n > data.size()) {
      bad = true;
      at = data.size();
      return 0;
    }
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(data[at + i]);
    at += n;
    return v;
  }
  std::string_view take(std::size_t n) {
    if (at + n > data.size()) {
      bad = true;
      at = data.size();
      return {};
    }
    auto out = data.substr(at, n);
    at += n;
    return out;
  }
};

}  // namespace

ClientHello parse_client_hello(std::string_view bytes) {
  ClientHello out;
  if (bytes.empty()) return out;
  if (static_cast<unsigned char>(bytes[0]) != 0x16) {
    out.status = ClientHello::Status::kNotTls;
    return out;
  }
  // Reassemble the handshake message from consecutive handshake records.
  std::string handshake;
  std::size_t at = 0;
  std::size_t needed = 0;  // handshake message size once known (header included)
  while (true) {
    if (bytes.size() < at + 5) return out;  // need the next record header
    if (static_cast<unsigned char>(bytes[at]) != 0x16 || static_cast<unsigned char>(bytes[at + 1]) != 0x03) {
      out.status = ClientHello::Status::kMalformed;
      return out;
    }
    std::size_t length = (static_cast<unsigned char>(bytes[at + 3]) << 8) | static_cast<unsigned char>(bytes[at + 4]);
    if (length == 0 || length > 16384 + 2048) {
      out.status = ClientHello::Status::kMalformed;
      return out;
    }
    if (bytes.size() < at + 5 + length) return out;
    handshake.append(bytes.substr(at + 5, length));
    at += 5 + length;
    if (handshake.size() >= 4 && needed == 0) {
      if (static_cast<unsigned char>(handshake[0]) != 0x01) {  // not a ClientHello
        out.status = ClientHello::Status::kMalformed;
        return out;
      }
      needed = 4 + ((static_cast<unsigned char>(handshake[1]) << 16) |
                    (static_cast<unsigned char>(handshake[2]) << 8) | static_cast<unsigned char>(handshake[3]));
      if (needed > kMaxClientHello) {
        out.status = ClientHello::Status::kMalformed;
        return out;
      }
    }
    if (needed && handshake.size() >= needed) break;
    if (at >= kMaxClientHello) {
      out.status = ClientHello::Status::kMalformed;
      return out;
    }
  }

  Reader r{std::string_view(handshake).substr(4, needed - 4)};
  r.read(2);                 // client_version
  r.take(32);                // random
  r.take(r.read(1));         // session_id
  r.take(r.read(2));         // cipher_suites
  r.take(r.read(1));         // compression_methods
  out.status = ClientHello::Status::kTls;
  if (r.bad) {
    out.status = ClientHello::Status::kMalformed;
    return out;
  }
  if (r.at >= r.data.size()) return out;  // no extensions
  Reader ext{r.take(r.read(2))};
  while (!ext.bad && ext.at < ext.data.size()) {
    std::uint32_t type = ext.read(2);
    Reader body{ext.take(ext.read(2))};
    if (type != 0) continue;  // server_name
    Reader list{body.take(body.read(2))};
    while (!list.bad && list.at < list.data.size()) {
      std::uint32_t name_type = list.read(1);
      std::string_view name = list.take(list.read(2));
      if (name_type == 0 && !list.bad) {
        out.sni.assign(name);
        for (auto& c : out.sni)
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return out;
      }
    }
  }
  if (ext.bad) out.status = ClientHello::Status::kMalformed;
  return out;
}

}  // namespace gwsim::datapath

#include "fakes/apiserver/protobuf.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <sstream>

#include "engine/model/safe_yaml.h"
#include "fakes/apiserver/detail_proto_messages.h"
#include "fakes/store/api_store.h"

namespace gwsim::fakes {

namespace {

using Field = detail::ProtoField;
using Message = detail::ProtoMessage;

const std::map<std::string, Message>& schema() { return detail::proto_messages(); }

// Go's JSON encoding leaves out zero-valued fields (nearly all are omitempty). A few pointer
// fields mean something at zero and are kept.
bool keep_zero(const std::string& field) {
  static const std::set<std::string> fields = {"replicas", "revisionHistoryLimit", "terminationGracePeriodSeconds"};
  return fields.count(field) > 0;
}

bool is_zero(const Json& v) {
  if (v.is_null()) return true;
  if (v.is_string()) return v.get_ref<const std::string&>().empty();
  if (v.is_boolean()) return !v.get<bool>();
  if (v.is_number_integer()) return v.get<std::int64_t>() == 0;
  if (v.is_number_float()) return v.get<double>() == 0.0;
  if (v.is_object() || v.is_array()) return v.empty();
  return false;
}

std::string base64(std::string_view data) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < data.size()) {
    unsigned n = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool done() const { return pos_ >= data_.size(); }

  bool varint(std::uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return false;
      const auto byte = static_cast<unsigned char>(data_[pos_++]);
      out |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return true;
    }
    return false;
  }
  bool fixed(int bytes, std::uint64_t& out) {
    if (pos_ + static_cast<std::size_t>(bytes) > data_.size()) return false;
    out = 0;
    for (int i = 0; i < bytes; ++i)
      out |= static_cast<std::uint64_t>(static_cast<unsigned char>(data_[pos_ + static_cast<std::size_t>(i)])) << (8 * i);
    pos_ += static_cast<std::size_t>(bytes);
    return true;
  }
  bool bytes(std::string_view& out) {
    std::uint64_t n = 0;
    if (!varint(n) || n > data_.size() - pos_) return false;
    out = data_.substr(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return true;
  }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

// One field value as read from the wire, before its type gives it meaning.
struct Raw {
  int wire = 0;
  std::uint64_t number = 0;
  std::string_view bytes;
};

Json scalar(const std::string& type, const Raw& raw) {
  if (raw.wire == 2) {
    if (type == "string") return std::string(raw.bytes);
    if (type == "bytes") return base64(raw.bytes);
    return nullptr;
  }
  const std::uint64_t n = raw.number;
  if (type == "bool") return n != 0;
  if (type == "int32") return static_cast<std::int64_t>(static_cast<std::int32_t>(n));
  if (type == "int64" || type == "sfixed64") return static_cast<std::int64_t>(n);
  if (type == "uint32" || type == "uint64" || type == "fixed32" || type == "fixed64") return n;
  if (type == "sint32" || type == "sint64") return static_cast<std::int64_t>((n >> 1) ^ (~(n & 1) + 1));
  if (type == "sfixed32") return static_cast<std::int64_t>(static_cast<std::int32_t>(n));
  if (type == "double") {
    double d;
    std::memcpy(&d, &n, sizeof d);
    return d;
  }
  if (type == "float") {
    const auto bits = static_cast<std::uint32_t>(n);
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return static_cast<double>(f);
  }
  return nullptr;
}

bool is_scalar(const std::string& type) { return schema().find(type) == schema().end(); }

Result<Json> decode_message(std::string_view data, const std::string& type, int depth);

Result<Json> decode_value(const std::string& type, const Raw& raw, int depth) {
  if (is_scalar(type)) return scalar(type, raw);
  if (raw.wire != 2) return make_error("protobuf: " + type + " is not length-delimited");
  return decode_message(raw.bytes, type, depth + 1);
}

// The JSON forms of the apimachinery types that are messages on the wire.
Json special_form(const std::string& type, const Json& fields) {
  auto num = [&](const char* k) { return fields.contains(k) ? fields[k].get<std::int64_t>() : 0; };
  // A zero time is null in JSON (and so left out).
  if ((type == "meta.Time" || type == "meta.MicroTime") && num("seconds") == 0 && num("nanos") == 0) return nullptr;
  if (type == "meta.Time") return format_timestamp(num("seconds"));
  if (type == "meta.MicroTime") {
    std::string t = format_timestamp(num("seconds"));
    char micros[32];
    std::snprintf(micros, sizeof micros, ".%06lld", static_cast<long long>(num("nanos") / 1000));
    return t.substr(0, t.size() - 1) + micros + "Z";
  }
  if (type == "intstr.IntOrString") {
    if (num("type") == 1) return fields.value("strVal", "");
    return num("intVal");
  }
  if (type == "res.Quantity") return fields.value("string", "");
  return fields;
}

Result<Json> decode_message(std::string_view data, const std::string& type, int depth) {
  if (depth > 64) return make_error("protobuf: nesting too deep");
  auto it = schema().find(type);
  if (it == schema().end()) return make_error("protobuf: no schema for " + type);
  const Message& message = it->second;
  const bool special = type == "meta.Time" || type == "meta.MicroTime" || type == "intstr.IntOrString" ||
                       type == "res.Quantity" || type == "meta.FieldsV1" || type == "rt.RawExtension";
  Json out = Json::object();
  Reader reader(data);
  while (!reader.done()) {
    std::uint64_t key = 0;
    if (!reader.varint(key)) return make_error("protobuf: truncated field key in " + type);
    Raw raw;
    raw.wire = static_cast<int>(key & 7);
    const int number = static_cast<int>(key >> 3);
    bool ok = false;
    switch (raw.wire) {
      case 0:
        ok = reader.varint(raw.number);
        break;
      case 1:
        ok = reader.fixed(8, raw.number);
        break;
      case 2:
        ok = reader.bytes(raw.bytes);
        break;
      case 5:
        ok = reader.fixed(4, raw.number);
        break;
      default:
        return make_error("protobuf: unsupported wire type " + std::to_string(raw.wire) + " in " + type);
    }
    if (!ok) return make_error("protobuf: truncated " + type);
    // FieldsV1 and RawExtension carry JSON bytes.
    if ((type == "meta.FieldsV1" || type == "rt.RawExtension") && raw.wire == 2) {
      model::JsonDocument embedded = model::parse_json(raw.bytes);  // bounded like any JSON body
      return embedded.error ? Json(nullptr) : std::move(embedded.value);
    }
    auto f = message.find(number);
    if (f == message.end()) continue;  // a field newer than our schema: skip it, as proto does
    const Field& field = f->second;
    if (field.kind == 'm') {
      // A map entry: {1: key, 2: value}.
      Reader entry(raw.bytes);
      std::string map_key;
      Json value = is_scalar(field.type) ? scalar(field.type, Raw{2, 0, {}}) : Json::object();
      while (!entry.done()) {
        std::uint64_t k = 0;
        if (!entry.varint(k)) return make_error("protobuf: truncated map entry in " + type);
        Raw part;
        part.wire = static_cast<int>(k & 7);
        bool read = part.wire == 2 ? entry.bytes(part.bytes) : part.wire == 0 ? entry.varint(part.number) : false;
        if (!read) return make_error("protobuf: bad map entry in " + type);
        if ((k >> 3) == 1) {
          map_key = std::string(part.bytes);
        } else if ((k >> 3) == 2) {
          auto decoded = decode_value(field.type, part, depth);
          if (!decoded.ok()) return decoded.error();
          value = std::move(*decoded);
        }
      }
      if (!out.contains(field.name)) out[field.name] = Json::object();
      out[field.name][map_key] = std::move(value);
      continue;
    }
    if (field.kind == 'r' && raw.wire == 2 && is_scalar(field.type) && field.type != "string" && field.type != "bytes") {
      // Packed repeated numbers.
      Reader packed(raw.bytes);
      while (!packed.done()) {
        Raw element;
        const bool eight = field.type == "double" || field.type == "fixed64" || field.type == "sfixed64";
        const bool four = field.type == "float" || field.type == "fixed32" || field.type == "sfixed32";
        element.wire = eight ? 1 : four ? 5 : 0;
        if (!(eight ? packed.fixed(8, element.number) : four ? packed.fixed(4, element.number) : packed.varint(element.number)))
          return make_error("protobuf: truncated packed field in " + type);
        out[field.name].push_back(scalar(field.type, element));
      }
      continue;
    }
    auto decoded = decode_value(field.type, raw, depth);
    if (!decoded.ok()) return decoded.error();
    if (field.kind == 'r') {
      if (!out.contains(field.name)) out[field.name] = Json::array();
      out[field.name].push_back(std::move(*decoded));
    } else {
      out[field.name] = std::move(*decoded);
    }
  }
  if (special) return special_form(type, out);
  // omitempty, applied once the message is complete.
  for (auto f = out.begin(); f != out.end();) {
    if (is_zero(*f) && !(keep_zero(f.key()) && f->is_number())) {
      f = out.erase(f);
    } else {
      ++f;
    }
  }
  return out;
}

}  // namespace

Result<Json> decode_kubernetes_protobuf(std::string_view body) {
  static constexpr std::string_view kMagic("k8s\0", 4);
  if (body.substr(0, 4) != kMagic) return make_error("not the Kubernetes protobuf encoding (no k8s magic)");
  Reader envelope(body.substr(4));
  std::string api_version, kind;
  std::string_view raw;
  while (!envelope.done()) {
    std::uint64_t key = 0;
    std::string_view bytes;
    if (!envelope.varint(key) || (key & 7) != 2 || !envelope.bytes(bytes))
      return make_error("protobuf: malformed runtime.Unknown envelope");
    if ((key >> 3) == 1) {
      Reader type_meta(bytes);
      while (!type_meta.done()) {
        std::uint64_t k = 0;
        std::string_view v;
        if (!type_meta.varint(k) || (k & 7) != 2 || !type_meta.bytes(v)) return make_error("protobuf: malformed TypeMeta");
        if ((k >> 3) == 1) api_version = std::string(v);
        if ((k >> 3) == 2) kind = std::string(v);
      }
    } else if ((key >> 3) == 2) {
      raw = bytes;
    }
  }
  std::string type;
  if (api_version == "v1")
    type = "core." + kind;
  else if (api_version == "apps/v1")
    type = "apps." + kind;
  if (type.empty() || schema().find(type) == schema().end())
    return make_error("protobuf: cannot decode " + (api_version.empty() ? std::string("an object") : api_version) +
                      " " + kind + " (send it as JSON)");
  auto decoded = decode_message(raw, type, 0);
  if (!decoded.ok()) return decoded.error();
  Json out = std::move(*decoded);
  out["apiVersion"] = api_version;
  out["kind"] = kind;
  return out;
}

}  // namespace gwsim::fakes

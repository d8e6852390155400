#include "engine/jwt/detail_openssl.h"

#include <openssl/bio.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <algorithm>

#include <vector>

namespace gwsim::jwt::detail {

namespace {

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
struct CtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
struct BldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct PctxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct GroupFree {
  void operator()(EC_GROUP* g) const { EC_GROUP_free(g); }
};
struct PointFree {
  void operator()(EC_POINT* p) const { EC_POINT_free(p); }
};
struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

Bn bn_from(std::string_view big_endian) {
  return Bn(BN_bin2bn(bytes(big_endian), static_cast<int>(big_endian.size()), nullptr));
}

std::string bn_bytes(const BIGNUM* b, std::size_t pad = 0) {
  const std::size_t n = static_cast<std::size_t>(BN_num_bytes(b));
  std::string out(std::max(n, pad), '\0');
  BN_bn2binpad(b, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  return out;
}

PkeyPtr wrap(EVP_PKEY* k) { return PkeyPtr(k, EVP_PKEY_free); }

PkeyPtr from_params(const char* type, OSSL_PARAM* params, int selection) {
  std::unique_ptr<EVP_PKEY_CTX, PctxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 || EVP_PKEY_fromdata(ctx.get(), &key, selection, params) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  return wrap(key);
}

const char* group_name(std::string_view crv) {
  if (crv == "P-256") return "prime256v1";
  if (crv == "P-384") return "secp384r1";
  if (crv == "P-521") return "secp521r1";
  return nullptr;
}

int curve_nid(std::string_view crv) {
  if (crv == "P-256") return NID_X9_62_prime256v1;
  if (crv == "P-384") return NID_secp384r1;
  if (crv == "P-521") return NID_secp521r1;
  return NID_undef;
}

PkeyPtr rsa_from_parts(const BIGNUM* n, const BIGNUM* e, const BIGNUM* d, const BIGNUM* p, const BIGNUM* q,
                       const BIGNUM* dp, const BIGNUM* dq, const BIGNUM* qi) {
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld) return nullptr;
  bool ok = OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
            OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e) == 1;
  if (d) {
    ok = ok && OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, d) == 1 &&
         OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, p) == 1 &&
         OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, q) == 1 &&
         OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, dp) == 1 &&
         OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, dq) == 1 &&
         OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qi) == 1;
  }
  if (!ok) return nullptr;
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return nullptr;
  return from_params("RSA", params.get(), d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY);
}

PkeyPtr ec_from_parts(std::string_view crv, const std::string& public_octets, const BIGNUM* priv) {
  const char* group = group_name(crv);
  if (!group) return nullptr;
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld) return nullptr;
  bool ok = OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) == 1 &&
            OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, public_octets.data(),
                                             public_octets.size()) == 1;
  if (priv) ok = ok && OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv) == 1;
  if (!ok) return nullptr;
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return nullptr;
  return from_params("EC", params.get(), priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY);
}

// A byte stream from the seed: SHA-256(seed || label || counter), block after block.
class SeedStream {
 public:
  SeedStream(std::string_view seed, std::string_view label) : prefix_(std::string(seed) + "\n" + std::string(label)) {}
  std::string next(std::size_t n) {
    std::string out;
    while (out.size() < n) {
      out += sha256(prefix_ + "\n" + std::to_string(counter_++));
    }
    out.resize(n);
    return out;
  }

 private:
  std::string prefix_;
  std::uint64_t counter_ = 0;
};

// A prime of `bits` bits from the stream: the top two bits set (so p*q has 2*bits bits), odd,
// then the next candidate that is prime and whose p-1 is coprime with e.
Bn seeded_prime(SeedStream& stream, int bits, BN_CTX* ctx) {
  std::string raw = stream.next(static_cast<std::size_t>(bits / 8));
  raw[0] = static_cast<char>(static_cast<unsigned char>(raw[0]) | 0xC0);
  raw.back() = static_cast<char>(static_cast<unsigned char>(raw.back()) | 0x01);
  Bn p = bn_from(raw);
  for (;;) {
    if (BN_mod_word(p.get(), 65537) != 1 && BN_check_prime(p.get(), ctx, nullptr) == 1) return p;
    BN_add_word(p.get(), 2);
  }
}

bool digest_verify(EVP_PKEY* key, const EVP_MD* md, std::string_view signature, std::string_view data, bool pss) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, key) == 1;
  if (ok && pss) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 && EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1;
  }
  ok = ok && EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(data), data.size()) == 1;
  ERR_clear_error();
  return ok;
}

std::string digest_sign(EVP_PKEY* key, const EVP_MD* md, std::string_view data, bool pss) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key) != 1) return {};
  if (pss &&
      (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 || EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) != 1 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1))
    return {};
  std::size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, bytes(data), data.size()) != 1) return {};
  std::string out(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, bytes(data), data.size()) != 1) {
    ERR_clear_error();
    return {};
  }
  out.resize(len);
  return out;
}

}  // namespace

std::string sha256(std::string_view data) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  SHA256(bytes(data), data.size(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

PkeyPtr rsa_public_key(std::string_view n, std::string_view e) {
  Bn bn_n = bn_from(n), bn_e = bn_from(e);
  if (!bn_n || !bn_e || BN_is_zero(bn_n.get()) || BN_is_zero(bn_e.get())) return nullptr;
  return rsa_from_parts(bn_n.get(), bn_e.get(), nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
}

std::size_t ec_coordinate_size(std::string_view crv) {
  if (crv == "P-256") return 32;
  if (crv == "P-384") return 48;
  if (crv == "P-521") return 66;
  return 0;
}

PkeyPtr ec_public_key(std::string_view crv, std::string_view x, std::string_view y) {
  const std::size_t size = ec_coordinate_size(crv);
  if (!size || x.size() > size || y.size() > size || x.empty() || y.empty()) return nullptr;
  // The uncompressed point 04 || x || y, each coordinate left-padded to the field size.
  std::string octets(1, '\x04');
  octets += std::string(size - x.size(), '\0') + std::string(x);
  octets += std::string(size - y.size(), '\0') + std::string(y);
  return ec_from_parts(crv, octets, nullptr);
}

PkeyPtr pem_public_key(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return nullptr;
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  ERR_clear_error();
  return key ? wrap(key) : nullptr;
}

PkeyPtr pem_private_key(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return nullptr;
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  ERR_clear_error();
  return key ? wrap(key) : nullptr;
}

std::string ec_curve_of(EVP_PKEY* key) {
  char name[64] = {0};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name), &len) != 1) return {};
  const std::string_view g(name, len);
  if (g == "prime256v1" || g == "P-256") return "P-256";
  if (g == "secp384r1" || g == "P-384") return "P-384";
  if (g == "secp521r1" || g == "P-521") return "P-521";
  return {};
}

const EVP_MD* digest_for(std::string_view alg) {
  if (alg.size() >= 3 && alg.substr(alg.size() - 3) == "384") return EVP_sha384();
  if (alg.size() >= 3 && alg.substr(alg.size() - 3) == "512") return EVP_sha512();
  return EVP_sha256();
}

bool verify_rsa_pkcs1(EVP_PKEY* key, const EVP_MD* md, std::string_view signature, std::string_view data) {
  return key && digest_verify(key, md, signature, data, false);
}

bool verify_rsa_pss(EVP_PKEY* key, const EVP_MD* md, std::string_view signature, std::string_view data) {
  return key && digest_verify(key, md, signature, data, true);
}

bool verify_ecdsa(EVP_PKEY* key, const EVP_MD* md, std::string_view signature, std::string_view data) {
  if (!key || signature.empty()) return false;
  // verifySignatureEC: r is the first half, s the second; to DER for EVP.
  const std::size_t half = signature.size() / 2;
  std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(bytes(signature), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(bytes(signature.substr(half)), static_cast<int>(half), nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return false;
  }
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_len <= 0) return false;
  const std::string der_sig(reinterpret_cast<char*>(der), static_cast<std::size_t>(der_len));
  OPENSSL_free(der);
  return digest_verify(key, md, der_sig, data, false);
}

std::string sign_rsa_pkcs1(EVP_PKEY* key, const EVP_MD* md, std::string_view data) {
  return digest_sign(key, md, data, false);
}

std::string sign_rsa_pss(EVP_PKEY* key, const EVP_MD* md, std::string_view data) {
  return digest_sign(key, md, data, true);
}

std::string sign_ecdsa(EVP_PKEY* key, const EVP_MD* md, std::size_t coordinate_size, std::string_view data) {
  const std::string der = digest_sign(key, md, data, false);
  if (der.empty()) return {};
  const unsigned char* p = bytes(der);
  std::unique_ptr<ECDSA_SIG, SigFree> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return {};
  return bn_bytes(ECDSA_SIG_get0_r(sig.get()), coordinate_size) +
         bn_bytes(ECDSA_SIG_get0_s(sig.get()), coordinate_size);
}

PkeyPtr deterministic_rsa_key(std::string_view seed, int bits) {
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  SeedStream stream(seed, "RSA-" + std::to_string(bits));
  Bn p = seeded_prime(stream, bits / 2, ctx.get());
  Bn q = seeded_prime(stream, bits / 2, ctx.get());
  if (BN_cmp(p.get(), q.get()) < 0) std::swap(p, q);
  Bn e(BN_new()), n(BN_new()), d(BN_new()), p1(BN_new()), q1(BN_new()), phi(BN_new()), dp(BN_new()), dq(BN_new());
  BN_set_word(e.get(), 65537);
  BN_mul(n.get(), p.get(), q.get(), ctx.get());
  BN_sub(p1.get(), p.get(), BN_value_one());
  BN_sub(q1.get(), q.get(), BN_value_one());
  BN_mul(phi.get(), p1.get(), q1.get(), ctx.get());
  if (!BN_mod_inverse(d.get(), e.get(), phi.get(), ctx.get())) return nullptr;
  BN_mod(dp.get(), d.get(), p1.get(), ctx.get());
  BN_mod(dq.get(), d.get(), q1.get(), ctx.get());
  Bn qi(BN_mod_inverse(nullptr, q.get(), p.get(), ctx.get()));
  if (!qi) return nullptr;
  return rsa_from_parts(n.get(), e.get(), d.get(), p.get(), q.get(), dp.get(), dq.get(), qi.get());
}

PkeyPtr deterministic_ec_key(std::string_view seed, std::string_view crv) {
  const int nid = curve_nid(crv);
  if (nid == NID_undef) return nullptr;
  std::unique_ptr<EC_GROUP, GroupFree> group(EC_GROUP_new_by_curve_name(nid));
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  if (!group || !ctx) return nullptr;
  const BIGNUM* order = EC_GROUP_get0_order(group.get());
  SeedStream stream(seed, "EC-" + std::string(crv));
  // d in [1, order-1]: a value from the stream reduced modulo order-1, plus one.
  Bn raw = bn_from(stream.next(static_cast<std::size_t>(BN_num_bytes(order)) + 8));
  Bn order1(BN_dup(order)), d(BN_new());
  BN_sub_word(order1.get(), 1);
  BN_mod(d.get(), raw.get(), order1.get(), ctx.get());
  BN_add_word(d.get(), 1);
  std::unique_ptr<EC_POINT, PointFree> pub(EC_POINT_new(group.get()));
  if (!pub || EC_POINT_mul(group.get(), pub.get(), d.get(), nullptr, nullptr, ctx.get()) != 1) return nullptr;
  const std::size_t len =
      EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED, nullptr, 0, ctx.get());
  std::string octets(len, '\0');
  EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED,
                     reinterpret_cast<unsigned char*>(octets.data()), len, ctx.get());
  return ec_from_parts(crv, octets, d.get());
}

bool rsa_public_parts(EVP_PKEY* key, std::string& n, std::string& e) {
  BIGNUM* bn_n = nullptr;
  BIGNUM* bn_e = nullptr;
  const bool ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &bn_n) == 1 &&
                  EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &bn_e) == 1;
  if (ok) {
    n = bn_bytes(bn_n);
    e = bn_bytes(bn_e);
  }
  BN_free(bn_n);
  BN_free(bn_e);
  ERR_clear_error();
  return ok;
}

bool ec_public_parts(EVP_PKEY* key, std::string& x, std::string& y) {
  const std::size_t size = ec_coordinate_size(ec_curve_of(key));
  BIGNUM* bn_x = nullptr;
  BIGNUM* bn_y = nullptr;
  const bool ok = size && EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &bn_x) == 1 &&
                  EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &bn_y) == 1;
  if (ok) {
    x = bn_bytes(bn_x, size);
    y = bn_bytes(bn_y, size);
  }
  BN_free(bn_x);
  BN_free(bn_y);
  ERR_clear_error();
  return ok;
}

}  // namespace gwsim::jwt::detail

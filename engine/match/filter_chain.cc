#include "engine/match/filter_chain.h"

#include <algorithm>

#include "engine/text/ascii.h"

namespace gwsim::match {

using text::iequals;

namespace {

// Envoy's server-name match for one chain criterion list: exact, or a "*.suffix" entry that
// covers the name; returns the matched pattern's length (longer is more specific), or -1.
int server_name_match(const std::vector<std::string>& names, std::string_view sni) {
  int best = -1;
  for (const auto& n : names) {
    if (iequals(n, sni)) return 1 << 20;  // exact beats every wildcard
    if (n.size() > 1 && n[0] == '*' && n[1] == '.' && sni.size() > n.size() - 1 &&
        iequals(sni.substr(sni.size() - (n.size() - 1)), std::string_view(n).substr(1))) {
      best = std::max(best, static_cast<int>(n.size()));
    }
  }
  return best;
}

}  // namespace

const route::FilterChain* select_filter_chain(const route::Listener& listener, std::string_view sni) {
  const route::FilterChain* best = nullptr;
  int best_score = -1;
  const route::FilterChain* any = nullptr;  // the first chain without a server-name criterion
  for (const auto& c : listener.filter_chains) {
    if (c.server_names.empty()) {
      if (!any) any = &c;
      continue;
    }
    if (sni.empty()) continue;
    int score = server_name_match(c.server_names, sni);
    if (score > best_score) {
      best = &c;
      best_score = score;
    }
  }
  return best ? best : any;
}

bool match_filter_chain(const http::Request& request, RoutingResult& out) {
  DecisionTrace& t = out.trace;
  const route::Listener& listener = *out.listener;
  // A connection without SNI (plaintext, or TLS without the extension) only matches chains
  // without a server-name criterion.
  const bool tls = request.scheme == "https";
  const std::string sni = http::server_name(request);
  const route::FilterChain* chain = select_filter_chain(listener, sni);
  if (!chain) {
    t.outcome = Outcome::kNoFilterChain;
    t.detail = sni.empty() ? "no filter chain on " + listener.name + " accepts a connection without SNI"
                           : "no filter chain on " + listener.name + " matches SNI \"" + sni + "\"";
    return false;
  }
  out.filter_chain = chain;
  t.filter_chain = chain->name;
  t.tls_mode = chain->tls_mode;
  t.sni = sni;
  const bool terminates = !chain->tls_mode.empty() && chain->tls_mode != "PASSTHROUGH";
  auto fail = [&t](std::string detail) {
    t.outcome = Outcome::kTlsError;
    t.detail = std::move(detail);
    return false;
  };
  if (chain->tls_mode.empty() && tls) {
    return fail(chain->http ? "TLS handshake to a plaintext HTTP server (the server speaks HTTP, not TLS)"
                            : "TLS to a plaintext TCP server");
  }
  if (!chain->tls_mode.empty() && !tls) return fail("plaintext request to a " + chain->tls_mode + " TLS server");
  if (terminates) {
    if (chain->tls_mode == "ISTIO_MUTUAL") return fail("ISTIO_MUTUAL requires a client certificate issued by the mesh's CA");
    if (!chain->credential) return fail("TLS handshake fails: " + chain->credential_error);
    if (chain->tls_mode == "MUTUAL" && !request.client_certificate) {
      return fail("MUTUAL TLS: the client presented no certificate");
    }
  }
  t.outcome = Outcome::kRouted;
  return true;
}

void tls_handshake_failed(RoutingResult& out, std::string_view error) {
  DecisionTrace& t = out.trace;
  t.outcome = Outcome::kTlsError;
  t.status = 0;
  // Decision mode's reason for MUTUAL is the missing certificate; a real handshake says why.
  if (out.filter_chain && out.filter_chain->tls_mode == "MUTUAL") {
    t.detail = "MUTUAL TLS: the client presented no certificate";
  } else {
    t.detail = "TLS handshake failed: " + std::string(error);
  }
}

}  // namespace gwsim::match

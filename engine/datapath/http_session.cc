// An HTTP connection of the proxy: each request goes through router::exchange() (the same
// pipeline as decision mode) on the connection's fiber; its upstream attempts are real
// requests over the loop's keep-alive pool, each within the time budget the pipeline hands it.
// Plays the part of Envoy's http_connection_manager (conn_manager_impl.cc) and the router's
// upstream requests.
#include <optional>
#include <tuple>

#include "engine/datapath/detail_http_codec.h"
#include "engine/datapath/detail_proxy_core.h"

namespace gwsim::datapath::detail {

namespace {

bool has_flag(const std::string& flags, std::string_view flag) {
  std::string_view list = flags;
  while (!list.empty()) {
    auto comma = list.find(',');
    if (list.substr(0, comma) == flag) return true;
    if (comma == std::string_view::npos) break;
    list = list.substr(comma + 1);
  }
  return false;
}

}  // namespace

// One upstream attempt of an HTTP route, called by router::exchange() on the connection's fiber.
gwsim::http::UpstreamResponse ProxyCore::http_upstream(Fiber& fiber, Loop& loop, AttemptState& state,
                                                       const route::Endpoint& endpoint,
                                                       const gwsim::http::UpstreamRequest& up,
                                                       const router::AttemptContext& attempt, const std::string& body,
                                                       bool head) {
  gwsim::http::UpstreamResponse out;
  std::optional<SocketAddress> to = options_.addresses->resolve(endpoint.ip, endpoint.port);
  if (!to) {
    out.connected = false;  // no fake pod serves it: nothing would answer
    return out;
  }
  // The attempt's budget is in the configuration's time; the wire runs time-scaled.
  const model::Millis budget = attempt.budget;
  const Clock::time_point deadline =
      budget == router::kNoTimeLimit ? Clock::time_point::max() : deadline_after(Clock::now(), real(budget));

  std::string local_wire;
  std::string& wire = state.wire ? *state.wire : local_wire;
  serialize_request(wire, up, body, up.authority);
  const std::string ref = endpoint_ref(endpoint);
  ++loop.lb.active_requests()[ref];  // least-request sees requests in flight
  CallResult result = call_upstream(fiber, loop.ctx, loop.pool, *to, up.client_ip, wire, deadline, head);
  --loop.lb.active_requests()[ref];

  state.upstream_local = result.local;
  state.upstream_remote = to->to_string();
  switch (result.kind) {
    case CallResult::Kind::kResponse: {
      out = std::move(result.response);
      model::Millis took = static_cast<model::Millis>(static_cast<double>(result.elapsed_ms) / options_.time_scale);
      // It answered before the deadline: in the configuration's time, too.
      if (budget != router::kNoTimeLimit) took = std::min(took, budget - 1);
      out.delay_ms = std::max<model::Millis>(0, took);
      state.service_ms = result.service_ms;
      break;
    }
    case CallResult::Kind::kTimeout:
      // Still waiting when the budget ran out: the pipeline sees an answer that takes exactly
      // the budget, which is what its timeouts compare against.
      out.connected = true;
      out.status = 504;
      out.delay_ms = budget == router::kNoTimeLimit ? 0 : budget;
      break;
    case CallResult::Kind::kConnectFailure: out.connected = false; break;
    case CallResult::Kind::kReset:  // the request was written, then the connection ended unanswered
      out.connected = false;
      out.terminated = true;
      break;
  }
  return out;
}

// Fire and forget: a copy of the request to each mirror cluster the router chose, on a fiber of
// its own; the answer is dropped.
void ProxyCore::mirror(Loop& loop, const TablePtr& table, const gwsim::http::Request& request, const router::Exchange& ex,
                       const std::string& body) {
  if (ex.trace.mirrors.empty() || !ex.upstream_request) return;
  struct MirrorTask {
    SocketAddress to;
    std::string source;
    std::string wire;
    std::unique_ptr<Fiber> fiber;
  };
  for (const auto& name : ex.trace.mirrors) {
    const route::Cluster* cluster = table->find_cluster(name);
    const route::Endpoint* e = cluster ? lb::choose_endpoint(*cluster, request, loop.mirror_rng, loop.mirror_lb) : nullptr;
    if (!e) continue;
    std::optional<SocketAddress> to = options_.addresses->resolve(e->ip, e->port);
    if (!to) continue;
    const gwsim::http::UpstreamRequest& up = *ex.upstream_request;
    // Envoy marks shadow traffic by suffixing the host.
    std::string authority = up.authority;
    auto colon = authority.rfind(':');
    if (colon != std::string::npos && authority.find(']') == std::string::npos && authority.find(':') == colon)
      authority = authority.substr(0, colon) + "-shadow" + authority.substr(colon);
    else
      authority += "-shadow";
    auto* task = new MirrorTask{*to, up.client_ip, {}, nullptr};
    serialize_request(task->wire, up, body, authority);
    task->fiber = std::make_unique<Fiber>(loop.stacks, [this, task, &loop] {
      call_upstream(*task->fiber, loop.ctx, loop.pool, task->to, task->source, task->wire,
                    Clock::now() + std::chrono::seconds(30), false);
      asio::post(loop.ctx, [task] { delete task; });  // after the fiber has left its stack
    });
    if (!task->fiber->valid()) {
      delete task;
      continue;
    }
    asio::post(loop.ctx, [task] { task->fiber->resume(); });
  }
}

template <class DownStream>
void ProxyCore::http_loop(Fiber& fiber, DownStream& stream, ConnInfo info, const TablePtr& connection_table,
                          const match::RoutingResult& connection, Loop& loop) {
  beast::flat_buffer buffer;
  std::string wire;           // the response on the wire, reused
  std::string upstream_wire;  // the upstream request on the wire, reused
  error_code ec;
  for (std::uint64_t served = 0; served < kMaxRequestsPerConnection; ++served) {
    gwsim::http::Request mr;
    RequestParser parser(mr);
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(kMaxBodyBytes);
    std::tie(ec, std::ignore) = await_on<error_code, std::size_t>(
        fiber, [&](auto handler) { http::async_read(stream, buffer, parser, std::move(handler)); });
    if (ec) {
      if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message) {
        // Envoy's answer to a request its codec cannot read; it then closes the connection.
        serialize_response(wire, codec_error_response(ec), 11, false, false);
        await_on<error_code, std::size_t>(
            fiber, [&](auto handler) { asio::async_write(stream, asio::buffer(wire), std::move(handler)); });
      }
      break;
    }
    const auto start = Clock::now();
    mr.port = info.service_port;
    mr.scheme = info.scheme;
    mr.sni = info.sni;
    mr.client_certificate = info.client_certificate;
    mr.source_ip = info.remote_ip;
    const bool head = parser.method == http::verb::head;
    const bool keep_alive = parser.keep_alive();
    const unsigned version = parser.version;
    const std::string& body = parser.body;

    TablePtr table = table_.load();
    if (!table) break;
    AttemptState state;
    state.wire = &upstream_wire;
    // One pointer captured: the callback fits std::function's inline storage (no allocation).
    struct Call {
      ProxyCore* self;
      Fiber& fiber;
      Loop& loop;
      AttemptState& state;
      const std::string& body;
      bool head;
    } call{this, fiber, loop, state, body, head};
    // The connection's chain, unless a new table came since: then its stages run on that one.
    match::RoutingResult chain;
    if (table == connection_table) chain = connection;
    else match::match_connection(*table, mr, chain);
    router::Exchange ex =
        router::exchange(*table, mr, std::move(chain), loop.rng, loop.lb,
                         [c = &call](const route::Endpoint& e, const gwsim::http::UpstreamRequest& up,
                                     const router::AttemptContext& attempt) {
                           return c->self->http_upstream(c->fiber, c->loop, c->state, e, up, attempt, c->body, c->head);
                         });
    match::DecisionTrace& t = ex.trace;
    if (ex.response.status == 0) {
      // No HTTP answer (plaintext to a TLS server, no chain, a TCP chain): Envoy closes.
      log(t, ex.endpoint, info, mr, 0, state.upstream_local, state.upstream_remote, start);
      return;
    }
    if (has_flag(t.response_flags, "DI")) {
      // The fault filter's delay (decided by the pipeline); Envoy holds the request this long.
      Timer pause(loop.ctx, deadline_after(Clock::now(), real(ex.fault_delay)));
      await_on<error_code>(fiber, [&](auto handler) { pause.async_wait(std::move(handler)); });
    }
    mirror(loop, table, mr, ex, body);
    if (!t.attempts.empty()) {
      for (auto& [k, v] : ex.response.headers)
        if (k == "x-envoy-upstream-service-time") v = std::to_string(state.service_ms);
    }

    // A request the codec or the connection manager refused: Envoy answers in HTTP/1.1 (it does
    // not speak 1.0 without accept_http_10) and closes the connection.
    const bool rejected = t.outcome == match::Outcome::kRequestRejected;
    if (rejected) serialize_response(wire, ex.response, 11, false, head);
    else serialize_response(wire, ex.response, version, keep_alive, head);
    log(t, ex.endpoint, info, mr, ex.response.status, state.upstream_local, state.upstream_remote, start);
    std::tie(ec, std::ignore) = await_on<error_code, std::size_t>(
        fiber, [&](auto handler) { asio::async_write(stream, asio::buffer(wire), std::move(handler)); });
    if (ec || !keep_alive || rejected) break;
  }
  lowest(stream).shutdown(tcp::socket::shutdown_send, ec);
}

template void ProxyCore::http_loop<Socket>(Fiber&, Socket&, ConnInfo, const TablePtr&, const match::RoutingResult&,
                                          Loop&);
template void ProxyCore::http_loop<ssl::stream<Socket&>>(Fiber&, ssl::stream<Socket&>&, ConnInfo, const TablePtr&,
                                                         const match::RoutingResult&, Loop&);

}  // namespace gwsim::datapath::detail

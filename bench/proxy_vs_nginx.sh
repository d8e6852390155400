#!/usr/bin/env bash
# Proxy throughput on loopback: gwsim's gateway proxy against nginx configured as the same
# reverse proxy to the same fake pods, measured in one run on the same machine.
#
#   bash bench/proxy_vs_nginx.sh            # 8 s per proxy, wrk -t1 -c32
#
# Both proxies answer `Host: www.service1.io` on /ping with the seed manifests
# (scenarios/seed/manifests): gwsim routes to subset v1 (one pod); nginx proxies to that same
# pod (its address from `gwsim serve --state`), with keep-alive upstream connections and the
# same request headers gwsim adds (x-forwarded-for, x-forwarded-proto, x-request-id). The fake
# pods run inside `gwsim serve` in both runs.
#
# Needs wrk, nginx (Debian nginx-light) and jq: installed with apt when missing (root or sudo).
# Not run by CI.
#
#   GWSIM_BINARY  gwsim to use (default: build/bin/gwsim, built by scripts/setup.sh)
#   DURATION      seconds per measurement (default 8)
#   CONNECTIONS   wrk connections (default 32)
#   THREADS       gwsim proxy event loops (default 1; nginx gets as many workers)
#   PIN           1 (default with 2+ cores): wrk on the first core, the proxies and the pods on
#                 the others (taskset), so both proxies get the same cores; 0: no pinning
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
gwsim="${GWSIM_BINARY:-$repo/build/bin/gwsim}"
duration="${DURATION:-8}"
connections="${CONNECTIONS:-32}"
threads="${THREADS:-1}"
cores="$(nproc)"
pin="${PIN:-$([[ $cores -ge 2 ]] && echo 1 || echo 0)}"
client_cpus=()
server_cpus=()
if [[ "$pin" == 1 ]]; then
  client_cpus=(taskset -c 0)
  server_cpus=(taskset -c "1-$((cores - 1))")
fi

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
command -v jq >/dev/null 2>&1 || need+=(jq)
if ((${#need[@]} > 0)); then
  echo "bench: installing ${need[*]}"
  as_root=()
  [[ "$(id -u)" == 0 ]] || as_root=(sudo)
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
if [[ ! -x "$gwsim" ]]; then
  echo "bench: $gwsim not found; run scripts/setup.sh first (or set GWSIM_BINARY)" >&2
  exit 1
fi

work="$(mktemp -d)"
gwsim_pid=""
nginx_pid=""
cleanup() {
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null || true
  [[ -n "$gwsim_pid" ]] && kill -INT "$gwsim_pid" 2>/dev/null || true
  [[ -n "$gwsim_pid" ]] && wait "$gwsim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A free loopback port (bound by nothing right now).
free_port() {
  local port
  for port in $(seq 20000 20999 | shuf); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "bench: no free port" >&2
  exit 1
}

# ---- gwsim serve: the fake pods and the gateway proxy ----------------------------------
"${server_cpus[@]}" "$gwsim" serve "$repo/scenarios/seed/manifests" --threads "$threads" --state "$work/state.json" \
  >"$work/gwsim.log" 2>&1 &
gwsim_pid=$!
for _ in $(seq 1 100); do
  [[ -s "$work/state.json" ]] && break
  sleep 0.1
done
if [[ ! -s "$work/state.json" ]]; then
  echo "bench: gwsim serve did not start:" >&2
  cat "$work/gwsim.log" >&2
  exit 1
fi
gateway="$(jq -r '.gateways[] | select(.service == "istio-system/istio-ingressgateway") | .ports[] | select(.port == 80) | .address' "$work/state.json")"
pod="$(jq -r '.gateways[0].clusters["outbound|8081|v1|k8s-combat-service-istio-mesh.default.svc.cluster.local"][0].address' "$work/state.json")"
if [[ -z "$gateway" || -z "$pod" || "$pod" == null ]]; then
  echo "bench: cannot find the gateway port or the v1 pod in the state file" >&2
  exit 1
fi

# ---- nginx: the same reverse proxy to the same pod ---------------------------------------
nginx_port="$(free_port)"
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes $threads;
daemon off;
master_process off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  upstream pods {
    server $pod;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://pods;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Request-Id \$request_id;
    }
  }
}
EOF
# master_process off runs one worker in the foreground; more workers need the master.
if [[ "$threads" != 1 ]]; then sed -i 's/^master_process off;//' "$work/nginx/nginx.conf"; fi
"${server_cpus[@]}" "$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" >"$work/nginx.log" 2>&1 &
nginx_pid=$!
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$nginx_port") 2>/dev/null && break
  sleep 0.1
done

check() {
  local body
  body="$(curl -s -H 'Host: www.service1.io' "http://$1/ping")"
  if [[ "$body" != *"Hostname=k8s-combat-service-v1-"* ]]; then
    echo "bench: $2 at $1 did not answer from the v1 pod:" >&2
    echo "$body" >&2
    exit 1
  fi
}
check "$gateway" gwsim
check "127.0.0.1:$nginx_port" nginx

# ---- measure -------------------------------------------------------------------------------
measure() {  # name address -> "rps p50 p99" (latencies in ms)
  "${client_cpus[@]}" wrk -t1 -c"$connections" -d1s -H 'Host: www.service1.io' "http://$2/ping" >/dev/null  # warm-up
  "${client_cpus[@]}" wrk -t1 -c"$connections" -d"${duration}s" --latency -H 'Host: www.service1.io' "http://$2/ping" >"$work/$1.wrk"
  local rps p50 p99
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$work/$1.wrk")"
  p50="$(awk '$1 == "50%" {print $2}' "$work/$1.wrk")"
  p99="$(awk '$1 == "99%" {print $2}' "$work/$1.wrk")"
  if grep -q "Non-2xx" "$work/$1.wrk"; then
    echo "bench: $1 answered errors:" >&2
    cat "$work/$1.wrk" >&2
    exit 1
  fi
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}
to_ms() {  # wrk prints 812.00us / 1.23ms / 1.01s
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n = n * 1000
    printf "%.2f", n }'
}

echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//')"
echo "wrk -t1 -c$connections -d${duration}s, Host: www.service1.io /ping, $threads proxy thread(s)/worker(s)$([[ $pin == 1 ]] && echo ", wrk on cpu 0, proxies and pods on cpus 1-$((cores - 1))")"
read -r g_rps g_p50 g_p99 <<<"$(measure gwsim "$gateway")"
read -r n_rps n_p50 n_p99 <<<"$(measure nginx "127.0.0.1:$nginx_port")"
printf '%-8s %12s %10s %10s\n' proxy req/s p50_ms p99_ms
printf '%-8s %12s %10s %10s\n' gwsim "$g_rps" "$g_p50" "$g_p99"
printf '%-8s %12s %10s %10s\n' nginx "$n_rps" "$n_p50" "$n_p99"
awk -v g="$g_rps" -v n="$n_rps" 'BEGIN { printf "ratio gwsim/nginx: %.2f\n", g / n }'

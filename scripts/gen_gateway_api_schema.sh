#!/bin/sh
# Regenerates engine/model/detail_crd_schema_tables_gateway_api.cc: the OpenAPI schemas of the
# Gateway API CRDs gwsim reads (GatewayClass, Gateway, HTTPRoute, GRPCRoute, ReferenceGrant,
# TLSRoute, TCPRoute), standard channel (and the experimental one for versions only it serves), as compact JSON strings.
#
#   sh scripts/gen_gateway_api_schema.sh GATEWAY_API_GIT_DIR [TAG] > engine/model/detail_crd_schema_tables_gateway_api.cc
#
# GATEWAY_API_GIT_DIR: a clone of kubernetes-sigs/gateway-api (a bare mirror will do); TAG
# defaults to v1.6.1 (the checked-in output was made from it). Builds scripts/gen_crd_schema_json.cc
# with g++ against yaml-cpp and nlohmann-json (no Python).
set -eu
REPO=$1
TAG=${2:-v1.6.1}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
g++ -std=c++20 -O1 -o "$WORK/gen" "$HERE/gen_crd_schema_json.cc" -lyaml-cpp
files=""
for f in gatewayclasses gateways httproutes grpcroutes referencegrants tlsroutes tcproutes; do
  git -C "$REPO" show "$TAG:config/crd/standard/gateway.networking.k8s.io_$f.yaml" > "$WORK/$f.yaml"
  files="$files $WORK/$f.yaml"
done
# TLSRoute v1alpha2/v1alpha3 and TCPRoute v1alpha2 are served by the experimental channel only.
for f in tlsroutes tcproutes; do
  git -C "$REPO" show "$TAG:config/crd/experimental/gateway.networking.k8s.io_$f.yaml" > "$WORK/x-$f.yaml"
  files="$files $WORK/x-$f.yaml"
done
# shellcheck disable=SC2086
"$WORK/gen" $files

// A compiled route table in the short tables `istioctl proxy-config` prints for a gateway, column
// for column (istio/istio istioctl/pkg/writer/envoy/configdump: listener.go PrintListenerSummary
// with --verbose, its default; route.go PrintRouteSummary; cluster.go PrintClusterSummary;
// endpoint.go PrintEndpointsSummary; and the secret table of istioctl/pkg/writer/compare/sds),
// aligned as Go's text/tabwriter aligns them with the padding each writer uses. With
// `with_type_names` each row's name carries its type ("listener/...", "route/..."), as
// `istioctl proxy-config all` prints them.
#pragma once

#include <ctime>
#include <string>

#include "engine/route/route_table.h"

namespace gwsim::config_dump {

std::string listeners_table(const route::RouteTable& table, bool with_type_names = false);
std::string routes_table(const route::RouteTable& table, bool with_type_names = false);
std::string clusters_table(const route::RouteTable& table, bool with_type_names = false);
std::string endpoints_table(const route::RouteTable& table, bool with_type_names = false);
// VALID CERT compares the certificate's validity with `now`.
std::string secrets_table(const route::RouteTable& table, std::time_t now, bool with_type_names = false);

// Each table under istioctl's "------ CLUSTER INFO ------" headers, in its order: clusters,
// listeners, routes, secrets, endpoints.
std::string all_tables(const route::RouteTable& table, std::time_t now);

// Go's text/tabwriter with minwidth 0, tabwidth 8, padchar ' ' and no flags: every cell that a
// tab ends is padded to its column's widest cell plus `padding`; the text after a line's last
// tab is not.
std::string tabulate(const std::vector<std::vector<std::string>>& rows, int padding);

}  // namespace gwsim::config_dump

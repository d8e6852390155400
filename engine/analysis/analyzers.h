// The analyzers `gwsim analyze` runs, one file each, named after the Istio analyzer it follows
// (pkg/config/analysis/analyzers/...), then gwsim's own checks over the compiled route tables.
#pragma once

#include <string_view>
#include <vector>

#include "engine/analysis/context.h"

namespace gwsim::analysis {

using AnalyzerFunction = void (*)(const Context&, Report&);

struct Analyzer {
  std::string_view name;  // Istio's analyzer name ("gateway.IngressGatewayPortAnalyzer"), or gwsim.*
  AnalyzerFunction run;
};

void analyze_schema_validation(const Context&, Report&);                    // schema_validation.cc
void analyze_virtual_service_gateways(const Context&, Report&);            // virtual_service_gateway.cc
void analyze_virtual_service_destination_hosts(const Context&, Report&);   // virtual_service_destination_host.cc
void analyze_virtual_service_destination_rules(const Context&, Report&);   // virtual_service_destination_rule.cc
void analyze_ingress_gateway_ports(const Context&, Report&);               // ingress_gateway_port.cc
void analyze_gateway_secrets(const Context&, Report&);                     // gateway_secret.cc
void analyze_conflicting_gateways(const Context&, Report&);                // conflicting_gateway.cc
void analyze_gateway_certificates(const Context&, Report&);                // gateway_certificate.cc
void analyze_destination_rule_ca_certificates(const Context&, Report&);    // destination_rule_ca_certificate.cc
void analyze_destination_rule_subsets(const Context&, Report&);            // destination_rule_subset.cc
void analyze_service_port_names(const Context&, Report&);                  // service_port_name.cc
void analyze_service_entry_addresses(const Context&, Report&);             // service_entry_protocol_addresses.cc
void analyze_unreachable_routes(const Context&, Report&);                  // unreachable_route.cc (GWS0001)
void analyze_unbound_hosts(const Context&, Report&);                       // unbound_host.cc (GWS0002)
void analyze_empty_subsets(const Context&, Report&);                       // empty_subset.cc (GWS0003, GWS0004)

// Every analyzer, in the order their messages are listed.
const std::vector<Analyzer>& all_analyzers();
const Analyzer* find_analyzer(std::string_view name);

}  // namespace gwsim::analysis

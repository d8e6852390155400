// Follows Istio's schema.ValidationAnalyzer (pkg/config/analysis/analyzers/schema/validation.go):
// each object is validated as the webhook would; an error is IST0106 SchemaValidationError, a
// warning IST0133 SchemaWarning, except the VirtualService rule warnings, which are IST0130
// VirtualServiceUnreachableRule and IST0131 VirtualServiceIneffectiveMatch. gwsim's admission
// also checks the CRD's schema first (what the API server would refuse); those are IST0106 too,
// as are objects the typed model cannot read.
#include <set>

#include "engine/analysis/analyzers.h"

namespace gwsim::analysis {

namespace {

// "file:line:col" -> "file:line".
std::string without_column(const std::string& where) {
  auto last = where.rfind(':');
  if (last == std::string::npos) return where;
  auto before = where.rfind(':', last - 1);
  if (before == std::string::npos) return where;
  for (size_t i = last + 1; i < where.size(); ++i)
    if (where[i] < '0' || where[i] > '9') return where;
  return where.substr(0, last);
}

// The webhook's wording of the two rule warnings (engine/validation/virtual_service.cc, as
// Istio's AnalysisAwareError carries them).
bool unreachable_rule(const std::string& warning, std::vector<std::string>& args) {
  static const std::string kPrefix = "virtualService rule ";
  static const std::string kMatch = " match ";
  static const std::string kDup = " is not used (duplicate/overlapping match in rule ";
  static const std::string kNotUsed = " not used (";
  if (!warning.starts_with(kPrefix) || !warning.ends_with(")")) return false;
  std::string rest = warning.substr(kPrefix.size(), warning.size() - kPrefix.size() - 1);
  if (auto dup = rest.find(kDup); dup != std::string::npos) {
    std::string head = rest.substr(0, dup);
    auto match = head.find(kMatch);
    if (match == std::string::npos) return false;
    args = {head.substr(0, match), head.substr(match + kMatch.size()), rest.substr(dup + kDup.size())};
    return true;
  }
  if (auto used = rest.find(kNotUsed); used != std::string::npos) {
    args = {rest.substr(0, used), rest.substr(used + kNotUsed.size())};
    return true;
  }
  return false;
}

}  // namespace

void analyze_schema_validation(const Context& context, Report& report) {
  const auto& objects = context.objects();
  std::set<std::string> refused;
  for (size_t i = 0; i < objects.size(); ++i) {
    const model::Object& object = objects[i];
    const auto& admission = context.admissions()[i];
    std::string kind = object.kind(), ns = namespace_of(object), name = object.name();
    std::string start = file_line(object.source);
    if (!admission.ok()) refused.insert(model::describe(object));
    for (const auto& problem : admission.problems)
      report.add_at(message_type("SchemaValidationError"), kind, ns, name,
                    problem.where.empty() ? start : without_column(problem.where), {problem.message});
    for (const auto& warning : admission.warnings) {
      std::vector<std::string> args;
      if (unreachable_rule(warning, args))
        report.add_at(message_type(args.size() == 3 ? "VirtualServiceIneffectiveMatch" : "VirtualServiceUnreachableRule"),
                      kind, ns, name, start, args);
      else
        report.add_at(message_type("SchemaWarning"), kind, ns, name, start, {warning});
    }
  }
  // What the typed model could not read, unless admission refused the object already.
  for (const auto& problem : context.snapshot_problems()) {
    if (refused.contains(problem.object)) continue;
    auto space = problem.object.find(' ');
    if (space == std::string::npos) continue;
    std::string kind = problem.object.substr(0, space);
    auto [ns, name] = [&]() -> std::pair<std::string, std::string> {
      std::string rest = problem.object.substr(space + 1);
      auto slash = rest.find('/');
      if (slash == std::string::npos) return {"", rest};
      return {rest.substr(0, slash), rest.substr(slash + 1)};
    }();
    report.add_at(message_type("SchemaValidationError"), kind, ns, name, without_column(problem.where),
                  {problem.message});
  }
}

}  // namespace gwsim::analysis

#include "conformance/runner.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <ostream>
#include <sstream>

#include "conformance/expectations.h"
#include "conformance/object_expectations.h"
#include "conformance/world.h"
#include "runtime/config_warnings.h"

namespace gwsim::conformance {

namespace {

constexpr const char* kIndent = "    ";

double elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

void add_block(std::vector<std::string>& details, const std::string& title, const std::string& text) {
  details.push_back(title);
  std::istringstream in(text);
  std::string line;
  // Lines already indented (DecisionTrace::to_text) keep one level, not two.
  while (std::getline(in, line)) details.push_back(kIndent + (line.rfind("  ", 0) == 0 ? line.substr(2) : line));
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// A minted token as the scenario wrote it, not its bytes (stable from run to run).
std::string without_minted_token(const RequestSpec& r, std::string text) {
  if (r.minted_token.empty()) return text;
  for (std::size_t at = text.find(r.minted_token); at != std::string::npos;
       at = text.find(r.minted_token, at + r.minted_description.size()))
    text.replace(at, r.minted_token.size(), r.minted_description);
  return text;
}

std::string describe_request(const RequestSpec& r) {
  std::ostringstream out;
  out << r.method << " " << r.scheme << "://" << (r.host.empty() ? "(no host)" : r.host) << without_minted_token(r, r.path) << " to "
      << r.gateway << " port " << r.port;
  if (!r.sni.empty() && r.scheme == "https") out << " sni " << r.sni;
  if (r.protocol != "HTTP/1.1") out << " over " << r.protocol;
  if (r.grpc) out << " (gRPC " << r.grpc->first << "/" << r.grpc->second << ")";
  if (!r.upgrade.empty()) out << " upgrade " << r.upgrade;
  for (const auto& [k, v] : r.headers) out << " -H '" << k << ": " << without_minted_token(r, v) << "'";
  if (r.count > 1) out << ", " << r.count << " times";
  return out.str();
}

StepResult run_request(World& world, const RequestSpec& request, const std::optional<Expectation>& expect) {
  StepResult step;
  step.request = describe_request(request);
  // Route coverage: the table the requests go through (the world caches it until the store
  // changes, so sending compiles nothing more).
  auto table = world.table(request.gateway);
  if (table.ok()) step.routes = route_targets(*table.value());
  std::vector<Observation> observations;
  observations.reserve(static_cast<std::size_t>(request.count));
  int failing = 0;
  int first_failing = -1;
  std::vector<Mismatch> first_mismatches;
  for (int i = 0; i < request.count; ++i) {
    auto sent = world.send(request);
    if (!sent.ok()) {
      step.details.push_back("request: " + describe_request(request));
      step.details.push_back("cannot send: " + sent.error().to_string());
      return step;
    }
    Observation& o = observations.emplace_back(std::move(sent.value()));
    for (auto& name : unsimulated_names(o.unsimulated))
      if (std::find(step.unsimulated.begin(), step.unsimulated.end(), name) == step.unsimulated.end())
        step.unsimulated.push_back(std::move(name));
    ++step.responses;
    if (table.ok())
      if (std::string id = target_hit(*table.value(), o.trace); !id.empty()) ++step.route_hits[id];
    if (step.traces.empty()) step.traces.push_back(o.trace);
    if (!o.not_runnable.empty()) {
      step.not_runnable = o.not_runnable;
      step.details.push_back("request: " + describe_request(request));
      step.details.push_back("not runnable in " + std::string(world.mode() == Mode::kDatapath ? "datapath" : "decision") +
                             " mode: " + o.not_runnable);
      return step;
    }
    if (!o.unsupported.empty()) {
      step.unsupported = o.unsupported;
      step.details.push_back("request: " + describe_request(request));
      step.details.push_back("not yet supported: " + o.unsupported);
      add_block(step.details, "decision trace:", o.trace.to_text());
      return step;
    }
    if (!expect) continue;
    auto mismatches = check_response(*expect, o);
    if (mismatches.empty()) continue;
    if (failing++ == 0) {
      first_failing = i;
      first_mismatches = std::move(mismatches);
      if (i > 0) step.traces.push_back(o.trace);
    }
  }

  std::optional<DistributionReport> distribution;
  if (expect && expect->distribution) distribution = check_distribution(*expect->distribution, observations);
  bool distribution_ok = !distribution || distribution->mismatches.empty();
  step.failed_responses = failing;
  step.mismatches = first_mismatches;
  if (distribution) {
    const DistributionExpectation& d = *expect->distribution;
    step.distribution = DistributionResult{d.by, d.expected, d.tolerance, d.distinct, distribution->counts, distribution->total};
    step.mismatches.insert(step.mismatches.end(), distribution->mismatches.begin(), distribution->mismatches.end());
  }
  step.passed = failing == 0 && distribution_ok;
  if (step.passed) return step;

  step.details.push_back("request: " + describe_request(request));
  if (failing > 0) {
    if (request.count > 1)
      step.details.push_back("response " + std::to_string(first_failing + 1) + " of " + std::to_string(request.count) +
                             " failed (" + std::to_string(failing) + " failed in all):");
    for (const auto& m : first_mismatches) step.details.push_back(kIndent + m.to_string());
  }
  if (!distribution_ok) {
    add_block(step.details,
              "distribution by " + expect->distribution->by + " over " + std::to_string(distribution->total) +
                  " responses:",
              distribution->table);
    for (const auto& m : distribution->mismatches) step.details.push_back(kIndent + m.to_string());
  }
  const Observation& shown = observations[first_failing >= 0 ? first_failing : 0];
  add_block(step.details,
            "decision trace" + (request.count > 1 ? " (response " + std::to_string((first_failing >= 0 ? first_failing : 0) + 1) + ")" : std::string()) + ":",
            shown.trace.to_text());
  // Why it went there, as `gwsim route --explain` says it (the same table: nothing changed since).
  if (auto explained = world.explain(request, shown); explained.ok()) {
    step.explanation = explained.value().to_text();
    step.explanation_summary = explained.value().summary;
    add_block(step.details, "explanation:", step.explanation);
  }
  return step;
}

StepResult run_apply(World& world, const ApplySpec& apply, const std::optional<Expectation>& expect) {
  StepResult step;
  ApplyResult result = world.apply(apply.objects);
  if (expect && expect->rejected) {
    for (const auto& message : result.rejected)
      if (message.find(*expect->rejected) != std::string::npos) step.passed = true;
    if (!step.passed) {
      step.details.push_back("rejected: expected the apply to be refused with a message containing " +
                             detail::quote(*expect->rejected));
      if (result.rejected.empty())
        step.details.push_back(kIndent + std::string("got: accepted (") + std::to_string(result.stored) +
                               " object(s) stored)");
      for (const auto& message : result.rejected) step.details.push_back(kIndent + ("got: " + message));
    }
    return step;
  }
  step.passed = result.ok();
  for (const auto& message : result.rejected) step.details.push_back("refused: " + message);
  return step;
}

StepResult run_object(World& world, const ObjectSpec& spec, const std::optional<Expectation>& expect) {
  StepResult step;
  ObjectExpectation want = expect && expect->object ? *expect->object : ObjectExpectation{};
  std::optional<model::Json> object = world.read_object(spec);
  std::vector<Mismatch> mismatches = check_object(want, object, spec.namespace_);
  step.passed = mismatches.empty();
  if (step.passed) return step;
  step.details.push_back("object: " + spec.kind + " " + spec.namespace_ + "/" + spec.name + " (" + spec.api_version + ")");
  for (const auto& m : mismatches) step.details.push_back(kIndent + m.to_string());
  if (object && object->contains("status"))
    add_block(step.details, "status:", (*object)["status"].dump(2));
  step.mismatches = std::move(mismatches);
  return step;
}

StepResult run_step(World& world, const Step& s) {
  StepResult step;
  if (auto* request = std::get_if<RequestSpec>(&s.action)) {
    step = run_request(world, *request, s.expect);
  } else if (auto* apply = std::get_if<ApplySpec>(&s.action)) {
    step = run_apply(world, *apply, s.expect);
  } else if (auto* targets = std::get_if<std::vector<DeleteTarget>>(&s.action)) {
    step.passed = true;
    for (const auto& target : *targets) {
      if (auto removed = world.remove(target); !removed.ok()) {
        step.passed = false;
        step.details.push_back(removed.error().to_string());
      }
    }
  } else if (auto* scale = std::get_if<ScaleSpec>(&s.action)) {
    auto scaled = world.scale(*scale);
    step.passed = scaled.ok();
    if (!scaled.ok()) step.details.push_back(scaled.error().to_string());
  } else if (auto* pods = std::get_if<PodsSpec>(&s.action)) {
    auto changed = world.change_pods(*pods);
    step.passed = changed.ok();
    if (!changed.ok()) step.details.push_back(changed.error().to_string());
  } else if (auto* object = std::get_if<ObjectSpec>(&s.action)) {
    step = run_object(world, *object, s.expect);
  }
  step.name = s.name;
  step.action = s.action_name();
  step.where = s.where;
  step.expect = s.expect;
  if (!step.passed) step.details.insert(step.details.begin(), "at " + s.where);
  return step;
}

}  // namespace

ScenarioResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  ScenarioResult result;
  result.file = scenario.file;
  result.name = scenario.name;
  result.known_deviation = scenario.known_deviation;
  result.description = scenario.description;
  result.features = scenario.features;
  result.references = scenario.references;
  auto named = [&](const std::string& n) { return n == scenario.name || std::count(scenario.features.begin(), scenario.features.end(), n); };
  if (std::any_of(options.skip.begin(), options.skip.end(), named)) {
    result.status = ScenarioStatus::kSkipped;
    return result;
  }
  auto started = std::chrono::steady_clock::now();

  World world(options.seed, options.mode, options.time_scale);
  ApplyResult setup = world.apply(scenario.setup.objects);
  world.install_default_gateway_if_missing();
  result.warnings = setup.warnings;
  if (!setup.ok()) {
    // The scenario's own world is refused: that is bad input, not a routing failure.
    for (const auto& message : setup.rejected) result.errors.push_back(make_error("refused: " + message));
    result.status = ScenarioStatus::kBadInput;
    return result;
  }
  // What `gwsim analyze` finds in the scenario's manifests, beside its outcome (issue #13 item 1).
  for (const auto& m : runtime::config_warnings(world.cluster())) result.warnings.push_back(m.to_string());

  bool all_passed = true;
  for (const auto& s : scenario.steps) {
    auto step_started = std::chrono::steady_clock::now();
    StepResult step = run_step(world, s);
    std::sort(step.unsimulated.begin(), step.unsimulated.end());
    if (options.strict && !step.unsimulated.empty() && step.not_runnable.empty() &&
        !(s.expect && s.expect->unsimulated)) {
      if (step.passed) step.details.insert(step.details.begin(), "at " + s.where);
      step.passed = false;
      step.details.push_back("--strict: " + join_names(step.unsimulated) +
                             " may change this outcome; gwsim does not simulate them");
    }
    for (const auto& name : step.unsimulated)
      if (std::find(result.unsimulated.begin(), result.unsimulated.end(), name) == result.unsimulated.end())
        result.unsimulated.push_back(name);
    step.duration_ms = elapsed_ms(step_started);
    merge_targets(result.routes, std::move(step.routes));
    step.routes.clear();
    all_passed = all_passed && step.passed;
    result.steps.push_back(std::move(step));
  }
  std::sort(result.unsimulated.begin(), result.unsimulated.end());
  result.duration_ms = elapsed_ms(started);
  bool known = !scenario.known_deviation.empty();
  // A step this mode cannot carry is not a failure and not a pass: when every other step passed,
  // the scenario is reported skipped, with the reason.
  auto not_runnable = std::find_if(result.steps.begin(), result.steps.end(),
                                   [](const StepResult& s) { return !s.not_runnable.empty(); });
  if (not_runnable != result.steps.end() &&
      std::all_of(result.steps.begin(), result.steps.end(),
                  [](const StepResult& s) { return s.passed || !s.not_runnable.empty(); })) {
    result.status = ScenarioStatus::kSkipped;
    result.not_runnable = not_runnable->name + ": " + not_runnable->not_runnable;
    return result;
  }
  if (all_passed)
    result.status = known ? ScenarioStatus::kUnexpectedPass : ScenarioStatus::kPassed;
  else
    result.status = known ? ScenarioStatus::kKnownDeviation : ScenarioStatus::kFailed;
  return result;
}

ScenarioResult run_scenario_file(const std::string& path, const RunOptions& options) {
  auto started = std::chrono::steady_clock::now();
  ScenarioLoad load = load_scenario(path);
  if (!load.ok()) {
    ScenarioResult result;
    result.file = path;
    result.name = load.name.empty() ? path : load.name;
    result.status = ScenarioStatus::kBadInput;
    result.errors = std::move(load.errors);
    result.warnings = std::move(load.warnings);
    result.duration_ms = elapsed_ms(started);
    return result;
  }
  ScenarioResult result = run_scenario(*load.scenario, options);
  result.warnings.insert(result.warnings.begin(), load.warnings.begin(), load.warnings.end());
  if (result.status != ScenarioStatus::kSkipped) result.duration_ms = elapsed_ms(started);  // with loading
  return result;
}

void print_result(const ScenarioResult& result, const RunOptions& options, std::ostream& out) {
  if (result.status == ScenarioStatus::kBadInput) {
    out << "ERROR " << result.file << ": bad input"
        << (result.name != result.file ? " (scenario " + result.name + ")" : std::string()) << "\n";
    for (const auto& e : result.errors) out << kIndent << e.to_string() << "\n";
    for (const auto& w : result.warnings) out << kIndent << w << "\n";
    return;
  }
  if (result.status == ScenarioStatus::kSkipped) {
    if (!result.not_runnable.empty()) {
      // Printed even when quiet: a scenario this mode cannot run is never silently passed.
      out << "SKIP " << result.name << " (" << result.file << "): not runnable in "
          << (options.mode == Mode::kDatapath ? "datapath" : "decision") << " mode: " << result.not_runnable << "\n";
      return;
    }
    if (!options.quiet) out << "SKIP " << result.name << " (" << result.file << ")\n";
    return;
  }
  if (!options.quiet)
    for (const auto& w : result.warnings) out << "WARN " << result.name << ": " << w << "\n";
  bool known = result.status == ScenarioStatus::kKnownDeviation;
  for (const auto& step : result.steps) {
    const bool acknowledged = step.expect && step.expect->unsimulated;
    if (step.passed) {
      if (!options.quiet) out << "PASS " << result.name << "/" << step.name << "\n";
      // Never silent: a pass an unsimulated object may change is marked, even when quiet
      // (unless the scenario names those objects itself).
      if (!step.unsimulated.empty() && !options.quiet)
        out << kIndent << "unsimulated: " << join_names(step.unsimulated) << " may change this outcome\n";
      else if (!step.unsimulated.empty() && !acknowledged)
        out << "UNSIMULATED " << result.name << "/" << step.name << ": " << join_names(step.unsimulated)
            << " may change this outcome\n";
      continue;
    }
    out << (known ? "XFAIL " : "FAIL ") << result.name << "/" << step.name << "\n";
    for (const auto& line : step.details) out << kIndent << line << "\n";
    if (!step.unsimulated.empty() && !options.strict)
      out << kIndent << "unsimulated: " << join_names(step.unsimulated) << " may change this outcome\n";
  }
  if (known)
    out << "KNOWN DEVIATION " << result.name << ": " << result.known_deviation << "\n";
  if (result.status == ScenarioStatus::kUnexpectedPass)
    out << "UNEXPECTED PASS: remove knownDeviation from " << result.name << " (" << result.file
        << "); it was: " << result.known_deviation << "\n";
}

RunSummary run_paths(const std::vector<std::string>& paths, const RunOptions& options, std::ostream& out) {
  RunSummary summary;
  std::vector<std::string> known_names;
  ScenarioFiles files = find_scenario_files(paths);
  for (const auto& w : files.warnings) out << "WARNING " << w.to_string() << "\n";
  for (const auto& e : files.errors) {
    out << "ERROR " << e.to_string() << "\n";
    ++summary.bad_input;
    ++summary.failed;
  }
  if (files.files.empty() && files.errors.empty()) {
    std::string list;
    for (const auto& p : paths) list += (list.empty() ? "" : ", ") + p;
    out << "ERROR no scenario file (kind: Scenario) found under " << list << "\n";
    ++summary.bad_input;
  }

  std::map<std::string, std::string> seen;  // scenario name -> file
  for (const auto& file : files.files) {
    if (options.on_start)
      options.on_start(file, static_cast<int>(&file - files.files.data()), static_cast<int>(files.files.size()));
    ScenarioResult result = run_scenario_file(file, options);
    if (result.status != ScenarioStatus::kBadInput &&
        (result.status != ScenarioStatus::kSkipped || !result.not_runnable.empty())) {
      auto [it, inserted] = seen.emplace(result.name, file);
      if (!inserted) {
        result.status = ScenarioStatus::kBadInput;
        result.steps.clear();
        result.errors.push_back(make_error("duplicate scenario name " + result.name + " (also in " + it->second +
                                               "); metadata.name must be unique within a run",
                                           file));
      }
    }
    if (options.on_result) options.on_result(result);
    print_result(result, options, out);
    if (!result.unsimulated.empty() && result.status != ScenarioStatus::kBadInput) ++summary.unsimulated;
    switch (result.status) {
      case ScenarioStatus::kPassed: ++summary.passed; break;
      case ScenarioStatus::kUnexpectedPass:
        ++summary.passed;
        ++summary.unexpected_passes;
        break;
      case ScenarioStatus::kKnownDeviation:
        ++summary.known_deviations;
        known_names.push_back(result.name);
        break;
      case ScenarioStatus::kFailed: ++summary.failed; break;
      case ScenarioStatus::kBadInput:
        ++summary.bad_input;
        ++summary.failed;
        break;
      case ScenarioStatus::kSkipped:
        if (result.not_runnable.empty())
          ++summary.skipped;
        else
          ++summary.not_runnable;
        break;
    }
    out.flush();
  }

  if (options.before_summary) options.before_summary(summary, out);
  if (summary.known_deviations > 0) {
    out << summary.known_deviations << " known deviation" << (summary.known_deviations == 1 ? "" : "s") << ":";
    for (const auto& n : known_names) out << " " << n;
    out << "\n";
  }
  if (summary.unexpected_passes > 0)
    out << summary.unexpected_passes << " unexpected pass" << (summary.unexpected_passes == 1 ? "" : "es")
        << ": remove their knownDeviation\n";
  if (summary.skipped > 0) out << summary.skipped << " skipped (--skip)\n";
  if (summary.not_runnable > 0)
    out << summary.not_runnable << " not runnable in " << (options.mode == Mode::kDatapath ? "datapath" : "decision")
        << " mode (skipped; see their SKIP lines)\n";
  if (summary.unsimulated > 0)
    out << summary.unsimulated << " scenario" << (summary.unsimulated == 1 ? "" : "s")
        << " with outcomes that objects gwsim does not simulate may change (see their unsimulated lines)\n";
  if (summary.bad_input > 0)
    out << summary.bad_input << " bad input" << (summary.bad_input == 1 ? "" : "s")
        << " (could not be loaded or set up; counted as failed)\n";
  out << summary.passed << " passed, " << summary.failed << " failed\n";
  return summary;
}

}  // namespace gwsim::conformance

// fake_apiserver: the fake Kubernetes API server on its own, for the kubectl tests
// (tests/kubectl/*.sh). Starts an ApiStore, the controllers and the API server on 127.0.0.1
// (a free port unless --port), optionally loads manifests first, prints the server's URL as the
// first line of stdout, and runs until stdin closes or SIGTERM/SIGINT arrives.
//
//   fake_apiserver [--port N] [--kubeconfig PATH] [--log] [--no-stdin] [MANIFEST...]
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "engine/model/manifest.h"
#include "engine/validation/admission.h"
#include "fakes/apiserver/api_server.h"
#include "fakes/apiserver/status.h"
#include "fakes/controllers/controllers.h"

namespace {

int usage() {
  std::cerr << "usage: fake_apiserver [--port N] [--kubeconfig PATH] [--log] [--no-stdin] [MANIFEST...]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gwsim;
  int port = 0;
  std::string kubeconfig;
  bool log = false;
  bool watch_stdin = true;
  std::vector<std::string> manifests;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--port" && i + 1 < argc) {
      port = std::atoi(argv[++i]);
    } else if (arg == "--kubeconfig" && i + 1 < argc) {
      kubeconfig = argv[++i];
    } else if (arg == "--log") {
      log = true;
    } else if (arg == "--no-stdin") {
      watch_stdin = false;
    } else if (arg == "-h" || arg == "--help") {
      usage();
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      return usage();
    } else {
      manifests.push_back(arg);
    }
  }

  // Signals go to sigwait() below, not to whichever thread happens to run.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  fakes::ApiStore store;
  fakes::ControllerSet controllers(store);
  if (!manifests.empty()) {
    model::ManifestLoad load = model::load_manifests(manifests);
    for (const auto& d : load.diagnostics) std::cerr << d.to_string() << "\n";
    if (load.has_errors()) return 2;
    for (const auto& object : load.objects) {
      auto admission = validation::admit(object);
      if (!admission.ok()) {
        std::cerr << model::describe(object) << ": " << fakes::admission_message(object, admission) << "\n";
        return 2;
      }
      if (auto r = store.apply(object); !r.ok()) {
        std::cerr << r.error().to_string() << "\n";
        return 2;
      }
    }
  }
  controllers.reconcile();  // what the controllers make exists from the start (Istio's GatewayClasses)

  fakes::ApiServerOptions options;
  options.port = port;
  if (log) {
    options.on_request = [](const fakes::ApiRequest& request, const fakes::ApiResponse& response) {
      std::string query;
      for (const auto& [k, v] : request.query) query += (query.empty() ? "?" : "&") + k + "=" + v;
      const std::string body_type =
          request.body.empty() || request.content_type == "application/json" ? "" : " [" + request.content_type + "]";
      std::fprintf(stderr, "%s %s%s%s -> %d%s\n", request.method.c_str(), request.path.c_str(), query.c_str(),
                   body_type.c_str(), response.status, response.watch ? " (watch)" : "");
    };
  }
  fakes::ApiServer server(store, controllers, options);
  auto started = server.start();
  if (!started.ok()) {
    std::cerr << "fake_apiserver: " << started.error().to_string() << "\n";
    return 1;
  }
  if (!kubeconfig.empty()) {
    auto written = fakes::write_kubeconfig(kubeconfig, server.url());
    if (!written.ok()) {
      std::cerr << "fake_apiserver: " << written.error().to_string() << "\n";
      return 1;
    }
  }
  std::cout << server.url() << std::endl;

  if (watch_stdin) {
    // Whoever started us holds our stdin open; when it goes away, so do we.
    std::thread([] {
      char buf[256];
      while (::read(0, buf, sizeof buf) > 0) {
      }
      ::kill(::getpid(), SIGUSR1);
    }).detach();
  }
  int received = 0;
  sigwait(&signals, &received);
  server.stop();
  return 0;
}

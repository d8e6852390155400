// A kubeconfig that points kubectl at the fake API server (clientcmd's file format).
#include <fstream>

#include "fakes/apiserver/api_server.h"

namespace gwsim::fakes {

namespace {

// JSON strings are YAML strings; invalid UTF-8 is replaced rather than thrown on.
std::string yaml_quoted(const std::string& s) { return Json(s).dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace

Result<std::string> write_kubeconfig(const std::string& path, const std::string& server_url,
                                     const std::string& namespace_) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) return make_error("cannot write kubeconfig " + path);
  out << "# Written by gwsim: the fake API server at " << server_url << ".\n"
      << "# Use it with: KUBECONFIG=" << path << " kubectl get pods\n"
      << "apiVersion: v1\n"
      << "kind: Config\n"
      << "clusters:\n"
      << "- name: gwsim\n"
      << "  cluster:\n"
      << "    server: " << yaml_quoted(server_url) << "\n"
      << "contexts:\n"
      << "- name: gwsim\n"
      << "  context:\n"
      << "    cluster: gwsim\n"
      << "    namespace: " << yaml_quoted(namespace_) << "\n"
      << "current-context: gwsim\n"
      << "preferences: {}\n"
      << "users: []\n";
  out.close();
  if (!out) return make_error("cannot write kubeconfig " + path);
  return path;
}

}  // namespace gwsim::fakes

// The API requests of the malformed-input corpus (tests/malformed/api/, issue #15 item 7): each
// NAME.http is one request (a request line "METHOD /path?query", header lines, a blank line, the
// body) sent through ApiServer::handle() to a fresh server holding the objects listed below;
// NAME.expected holds "status N" and the exact first line of the answer's Status message.
// Set GWSIM_MALFORMED_PRINT=1 to print what each request got (to write a new .expected).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "fakes/apiserver/api_server.h"

namespace gwsim::fakes {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string percent_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

// The request line, then "Name: value" lines up to a blank line, then the body verbatim.
ApiRequest parse_request_file(const std::string& text) {
  ApiRequest r;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  const auto space = line.find(' ');
  r.method = line.substr(0, space);
  const std::string target = line.substr(space + 1);
  const auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::istringstream query(target.substr(q + 1));
    std::string pair;
    while (std::getline(query, pair, '&')) {
      const auto eq = pair.find('=');
      r.query.emplace(percent_decode(pair.substr(0, eq)),
                      eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1)));
    }
  }
  r.accept = "application/json";
  while (std::getline(in, line) && !line.empty()) {
    const auto colon = line.find(':');
    if (line.substr(0, colon) == "Content-Type") r.content_type = line.substr(colon + 2);
  }
  const auto body_start = text.find("\n\n");
  if (body_start != std::string::npos) r.body = text.substr(body_start + 2);
  return r;
}

// What every request finds in the store: a VirtualService default/shop, a Deployment default/web
// (1 replica) and a Service default/web.
void seed(ApiServer& server) {
  const Json objects[] = {
      {{"apiVersion", "networking.istio.io/v1"},
       {"kind", "VirtualService"},
       {"metadata", {{"name", "shop"}}},
       {"spec", {{"hosts", {"shop.example.com"}}, {"http", {{{"route", {{{"destination", {{"host", "web"}}}}}}}}}}}},
      {{"apiVersion", "apps/v1"},
       {"kind", "Deployment"},
       {"metadata", {{"name", "web"}}},
       {"spec",
        {{"replicas", 1},
         {"selector", {{"matchLabels", {{"app", "web"}}}}},
         {"template",
          {{"metadata", {{"labels", {{"app", "web"}}}}},
           {"spec", {{"containers", {{{"name", "web"}, {"image", "web:1"}}}}}}}}}}},
      {{"apiVersion", "v1"},
       {"kind", "Service"},
       {"metadata", {{"name", "web"}}},
       {"spec", {{"selector", {{"app", "web"}}}, {"ports", {{{"name", "http"}, {"port", 80}}}}}}}};
  const std::string paths[] = {"/apis/networking.istio.io/v1/namespaces/default/virtualservices",
                               "/apis/apps/v1/namespaces/default/deployments", "/api/v1/namespaces/default/services"};
  for (int i = 0; i < 3; ++i) {
    ApiRequest r;
    r.method = "POST";
    r.path = paths[i];
    r.accept = r.content_type = "application/json";
    r.body = objects[i].dump();
    ASSERT_EQ(server.handle(r).status, 201) << r.body;
  }
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

TEST(MalformedRequests, EachGetsItsExpectedStatusAndMessage) {
  const fs::path folder = fs::path(GWSIM_SOURCE_DIR) / "tests/malformed/api";
  const bool print = std::getenv("GWSIM_MALFORMED_PRINT") != nullptr;
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.path().extension() == ".http") cases.push_back(entry.path());
  std::sort(cases.begin(), cases.end());
  ASSERT_GE(cases.size(), 30u) << "the corpus is in " << folder;
  for (const auto& path : cases) {
    SCOPED_TRACE(path.filename().string());
    ApiStore store;
    ApiServerOptions options;
    options.heartbeat = std::chrono::milliseconds(20);
    options.follow_wall_clock = false;  // messages that quote an object quote the same timestamps
    ApiServer server(store, [] {}, options);
    seed(server);
    const ApiResponse got = server.handle(parse_request_file(read_file(path)));
    const Json body = got.json();
    const std::string message =
        body.is_object() && body.contains("message") && body["message"].is_string()
            ? first_line(body["message"].get<std::string>())
            : "(no Status message) " + first_line(got.body);
    const std::string actual = "status " + std::to_string(got.status) + "\n" + message + "\n";
    if (print) std::cout << "== " << path.stem().string() << "\n" << actual;
    fs::path expected_path = path;
    expected_path.replace_extension(".expected");
    if (!fs::exists(expected_path)) {
      ADD_FAILURE() << "missing " << expected_path << "; got:\n" << actual;
      continue;
    }
    EXPECT_EQ(actual, read_file(expected_path));
    // A malformed request is refused: nothing about it succeeds.
    EXPECT_GE(got.status, 400) << actual;
  }
}

}  // namespace
}  // namespace gwsim::fakes

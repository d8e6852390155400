// Run a shell command and collect its exit code and output (stdout and stderr), for tests that
// drive the gwsim binary itself.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace gwsim::testing {

struct Outcome {
  int code = -1;
  std::string output;  // stdout and stderr
};

inline Outcome shell(const std::string& command) {
  Outcome run;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return run;
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.output.append(buffer.data(), n);
  int status = pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

#ifdef GWSIM_BINARY
// The gwsim binary under test with `args` (quoted by the caller as a shell would need).
inline Outcome gwsim(const std::string& args) {
  return shell(std::string("'") + GWSIM_BINARY + "' " + args);
}
#endif

}  // namespace gwsim::testing

// Run a shell command and collect its exit code and output (stdout and stderr), for tests that
// drive the gwsim binary itself.
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <string>
#include <vector>

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

// Starts the gwsim binary with `args` (the arguments after the program name) in a child process,
// its stdout and stderr to the file `out`, and returns at once: the child's pid, or -1 when fork
// fails. For commands that run until stopped (`gwsim serve`); the caller signals and reaps it.
inline pid_t start_gwsim(const std::vector<std::string>& args, const std::string& out) {
  // argv is built before fork: the child only opens, duplicates and execs.
  std::vector<char*> argv{const_cast<char*>(GWSIM_BINARY)};
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    execv(GWSIM_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}
#endif

}  // namespace gwsim::testing

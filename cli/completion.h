// `gwsim completion bash|zsh`: a shell completion script made from the command line's own
// definition (every subcommand and its options), so it never lags behind the binary.
//   source <(gwsim completion bash)      # bash
//   source <(gwsim completion zsh)       # zsh (through bashcompinit)
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace gwsim::cli {

// The script for "bash" or "zsh"; "" for another shell.
std::string completion_script(const CLI::App& app, std::string_view shell);

// The names of `app`'s subcommands, in the order they were added.
std::vector<std::string> subcommand_names(const CLI::App& app);

}  // namespace gwsim::cli

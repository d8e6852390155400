#include "cli/completion.h"

#include <algorithm>
#include <sstream>

#include <CLI/CLI.hpp>

namespace gwsim::cli {

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  return names;
}

namespace {

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& l : o->get_lnames()) names.push_back("--" + l);
    for (const auto& s : o->get_snames()) names.push_back("-" + s);
  }
  return names;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The values an option takes when CLI11 knows them (IsMember / CheckedTransformer checks print
// them in their description as {a,b}).
std::vector<std::string> option_values(const CLI::Option& o) {
  std::string description = o.get_type_name();
  auto open = description.find('{');
  auto close = description.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  std::vector<std::string> values;
  std::stringstream in(description.substr(open + 1, close - open - 1));
  std::string v;
  while (std::getline(in, v, ',')) {
    v.erase(0, v.find_first_not_of(' '));
    if (auto arrow = v.find("->"); arrow != std::string::npos) v.resize(arrow);
    if (!v.empty()) values.push_back(v);
  }
  return values;
}

std::string bash_script(const CLI::App& app) {
  std::ostringstream s;
  s << "# bash completion for gwsim: source <(gwsim completion bash)\n"
    << "_gwsim() {\n"
    << "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
    << "  if [[ $COMP_CWORD -eq 1 ]]; then\n"
    << "    COMPREPLY=($(compgen -W \"" << join(subcommand_names(app)) << " " << join(option_names(app))
    << "\" -- \"$cur\"))\n"
    << "    return\n"
    << "  fi\n"
    << "  local opts=\"\"\n"
    << "  case \"${COMP_WORDS[1]}\" in\n";
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    s << "    " << sub->get_name() << ")\n";
    s << "      opts=\"" << join(option_names(*sub)) << "\"\n";
    bool any_values = false;
    for (const CLI::Option* o : sub->get_options()) {
      auto values = option_values(*o);
      if (values.empty() || o->get_lnames().empty()) continue;
      if (!any_values) s << "      case \"$prev\" in\n";
      any_values = true;
      s << "        --" << o->get_lnames().front();
      for (const auto& sn : o->get_snames()) s << "|-" << sn;
      s << ") COMPREPLY=($(compgen -W \"" << join(values) << "\" -- \"$cur\")); return ;;\n";
    }
    if (any_values) s << "      esac\n";
    s << "      ;;\n";
  }
  s << "  esac\n"
    << "  if [[ \"$cur\" == -* ]]; then\n"
    << "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
    << "  else\n"
    << "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
    << "  fi\n"
    << "}\n"
    << "complete -o filenames -F _gwsim gwsim\n";
  return s.str();
}

}  // namespace

std::string completion_script(const CLI::App& app, std::string_view shell) {
  if (shell == "bash") return bash_script(app);
  if (shell == "zsh")
    return "#compdef gwsim\n# zsh completion for gwsim: source <(gwsim completion zsh)\n"
           "autoload -U +X bashcompinit && bashcompinit\n" +
           bash_script(app);
  return "";
}

}  // namespace gwsim::cli

// Reading input files without trusting them: only regular files, never more than
// kMaxFileBytes (engine/model/safe_yaml.h), and directory walks that skip what they cannot read
// (symlink loops, FIFOs, devices) with a warning instead of throwing or blocking. Used by the
// manifest loader and the scenario loader.
#pragma once

#include <string>
#include <vector>

#include "engine/model/result.h"

namespace gwsim::model {

// The whole content of `path` when it is a regular file (symlinks followed) of at most
// kMaxFileBytes. A FIFO, device, socket or directory is an error, never opened for a blocking
// read; a larger file is an error naming the limit.
Result<std::string> read_regular_file(const std::string& path);

struct DirectoryFiles {
  std::vector<std::string> files;  // regular files with a wanted extension, in walk order (unsorted)
  std::vector<Error> warnings;     // skipped entries with a wanted extension: loops, FIFOs, devices
  std::vector<Error> errors;       // the directory itself could not be read
};

// The files under `dir` whose extension (with its dot, e.g. ".yaml") is in `extensions`;
// `recursive` descends into subdirectories (not through symlinks to directories). Never throws.
DirectoryFiles list_directory_files(const std::string& dir, bool recursive, const std::vector<std::string>& extensions);

}  // namespace gwsim::model

#include "engine/model/bounded_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "engine/model/safe_yaml.h"

namespace gwsim::model {

namespace {

namespace fs = std::filesystem;

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string too_large(std::uintmax_t size) {
  const std::string limit = "the limit of " + std::to_string(kMaxFileBytes) + " bytes (8 MiB)";
  return size ? "file is " + std::to_string(size) + " bytes, over " + limit : "file is over " + limit;
}

// Closes the descriptor on every path out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

bool wanted(const fs::path& path, const std::vector<std::string>& extensions) {
  const std::string ext = path.extension().string();
  return std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
}

// Why a directory entry with a wanted name is not read; "" when it is a regular file, nullopt
// for entries skipped silently (directories, as before).
std::optional<std::string> skip_reason(const fs::directory_entry& entry) {
  std::error_code ec;
  fs::file_status status = fs::status(entry.path(), ec);  // follows symlinks
  if (ec) {
    if (ec == std::errc::too_many_symbolic_link_levels) return "skipped: symbolic link loop";
    std::error_code link_ec;
    if (fs::is_symlink(entry.symlink_status(link_ec))) return "skipped: dangling symbolic link";
    return "skipped: " + ec.message();
  }
  if (fs::is_regular_file(status)) return std::string();
  if (fs::is_directory(status)) return std::nullopt;
  return "skipped: not a regular file";
}

}  // namespace

Result<std::string> read_regular_file(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat below refuses it anyway.
  Fd file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd < 0) {
    if (errno == ENOENT) return make_error("no such file or directory", path);
    return make_error(std::string("cannot read file: ") + std::strerror(errno), path);
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) return make_error(std::string("cannot read file: ") + std::strerror(errno), path);
  if (!S_ISREG(st.st_mode)) return make_error("not a regular file (" + kind_of(st.st_mode) + ")", path);
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxFileBytes) return make_error(too_large(st.st_size), path);
  // Regular files never block, but the size may change under us: read at most the limit + 1.
  int flags = ::fcntl(file.fd, F_GETFL);
  if (flags >= 0) ::fcntl(file.fd, F_SETFL, flags & ~O_NONBLOCK);
  std::string text;
  text.resize(static_cast<std::size_t>(st.st_size));
  std::size_t used = 0;
  char chunk[65536];
  while (true) {
    ssize_t n = ::read(file.fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(std::string("cannot read file: ") + std::strerror(errno), path);
    }
    if (n == 0) break;
    if (used + static_cast<std::size_t>(n) > kMaxFileBytes) return make_error(too_large(0), path);
    if (text.size() < used + static_cast<std::size_t>(n)) text.resize(used + static_cast<std::size_t>(n));
    std::memcpy(text.data() + used, chunk, static_cast<std::size_t>(n));
    used += static_cast<std::size_t>(n);
  }
  text.resize(used);
  return text;
}

DirectoryFiles list_directory_files(const std::string& dir, bool recursive, const std::vector<std::string>& extensions) {
  DirectoryFiles out;
  std::error_code ec;
  auto visit = [&](const fs::directory_entry& entry) {
    if (!wanted(entry.path(), extensions)) return;
    auto reason = skip_reason(entry);
    if (!reason) return;
    if (reason->empty()) out.files.push_back(entry.path().string());
    else out.warnings.push_back(make_error(*reason, entry.path().string()));
  };
  if (recursive) {
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      visit(*it);
    }
  } else {
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
      visit(*it);
    }
  }
  std::sort(out.warnings.begin(), out.warnings.end(),
            [](const Error& a, const Error& b) { return a.where < b.where; });  // not readdir's order
  if (ec) out.errors.push_back(make_error("cannot read directory: " + ec.message(), dir));
  return out;
}

}  // namespace gwsim::model

// Tests of engine/model/bounded_read.h: only regular files are read, never more than the limit,
// and directory walks skip what they cannot read with a warning instead of throwing or blocking.
#include "engine/model/bounded_read.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "engine/model/safe_yaml.h"
#include "tests/support/temp_dir.h"

namespace gwsim::model {
namespace {

namespace fs = std::filesystem;
using gwsim::testing::TempDir;

TEST(ReadRegularFile, ReadsTheWholeFile) {
  TempDir dir;
  std::string text = "a: 1\n" + std::string(200000, 'x') + "\n";
  auto read = read_regular_file(dir.write("a.yaml", text));
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(*read, text);
  auto empty = read_regular_file(dir.write("empty.yaml", ""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST(ReadRegularFile, MissingFileAndDirectoryAreErrors) {
  TempDir dir;
  auto missing = read_regular_file(dir.path() + "/nope.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "no such file or directory");
  EXPECT_EQ(missing.error().where, dir.path() + "/nope.yaml");
  auto directory = read_regular_file(dir.path());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().message, "not a regular file (a directory)");
}

TEST(ReadRegularFile, FifoIsRefusedWithoutWaitingForAWriter) {
  TempDir dir;
  std::string fifo = dir.path() + "/fifo.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto start = std::chrono::steady_clock::now();
  auto read = read_regular_file(fifo);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message, "not a regular file (a FIFO)");
}

TEST(ReadRegularFile, EndlessDeviceIsRefused) {
  auto read = read_regular_file("/dev/zero");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message, "not a regular file (a character device)");
}

TEST(ReadRegularFile, FileOverTheLimitIsRefusedNamingTheLimit) {
  TempDir dir;
  std::string big = dir.write("big.yaml", "");
  fs::resize_file(big, kMaxFileBytes + 1);  // sparse: costs no disk
  auto read = read_regular_file(big);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message, "file is 8388609 bytes, over the limit of 8388608 bytes (8 MiB)");
  fs::resize_file(big, kMaxFileBytes);
  EXPECT_TRUE(read_regular_file(big).ok());
}

TEST(ReadRegularFile, SymlinkLoopIsAnError) {
  TempDir dir;
  std::string loop = dir.path() + "/loop.yaml";
  fs::create_symlink("loop.yaml", loop);
  auto read = read_regular_file(loop);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message, "cannot read file: Too many levels of symbolic links");
}

TEST(ListDirectoryFiles, SkipsLoopsFifosAndDanglingLinksWithWarnings) {
  TempDir dir;
  std::string a = dir.write("a.yaml", "a: 1\n");
  dir.write("notes.txt", "not wanted\n");
  std::string nested = dir.write("sub/b.yml", "b: 1\n");
  fs::create_symlink("loop.yaml", dir.path() + "/loop.yaml");
  fs::create_symlink("absent.yaml", dir.path() + "/dangling.yaml");
  fs::create_symlink(dir.path() + "/sub", dir.path() + "/link-to-sub.yaml");  // a directory: skipped silently
  ASSERT_EQ(::mkfifo((dir.path() + "/fifo.yaml").c_str(), 0600), 0);

  DirectoryFiles flat = list_directory_files(dir.path(), false, {".yaml", ".yml"});
  EXPECT_EQ(flat.files, std::vector<std::string>{a});
  EXPECT_TRUE(flat.errors.empty());
  ASSERT_EQ(flat.warnings.size(), 3u);
  EXPECT_EQ(flat.warnings[0].to_string(), dir.path() + "/dangling.yaml: skipped: dangling symbolic link");
  EXPECT_EQ(flat.warnings[1].to_string(), dir.path() + "/fifo.yaml: skipped: not a regular file");
  EXPECT_EQ(flat.warnings[2].to_string(), dir.path() + "/loop.yaml: skipped: symbolic link loop");

  DirectoryFiles deep = list_directory_files(dir.path(), true, {".yaml", ".yml"});
  std::sort(deep.files.begin(), deep.files.end());
  EXPECT_EQ(deep.files, (std::vector<std::string>{a, nested}));
  EXPECT_EQ(deep.warnings.size(), 3u);
}

TEST(ListDirectoryFiles, MissingDirectoryIsAnErrorNotAThrow) {
  DirectoryFiles listed = list_directory_files("/nonexistent/gwsim", true, {".yaml"});
  EXPECT_TRUE(listed.files.empty());
  ASSERT_EQ(listed.errors.size(), 1u);
  EXPECT_EQ(listed.errors[0].message.rfind("cannot read directory: ", 0), 0u);
}

}  // namespace
}  // namespace gwsim::model

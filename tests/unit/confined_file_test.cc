// confined_file_test.cc — opening a client-named file inside one directory:
// clean relative paths only, no symbolic link anywhere, regular files only,
// a size bound.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "server/common/confined_file.h"

namespace {

std::string MakeDir(const std::string& name) {
  const char* base = getenv("TEST_TMPDIR");
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/" + name + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  EXPECT_NE(mkdtemp(buf.data()), nullptr);
  return buf.data();
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

class ConfinedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeDir("import");
    outside_ = MakeDir("outside");
    Write(dir_ + "/list.txt", "a.fr\n");
    ASSERT_EQ(mkdir((dir_ + "/sub").c_str(), 0700), 0);
    Write(dir_ + "/sub/deep.txt", "b.fr\n");
    Write(outside_ + "/secret", "secret\n");
  }

  // The result of opening rel; the file's text to *text on success.
  nu_confined_result Open(const std::string& rel, std::string* text = nullptr,
                          int64_t max = 1 << 20) {
    int fd = -1;
    int64_t size = -1;
    nu_confined_result r = nu_confined_open(dir_.c_str(), rel.c_str(), max, &fd, &size);
    if (r == NU_CONFINED_OK) {
      EXPECT_GE(fd, 0);
      std::string got(static_cast<size_t>(size), '\0');
      EXPECT_EQ(read(fd, &got[0], got.size()), static_cast<ssize_t>(got.size()));
      EXPECT_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
      close(fd);
      if (text != nullptr) *text = got;
    }
    return r;
  }

  std::string dir_, outside_;
};

TEST_F(ConfinedFileTest, OpensRegularFilesInside) {
  std::string text;
  EXPECT_EQ(Open("list.txt", &text), NU_CONFINED_OK);
  EXPECT_EQ(text, "a.fr\n");
  EXPECT_EQ(Open("sub/deep.txt", &text), NU_CONFINED_OK);
  EXPECT_EQ(text, "b.fr\n");
}

TEST_F(ConfinedFileTest, PathsMustBeCleanAndRelative) {
  for (const char* bad : {"", "/etc/passwd", "../outside/secret", "sub/../list.txt", "..", ".",
                          "./list.txt", "sub//deep.txt", "sub/", "a/./b"}) {
    SCOPED_TRACE(bad);
    const char* why = nullptr;
    EXPECT_FALSE(nu_confined_path_valid(bad, &why));
    EXPECT_NE(why, nullptr);
    EXPECT_EQ(Open(bad), NU_CONFINED_BAD_PATH);
  }
  EXPECT_FALSE(nu_confined_path_valid(std::string(NU_CONFINED_PATH_MAX + 1, 'a').c_str(), nullptr));
  EXPECT_TRUE(nu_confined_path_valid("a..b/.hidden/x.txt", nullptr));
}

TEST_F(ConfinedFileTest, NoSymbolicLinkIsFollowed) {
  ASSERT_EQ(symlink((outside_ + "/secret").c_str(), (dir_ + "/out").c_str()), 0);
  ASSERT_EQ(symlink(outside_.c_str(), (dir_ + "/outdir").c_str()), 0);
  ASSERT_EQ(symlink("list.txt", (dir_ + "/in").c_str()), 0);  // even pointing inside
  ASSERT_EQ(symlink((outside_ + "/none").c_str(), (dir_ + "/dangling").c_str()), 0);
  EXPECT_EQ(Open("out"), NU_CONFINED_UNAVAILABLE);
  EXPECT_EQ(Open("outdir/secret"), NU_CONFINED_UNAVAILABLE);
  EXPECT_EQ(Open("in"), NU_CONFINED_UNAVAILABLE);
  EXPECT_EQ(Open("dangling"), NU_CONFINED_UNAVAILABLE);
}

TEST_F(ConfinedFileTest, OnlyRegularFilesWithinTheBound) {
  ASSERT_EQ(mkfifo((dir_ + "/fifo").c_str(), 0600), 0);
  EXPECT_EQ(Open("fifo"), NU_CONFINED_UNAVAILABLE);  // and does not wait for a writer
  EXPECT_EQ(Open("sub"), NU_CONFINED_UNAVAILABLE);
  EXPECT_EQ(Open("absent"), NU_CONFINED_UNAVAILABLE);
  EXPECT_EQ(Open("list.txt/x"), NU_CONFINED_UNAVAILABLE);
  EXPECT_EQ(Open("list.txt", nullptr, 4), NU_CONFINED_TOO_LARGE);
  EXPECT_EQ(Open("list.txt", nullptr, 5), NU_CONFINED_OK);
  int fd = -1;
  int64_t size = 0;
  EXPECT_EQ(nu_confined_open((dir_ + "/nope").c_str(), "list.txt", 100, &fd, &size),
            NU_CONFINED_NO_DIR);
}

}  // namespace

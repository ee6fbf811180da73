// pg_cluster.cc — runs scripts/pg.sh for the C++ tests.
//
// The script is run with posix_spawn (no shell, so directory names need no
// quoting); its one line of stdout is the conninfo, its stderr goes to the
// test log as is.
#include "tests/support/pg_cluster.h"
#include "tests/support/runfiles.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

extern char** environ;

namespace nuage::testing {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "PgCluster: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

std::string FindScript() { return FindRunfile("scripts/pg.sh", false, "//scripts:pg.sh"); }

// Runs `bash SCRIPT args...`; returns its exit status and stdout.
int RunScript(const std::string& script, const std::vector<std::string>& args, std::string* out) {
  std::vector<std::string> argv_s = {"bash", script};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);

  int fds[2];
  if (pipe(fds) != 0) Fail(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addclose(&fa, fds[1]);
  pid_t pid;
  int rc = posix_spawn(&pid, "/bin/bash", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    Fail("cannot run " + script + ": " + std::strerror(rc));
  }
  std::string captured;
  char buf[512];
  for (;;) {
    ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n > 0) {
      captured.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  while (!captured.empty() && (captured.back() == '\n' || captured.back() == '\r')) {
    captured.pop_back();
  }
  if (out != nullptr) *out = captured;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string StartCluster(const std::string& script, const std::string& dir) {
  std::string conninfo;
  int rc = RunScript(script, {"start", dir, "--throwaway"}, &conninfo);
  if (rc != 0 || conninfo.empty()) {
    Fail("`pg.sh start " + dir + " --throwaway` failed (exit " + std::to_string(rc) +
         "); see its output above and " + dir + "/postgres.log");
  }
  return conninfo;
}

}  // namespace

PgCluster::PgCluster(std::string script, std::string dir, std::string conninfo)
    : script_(std::move(script)), dir_(std::move(dir)), conninfo_(std::move(conninfo)) {}

std::unique_ptr<PgCluster> PgCluster::Start() {
  std::string script = FindScript();
  // Not TEST_TMPDIR: it lies under root's home, which postgres cannot enter.
  char tmpl[] = "/tmp/nuage-pg-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Fail(std::string("mkdtemp: ") + std::strerror(errno));
  std::string dir(tmpl);
  std::string conninfo = StartCluster(script, dir);
  return std::unique_ptr<PgCluster>(new PgCluster(script, dir, conninfo));
}

const std::string& PgCluster::conninfo() const { return conninfo_; }

const std::string& PgCluster::dir() const { return dir_; }

void PgCluster::Stop() {
  int rc = RunScript(script_, {"stop", dir_}, nullptr);
  if (rc != 0) Fail("`pg.sh stop " + dir_ + "` failed (exit " + std::to_string(rc) + ")");
}

void PgCluster::Restart() {
  std::string conninfo = StartCluster(script_, dir_);
  if (conninfo != conninfo_) Fail("restarted cluster has another conninfo: " + conninfo);
}

PgCluster::~PgCluster() {
  int rc = RunScript(script_, {"destroy", dir_}, nullptr);
  if (rc != 0) {
    std::fprintf(stderr, "PgCluster: `pg.sh destroy %s` failed (exit %d)\n", dir_.c_str(), rc);
  }
}

namespace {

std::mutex shared_mu;
PgCluster* shared = nullptr;

void DestroyShared() {
  std::lock_guard<std::mutex> lock(shared_mu);
  delete shared;
  shared = nullptr;
}

class SharedClusterEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { DestroyShared(); }
};

}  // namespace

PgCluster& SharedCluster() {
  std::lock_guard<std::mutex> lock(shared_mu);
  if (shared == nullptr) {
    shared = PgCluster::Start().release();
    // gtest owns the environment and tears it down after the last test; the
    // exit handler covers a binary that exits before that.
    ::testing::AddGlobalTestEnvironment(new SharedClusterEnvironment);
    std::atexit(DestroyShared);
  }
  return *shared;
}

}  // namespace nuage::testing

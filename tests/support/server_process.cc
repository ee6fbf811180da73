// server_process.cc — fork/execv of nuage-server for the end-to-end tests.
//
// Everything the child needs (argv, envp, open files) is prepared before
// fork: the test binary has gRPC threads, and between fork and exec only
// async-signal-safe calls are allowed.
#include "tests/support/server_process.h"
#include "tests/support/runfiles.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

extern char** environ;

namespace nuage::testing {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(30);

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string TempRoot() {
  const char* t = std::getenv("TEST_TMPDIR");
  return (t != nullptr && t[0] != '\0') ? t : "/tmp";
}

std::string MakeTempDir() {
  std::string tmpl = TempRoot() + "/nuage-server-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::fprintf(stderr, "ServerProcess: mkdtemp %s: %s\n", tmpl.c_str(), std::strerror(errno));
    std::abort();
  }
  return tmpl;
}

void RemoveDir(const std::string& dir) {
  for (const char* name : {"port", "port.tmp", "stdout", "stderr"}) {
    unlink((dir + "/" + name).c_str());
  }
  rmdir(dir.c_str());
}

// The exit status as the shell reports it: the code, or 128 + the signal.
int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Forks and execs the server with args; its stdout and stderr go to the
// given files (created or truncated). Returns the child's pid.
pid_t SpawnServer(const std::vector<std::string>& args, const std::string& out_path,
                  const std::string& err_path) {
  std::string binary = ServerBinary();
  std::vector<std::string> argv_s = {binary};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);

  // The server reads NUAGE_* variables too: leave the test's out, so that
  // only the flags given configure it.
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; e++) {
    if (std::strncmp(*e, "NUAGE_", 6) != 0) envp.push_back(*e);
  }
  envp.push_back(nullptr);

  int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (out_fd < 0 || err_fd < 0 || null_fd < 0) {
    std::fprintf(stderr, "ServerProcess: cannot open %s or %s: %s\n", out_path.c_str(),
                 err_path.c_str(), std::strerror(errno));
    std::abort();
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    std::fprintf(stderr, "ServerProcess: fork: %s\n", std::strerror(errno));
    std::abort();
  }
  if (pid == 0) {
    // Async-signal-safe calls only from here on.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the test died before prctl
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    dup2(null_fd, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    static const char msg[] = "ServerProcess: execve of nuage-server failed\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
    (void)ignored;
    _exit(127);
  }
  close(out_fd);
  close(err_fd);
  close(null_fd);
  return pid;
}

// waitpid with a timeout; returns the decoded status, or -1 while running.
int WaitPid(pid_t pid, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return DecodeStatus(status);
    if (r < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() >= until) return -1;
    std::this_thread::sleep_for(kPollInterval);
  }
}

}  // namespace

std::string ServerBinary() {
  return FindRunfile("server/nuage-server", true, "//server:nuage-server");
}

std::unique_ptr<ServerProcess> ServerProcess::Spawn(const std::string& database_url,
                                                    const std::vector<std::string>& extra_flags) {
  std::unique_ptr<ServerProcess> p(new ServerProcess());
  p->dir_ = MakeTempDir();
  p->port_file_ = p->dir_ + "/port";
  p->log_path_ = p->dir_ + "/stderr";
  // E-mails stay queued unless the test picks a sink (a later flag wins):
  // tests read the links from the outbox table, and delivery empties it.
  std::vector<std::string> args = {"--listen",       "127.0.0.1:0",  "--port-file",
                                   p->port_file_,    "--database-url", database_url,
                                   "--outbox-sink=none"};
  // Every test calls from 127.0.0.1: the per-address limit is raised out of
  // the way; tests of the limit pass their own (the last flag wins).
  args.push_back("--rate-limit-per-address=1000000");
  args.insert(args.end(), extra_flags.begin(), extra_flags.end());
  p->pid_ = SpawnServer(args, p->dir_ + "/stdout", p->log_path_);
  return p;
}

bool ServerProcess::WaitUntilServing(std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    // The server renames the file into place: it is whole once it exists.
    std::string text = ReadFile(port_file_);
    char* end = nullptr;
    long port = std::strtol(text.c_str(), &end, 10);
    if (!text.empty() && end != text.c_str() && port > 0 && port <= 65535) {
      port_ = static_cast<int>(port);
      address_ = "127.0.0.1:" + std::to_string(port_);
      return true;
    }
    if (!reaped_) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        exit_status_ = DecodeStatus(status);
      }
    }
    if (reaped_) {
      ADD_FAILURE() << "nuage-server exited with status " << exit_status_
                    << " before serving; its log:\n"
                    << Log();
      return false;
    }
    if (std::chrono::steady_clock::now() >= until) {
      ADD_FAILURE() << "nuage-server did not write its port file within " << timeout.count()
                    << " ms; its log:\n"
                    << Log();
      return false;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::string& database_url,
                                                    const std::vector<std::string>& extra_flags) {
  std::unique_ptr<ServerProcess> p = Spawn(database_url, extra_flags);
  if (!p->WaitUntilServing()) return nullptr;
  return p;
}

ServerExit ServerProcess::Run(const std::vector<std::string>& args,
                              std::chrono::milliseconds timeout) {
  std::string dir = MakeTempDir();
  pid_t pid = SpawnServer(args, dir + "/stdout", dir + "/stderr");
  ServerExit r;
  r.status = WaitPid(pid, timeout);
  if (r.status < 0) {
    r.timed_out = true;
    kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    r.status = DecodeStatus(status);
  }
  r.out = ReadFile(dir + "/stdout");
  r.err = ReadFile(dir + "/stderr");
  RemoveDir(dir);
  return r;
}

std::string ServerProcess::Log() const { return ReadFile(log_path_); }

bool ServerProcess::Signal(int sig) {
  if (reaped_) return false;
  return kill(pid_, sig) == 0;
}

int ServerProcess::Wait(std::chrono::milliseconds timeout) {
  if (reaped_) return exit_status_;
  int st = WaitPid(pid_, timeout);
  if (st >= 0) {
    reaped_ = true;
    exit_status_ = st;
  }
  return st;
}

ServerProcess::~ServerProcess() {
  if (!reaped_) {
    Signal(SIGTERM);
    if (Wait(kStopTimeout) < 0) {
      std::fprintf(stderr, "ServerProcess: pid %d did not stop within 30 s of SIGTERM; killing it\n",
                   static_cast<int>(pid_));
      kill(pid_, SIGKILL);
      Wait(kStopTimeout);
    }
  }
  if (::testing::Test::HasFailure()) {
    std::fprintf(stderr, "---- nuage-server log (pid %d, exit %d) ----\n%s---- end of log ----\n",
                 static_cast<int>(pid_), exit_status_, Log().c_str());
  }
  RemoveDir(dir_);
}

}  // namespace nuage::testing

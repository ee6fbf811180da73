// server_process.h — a real nuage-server process for end-to-end tests.
//
// Starts `server/nuage-server` from the test's runfiles with fork/execv (no
// shell, so no quoting), as
//   nuage-server --listen 127.0.0.1:0 --port-file DIR/port
//                --database-url CONNINFO --outbox-sink=none
//                --rate-limit-per-address=1000000 EXTRA_FLAGS...
// and waits (30 s at most) for the port file, which the server writes once it
// serves. Its stderr (the JSON log) and stdout go to files in DIR, a fresh
// directory under TEST_TMPDIR. NUAGE_* variables of the test's environment
// are not passed on, so only the flags given here configure the server.
// E-mails stay queued in the outbox table, where tests read their links
// (delivery empties a message's payload), unless EXTRA_FLAGS choose a sink:
// a later flag wins.
//
// Targets using it need `//tests/support:server_process`, which brings
// `//server:nuage-server` as data.
//
// Spawn servers from the test's main thread: the child gets SIGKILL when the
// thread that forked it ends (PR_SET_PDEATHSIG), which is what cleans up a
// server whose test binary crashed.
#ifndef NUAGE_TESTS_SUPPORT_SERVER_PROCESS_H
#define NUAGE_TESTS_SUPPORT_SERVER_PROCESS_H

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace nuage::testing {

// What a server run to its end left behind: see ServerProcess::Run.
struct ServerExit {
  bool timed_out = false;  // still running at the timeout: it was killed
  int status = -1;         // exit code, or 128 + signal number
  std::string out;         // everything it wrote on stdout
  std::string err;         // everything it wrote on stderr
};

class ServerProcess {
 public:
  // Starts a server on a free loopback port against database_url and waits
  // until it serves. On failure (exit before serving, no port file within
  // 30 s) it records a gtest failure that quotes the server's log, and
  // returns nullptr: use ASSERT_NE(server, nullptr).
  static std::unique_ptr<ServerProcess> Start(const std::string& database_url,
                                              const std::vector<std::string>& extra_flags = {});

  // Starts the process without waiting; WaitUntilServing then waits for the
  // port file. Lets a test start several servers at the same moment.
  static std::unique_ptr<ServerProcess> Spawn(const std::string& database_url,
                                              const std::vector<std::string>& extra_flags = {});
  // True once the port file holds a port; false (with a gtest failure that
  // quotes the log) if the process exits first or the timeout passes.
  bool WaitUntilServing(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Runs nuage-server with exactly args (no flags added) and waits for it to
  // exit, up to timeout; a process still running then is killed and
  // reported with timed_out. For configuration tests that expect a refusal.
  static ServerExit Run(const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // "127.0.0.1:PORT", once serving.
  const std::string& address() const { return address_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  // Everything the server wrote on stderr so far (one JSON object a line).
  std::string Log() const;
  const std::string& log_path() const { return log_path_; }

  // Sends sig to the server; false if it has already been reaped.
  bool Signal(int sig);

  // Waits for the server to exit, up to timeout. Returns its exit code (128
  // + signal number if a signal ended it), or -1 if it is still running.
  int Wait(std::chrono::milliseconds timeout);

  // SIGTERM, then waits for the exit (SIGKILL after 30 s). The server's log
  // is printed when the test failed, and the directory removed.
  ~ServerProcess();

  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

 private:
  ServerProcess() = default;

  pid_t pid_ = -1;
  bool reaped_ = false;
  int exit_status_ = -1;
  std::string dir_;
  std::string port_file_;
  std::string log_path_;
  std::string address_;
  int port_ = 0;
};

// The absolute path of server/nuage-server in the runfiles.
std::string ServerBinary();

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_SUPPORT_SERVER_PROCESS_H

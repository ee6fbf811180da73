// nuagectl_runner.h — running the nuagectl binary (a test's `data`:
// //client:nuagectl) against a live server, the way a user would, and
// capturing what it prints and its exit status.
#ifndef NUAGE_TESTS_SUPPORT_NUAGECTL_RUNNER_H_
#define NUAGE_TESTS_SUPPORT_NUAGECTL_RUNNER_H_

#include <string>
#include <vector>

namespace nuage::testing {

// What one nuagectl run did.
struct CtlRun {
  int status = -1;  // the exit status, -1 when it did not exit normally
  std::string out, err;
};

// A fresh directory $TEST_TMPDIR/name (/tmp/name outside Bazel), mode
// 0700, to serve as nuagectl's HOME; "" when it cannot be made.
std::string MakeCtlHome(const std::string& name);

// Runs `nuagectl --addr address args...` with HOME=home, NUAGE_TOKEN and
// XDG_CONFIG_HOME removed from the environment (NUAGE_TOKEN=token when
// token is not empty) and stdin_text on stdin. stdin, stdout and stderr
// go through files in home.
CtlRun RunNuagectl(const std::string& home, const std::string& address,
                   const std::vector<std::string>& args, const std::string& stdin_text = "",
                   const std::string& token = "");

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_SUPPORT_NUAGECTL_RUNNER_H_

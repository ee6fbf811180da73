// nuagectl_runner.cc — see nuagectl_runner.h.
#include "tests/support/nuagectl_runner.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>

#include "tests/support/runfiles.h"

namespace nuage::testing {
namespace {

std::string ReadWholeFile(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

std::string MakeCtlHome(const std::string& name) {
  const char* tmp = getenv("TEST_TMPDIR");
  std::string home = std::string(tmp != nullptr ? tmp : "/tmp") + "/" + name;
  return mkdir(home.c_str(), 0700) == 0 ? home : "";
}

CtlRun RunNuagectl(const std::string& home, const std::string& address,
                   const std::vector<std::string>& args, const std::string& stdin_text,
                   const std::string& token) {
  static const std::string bin = FindRunfile("client/nuagectl", true, "//client:nuagectl");
  std::string in = home + "/stdin", out = home + "/stdout", err = home + "/stderr";
  std::ofstream(in) << stdin_text;
  std::string cmd = "env -u NUAGE_TOKEN -u XDG_CONFIG_HOME HOME='" + home + "' ";
  if (!token.empty()) cmd += "NUAGE_TOKEN='" + token + "' ";
  cmd += "'" + bin + "' --addr " + address;
  for (const std::string& a : args) cmd += " '" + a + "'";
  cmd += " <'" + in + "' >'" + out + "' 2>'" + err + "'";
  CtlRun r;
  int rc = system(cmd.c_str());
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = ReadWholeFile(out);
  r.err = ReadWholeFile(err);
  return r;
}


}  // namespace nuage::testing

// runfiles.cc — see runfiles.h.
#include "tests/support/runfiles.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace nuage::testing {

std::string FindRunfile(const std::string& path, bool executable, const std::string& label) {
  std::vector<std::string> candidates;
  for (const char* var : {"TEST_SRCDIR", "RUNFILES_DIR"}) {
    const char* root = std::getenv(var);
    if (root != nullptr && root[0] != '\0') {
      candidates.push_back(std::string(root) + "/nuage/" + path);
    }
  }
  candidates.push_back(path);
  for (const std::string& c : candidates) {
    if (access(c.c_str(), executable ? X_OK : R_OK) == 0) {
      char* abs = realpath(c.c_str(), nullptr);
      if (abs == nullptr) return c;
      std::string out(abs);
      std::free(abs);
      return out;
    }
  }
  std::string tried;
  for (const std::string& c : candidates) tried += " " + c;
  std::fprintf(stderr, "cannot find %s (tried:%s); add %s to data\n", path.c_str(), tried.c_str(),
               label.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace nuage::testing

// runfiles.h — finding a file a test declared in `data`.
#ifndef NUAGE_TESTS_SUPPORT_RUNFILES_H_
#define NUAGE_TESTS_SUPPORT_RUNFILES_H_

#include <string>

namespace nuage::testing {

// The absolute path of workspace-relative `path` (e.g. "scripts/pg.sh") in
// the test's runfiles tree: under $TEST_SRCDIR/nuage or $RUNFILES_DIR/nuage,
// else relative to the working directory (Bazel runs tests from the tree's
// root). `executable` asks for X_OK rather than R_OK. Aborts the test
// binary, naming the places tried and the Bazel label to add to `data`
// (`label`), when the file is not found.
std::string FindRunfile(const std::string& path, bool executable, const std::string& label);

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_SUPPORT_RUNFILES_H_

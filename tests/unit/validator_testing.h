// validator_testing.h — runs field checks on a fresh validator and gives back
// what they reported, for the table-driven tests of server/validate/.
#ifndef NU_TESTS_UNIT_VALIDATOR_TESTING_H
#define NU_TESTS_UNIT_VALIDATOR_TESTING_H

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/validate/validate.h"

namespace nu_testing {

// (field, description) of each violation, in the order recorded.
using Violations = std::vector<std::pair<std::string, std::string>>;

inline Violations RunChecks(const std::function<void(nu_validator *)> &checks) {
  nu_arena *a = nu_arena_new();
  EXPECT_NE(a, nullptr);
  nu_validator v;
  nu_validator_init(&v, a);
  checks(&v);
  nu_status st = nu_validator_result(&v);
  Violations out;
  for (const nu_violation *x = st.violations; x != nullptr; x = x->next) {
    out.emplace_back(x->field, x->description);
  }
  EXPECT_EQ(out.empty(), nu_status_is_ok(&st));
  nu_arena_free(a);
  return out;
}

// The description of the one violation the checks reported, "" when they
// reported none; a test failure when they reported more than one.
inline std::string Why(const std::function<void(nu_validator *)> &checks) {
  Violations vs = RunChecks(checks);
  EXPECT_LE(vs.size(), 1u);
  return vs.empty() ? "" : vs[0].second;
}

}  // namespace nu_testing

#endif

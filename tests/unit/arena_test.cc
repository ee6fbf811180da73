// arena_test.cc — the per-call memory pool: alignment, large and many small
// allocations, calloc, string helpers, cleanups, accounting.
//
// Allocations are filled with distinct patterns and checked afterwards, so an
// arena handing out overlapping memory fails here, not in production.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "server/common/arena.h"

namespace {

constexpr size_t kAlign = 16;

bool Aligned(const void *p) { return reinterpret_cast<uintptr_t>(p) % kAlign == 0; }

struct Region {
  unsigned char *p;
  size_t n;
  unsigned char fill;
};

void FillAll(std::vector<Region> &rs) {
  for (size_t i = 0; i < rs.size(); i++) {
    rs[i].fill = static_cast<unsigned char>(i * 37 + 1);
    memset(rs[i].p, rs[i].fill, rs[i].n);
  }
}

// Every region still holds its own pattern: nothing was handed out twice.
void ExpectIntact(const std::vector<Region> &rs) {
  for (size_t i = 0; i < rs.size(); i++) {
    for (size_t k = 0; k < rs[i].n; k++) {
      if (rs[i].p[k] != rs[i].fill) {
        ADD_FAILURE() << "allocation " << i << " (" << rs[i].n << " bytes) overwritten at byte "
                      << k;
        return;
      }
    }
  }
}

class ArenaTest : public ::testing::Test {
 protected:
  void SetUp() override { a_ = nu_arena_new(); ASSERT_NE(a_, nullptr); }
  void TearDown() override { nu_arena_free(a_); }
  nu_arena *a_ = nullptr;
};

TEST(ArenaLifecycle, FreeNullIsIgnored) { nu_arena_free(nullptr); }

TEST(ArenaLifecycle, NewArenaHasUsedNothing) {
  nu_arena *a = nu_arena_new();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(nu_arena_used(a), 0u);
  nu_arena_free(a);
}

TEST_F(ArenaTest, EveryAllocationIsAlignedAndDisjoint) {
  // Odd sizes across block boundaries, with large ones in between.
  const size_t sizes[] = {1, 3, 7, 15, 16, 17, 31, 33, 100, 255, 1000, 2047, 2048, 2049,
                          4095, 4096, 4097, 5000, 1, 9, 70000, 2, 300000, 5, 64, 128};
  std::vector<Region> rs;
  for (int round = 0; round < 20; round++) {
    for (size_t n : sizes) {
      auto *p = static_cast<unsigned char *>(nu_arena_alloc(a_, n));
      ASSERT_NE(p, nullptr) << n;
      EXPECT_TRUE(Aligned(p)) << "size " << n << " got " << static_cast<void *>(p);
      rs.push_back({p, n, 0});
    }
  }
  FillAll(rs);
  ExpectIntact(rs);
}

TEST_F(ArenaTest, ZeroBytesGivesDistinctValidPointers) {
  void *p = nu_arena_alloc(a_, 0);
  void *q = nu_arena_alloc(a_, 0);
  ASSERT_NE(p, nullptr);
  ASSERT_NE(q, nullptr);
  EXPECT_NE(p, q);
  EXPECT_TRUE(Aligned(p));
  EXPECT_TRUE(Aligned(q));
}

TEST_F(ArenaTest, LargeAllocationsOfSeveralMiB) {
  std::vector<Region> rs;
  // Small first, so the large ones must not disturb the current block.
  for (int i = 0; i < 10; i++) rs.push_back({static_cast<unsigned char *>(nu_arena_alloc(a_, 24)), 24, 0});
  const size_t big[] = {2049, 3000, 1u << 20, 3u << 20, 8u << 20};
  for (size_t n : big) {
    auto *p = static_cast<unsigned char *>(nu_arena_alloc(a_, n));
    ASSERT_NE(p, nullptr) << n;
    EXPECT_TRUE(Aligned(p));
    rs.push_back({p, n, 0});
    for (int i = 0; i < 10; i++) {
      auto *s = static_cast<unsigned char *>(nu_arena_alloc(a_, 40));
      ASSERT_NE(s, nullptr);
      EXPECT_TRUE(Aligned(s));
      rs.push_back({s, 40, 0});
    }
  }
  FillAll(rs);
  ExpectIntact(rs);
}

TEST_F(ArenaTest, LargeAllocationIntoAFreshArena) {
  auto *p = static_cast<unsigned char *>(nu_arena_alloc(a_, 5u << 20));
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(Aligned(p));
  auto *q = static_cast<unsigned char *>(nu_arena_alloc(a_, 10));
  ASSERT_NE(q, nullptr);
  std::vector<Region> rs = {{p, 5u << 20, 0}, {q, 10, 0}};
  FillAll(rs);
  ExpectIntact(rs);
}

TEST_F(ArenaTest, ManySmallAllocations) {
  std::vector<Region> rs;
  rs.reserve(100000);
  for (int i = 0; i < 100000; i++) {
    size_t n = 1 + static_cast<size_t>(i % 24);
    auto *p = static_cast<unsigned char *>(nu_arena_alloc(a_, n));
    ASSERT_NE(p, nullptr);
    ASSERT_TRUE(Aligned(p)) << i;
    rs.push_back({p, n, 0});
  }
  FillAll(rs);
  ExpectIntact(rs);
}

TEST_F(ArenaTest, ImpossibleSizesReturnNullAndLeaveTheArenaUsable) {
  EXPECT_EQ(nu_arena_alloc(a_, SIZE_MAX), nullptr);
  EXPECT_EQ(nu_arena_alloc(a_, SIZE_MAX - 1), nullptr);
  EXPECT_EQ(nu_arena_alloc(a_, SIZE_MAX - 15), nullptr);  // would wrap when rounded up
  EXPECT_EQ(nu_arena_alloc(a_, SIZE_MAX / 2), nullptr);   // malloc refuses
  EXPECT_EQ(nu_arena_used(a_), 0u) << "failed allocations must not be counted";
  char *s = nu_arena_strdup(a_, "still fine");
  ASSERT_NE(s, nullptr);
  EXPECT_STREQ(s, "still fine");
}

TEST(ArenaCalloc, ZeroFillsRecycledMemory) {
  // Dirty the heap with a first arena, then calloc the same sizes from a
  // second one: malloc hands the dirty chunks back.
  const size_t sizes[] = {24, 100, 1000, 3000, 20000, 200000};
  nu_arena *dirty = nu_arena_new();
  for (int i = 0; i < 50; i++) {
    for (size_t n : sizes) memset(nu_arena_alloc(dirty, n), 0xAB, n);
  }
  nu_arena_free(dirty);

  nu_arena *a = nu_arena_new();
  for (int i = 0; i < 50; i++) {
    for (size_t n : sizes) {
      auto *p = static_cast<unsigned char *>(nu_arena_calloc(a, n, 1));
      ASSERT_NE(p, nullptr);
      for (size_t k = 0; k < n; k++) ASSERT_EQ(p[k], 0) << n << " at " << k;
      memset(p, 0xCD, n);
    }
    auto *q = static_cast<uint64_t *>(nu_arena_calloc(a, 37, sizeof(uint64_t)));
    ASSERT_NE(q, nullptr);
    EXPECT_TRUE(Aligned(q));
    for (int k = 0; k < 37; k++) ASSERT_EQ(q[k], 0u);
    memset(q, 0xEF, 37 * sizeof(uint64_t));
  }
  nu_arena_free(a);
}

TEST_F(ArenaTest, CallocOverflowReturnsNull) {
  EXPECT_EQ(nu_arena_calloc(a_, SIZE_MAX / 2 + 1, 2), nullptr);
  EXPECT_EQ(nu_arena_calloc(a_, 2, SIZE_MAX / 2 + 1), nullptr);
  EXPECT_EQ(nu_arena_calloc(a_, SIZE_MAX, SIZE_MAX), nullptr);
  EXPECT_EQ(nu_arena_calloc(a_, (SIZE_MAX >> 4) + 2, 16), nullptr);
  EXPECT_EQ(nu_arena_used(a_), 0u);
}

TEST_F(ArenaTest, CallocOfNothingIsValid) {
  EXPECT_NE(nu_arena_calloc(a_, 0, 8), nullptr);
  EXPECT_NE(nu_arena_calloc(a_, 8, 0), nullptr);
  EXPECT_NE(nu_arena_calloc(a_, SIZE_MAX, 0), nullptr);
}

TEST_F(ArenaTest, Strdup) {
  char src[] = "hello, arena";
  char *s = nu_arena_strdup(a_, src);
  ASSERT_NE(s, nullptr);
  EXPECT_NE(s, src);
  src[0] = 'J';
  EXPECT_STREQ(s, "hello, arena");
  char *e = nu_arena_strdup(a_, "");
  ASSERT_NE(e, nullptr);
  EXPECT_STREQ(e, "");
}

TEST_F(ArenaTest, StrndupCopiesAPrefixAndTerminates) {
  const char src[] = {'a', 'b', 'c', 'd', 'e', 'f'};  // not NUL-terminated
  char *s = nu_arena_strndup(a_, src, 4);
  ASSERT_NE(s, nullptr);
  EXPECT_STREQ(s, "abcd");
  char *z = nu_arena_strndup(a_, src, 0);
  ASSERT_NE(z, nullptr);
  EXPECT_STREQ(z, "");
}

TEST_F(ArenaTest, MemdupCopiesBytesIncludingNuls) {
  const unsigned char src[] = {0, 1, 2, 0, 255, 0, 7};
  auto *p = static_cast<unsigned char *>(nu_arena_memdup(a_, src, sizeof(src)));
  ASSERT_NE(p, nullptr);
  EXPECT_NE(p, src);
  EXPECT_EQ(memcmp(p, src, sizeof(src)), 0);
  EXPECT_TRUE(Aligned(p));
  EXPECT_NE(nu_arena_memdup(a_, src, 0), nullptr);

  std::vector<unsigned char> big(3u << 20);
  for (size_t i = 0; i < big.size(); i++) big[i] = static_cast<unsigned char>(i * 7);
  auto *q = static_cast<unsigned char *>(nu_arena_memdup(a_, big.data(), big.size()));
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(memcmp(q, big.data(), big.size()), 0);
}

TEST_F(ArenaTest, Sprintf) {
  char *s = nu_arena_sprintf(a_, "%s-%d-%05.1f-%c%%", "x", -42, 3.14159, 'z');
  ASSERT_NE(s, nullptr);
  EXPECT_STREQ(s, "x--42-003.1-z%");
  char *e = nu_arena_sprintf(a_, "%s", "");
  ASSERT_NE(e, nullptr);
  EXPECT_STREQ(e, "");
  // Longer than a block.
  std::string longs(10000, 'q');
  char *l = nu_arena_sprintf(a_, "<%s>", longs.c_str());
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(std::string(l), "<" + longs + ">");
}

char *CallVsprintf(nu_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = nu_arena_vsprintf(a, fmt, ap);
  va_end(ap);
  return s;
}

TEST_F(ArenaTest, Vsprintf) {
  char *s = CallVsprintf(a_, "%d/%s/%zu", 7, "seven", static_cast<size_t>(77));
  ASSERT_NE(s, nullptr);
  EXPECT_STREQ(s, "7/seven/77");
}

std::vector<int> *g_order;

void Record(void *arg) { g_order->push_back(static_cast<int>(reinterpret_cast<intptr_t>(arg))); }

TEST(ArenaCleanup, RunInReverseOrderExactlyOnceAtFree) {
  std::vector<int> order;
  g_order = &order;
  nu_arena *a = nu_arena_new();
  ASSERT_NE(a, nullptr);
  for (intptr_t i = 1; i <= 5; i++) {
    ASSERT_EQ(nu_arena_add_cleanup(a, Record, reinterpret_cast<void *>(i)), 0);
    // Allocations in between, including large ones, do not disturb them.
    ASSERT_NE(nu_arena_alloc(a, i == 3 ? (1u << 20) : 100), nullptr);
  }
  EXPECT_TRUE(order.empty()) << "cleanups must wait for nu_arena_free";
  nu_arena_free(a);
  EXPECT_EQ(order, (std::vector<int>{5, 4, 3, 2, 1}));
  g_order = nullptr;
}

struct Owned {
  nu_arena *arena;  // cleanups may still read arena memory
  const char *text;
  std::string *seen;
};

void ReadArenaMemory(void *arg) {
  auto *o = static_cast<Owned *>(arg);
  *o->seen = o->text;
}

TEST(ArenaCleanup, RunBeforeTheBlocksAreReleased) {
  std::string seen;
  nu_arena *a = nu_arena_new();
  auto *o = static_cast<Owned *>(nu_arena_alloc(a, sizeof(Owned)));
  o->arena = a;
  o->text = nu_arena_strdup(a, "still alive");
  o->seen = &seen;
  ASSERT_EQ(nu_arena_add_cleanup(a, ReadArenaMemory, o), 0);
  nu_arena_free(a);
  EXPECT_EQ(seen, "still alive");
}

TEST(ArenaCleanup, NoCleanupsIsFine) {
  nu_arena *a = nu_arena_new();
  nu_arena_alloc(a, 10);
  nu_arena_free(a);
}

TEST_F(ArenaTest, UsedCountsEveryByteHandedOut) {
  size_t requested = 0;
  size_t count = 0;
  size_t last = nu_arena_used(a_);
  const size_t sizes[] = {1, 16, 17, 100, 5000, 1u << 20, 3};
  for (size_t n : sizes) {
    ASSERT_NE(nu_arena_alloc(a_, n), nullptr);
    requested += n;
    count++;
    size_t used = nu_arena_used(a_);
    EXPECT_GE(used, last + n) << "after " << n;
    last = used;
  }
  EXPECT_GE(nu_arena_used(a_), requested);
  // Only alignment padding on top, never whole blocks.
  EXPECT_LE(nu_arena_used(a_), requested + count * kAlign);
  nu_arena_strdup(a_, "abc");
  EXPECT_GE(nu_arena_used(a_), last + 4);
}

// Regression: strndup read n bytes even past the end of a shorter string.
// The string sits at the very end of a readable page, followed by an
// inaccessible one; reading past its NUL faults.
TEST_F(ArenaTest, StrndupStopsAtTheStringsEnd) {
  long page = sysconf(_SC_PAGESIZE);
  ASSERT_GT(page, 0);
  auto *mem = static_cast<char *>(
      mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(mem, MAP_FAILED);
  ASSERT_EQ(mprotect(mem + page, page, PROT_NONE), 0);
  char *s = mem + page - 3;
  memcpy(s, "ab", 3);
  char *copy = nu_arena_strndup(a_, s, 1000);
  ASSERT_NE(copy, nullptr);
  EXPECT_STREQ(copy, "ab");
  char *cut = nu_arena_strndup(a_, s, 1);
  ASSERT_NE(cut, nullptr);
  EXPECT_STREQ(cut, "a");
  munmap(mem, 2 * page);
}

}  // namespace

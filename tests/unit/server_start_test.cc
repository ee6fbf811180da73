// server_start_test.cc — nu_server_start refuses options it cannot run
// with, and undoes a start that fails (here: the port is taken) without
// leaving a thread or a queue behind (the ASan build checks the leaks).
// Binds 127.0.0.1 only.
#include <gtest/gtest.h>
#include <grpc/grpc.h>

#include <string>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/transport/server.h"

namespace {

class ServerStartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc_init();
    a_ = nu_arena_new();
    ASSERT_NE(a_, nullptr);
    opts_.listen = "127.0.0.1:0";
    opts_.cq_threads = 2;
    opts_.workers = 2;
    opts_.max_message_bytes = 1 << 20;
    opts_.table = &table_;
    opts_.auth = &auth_;
  }
  void TearDown() override {
    nu_arena_free(a_);
    grpc_shutdown();
  }

  nu_arena *a_ = nullptr;
  nu_method_table table_ = {nullptr, 0};
  nu_auth auth_ = {nullptr, nullptr};
  nu_server_options opts_ = {};
};

TEST_F(ServerStartTest, RefusesNoWorkerOrNoQueueThread) {
  for (int which = 0; which < 2; which++) {
    nu_server_options o = opts_;
    (which == 0 ? o.workers : o.cq_threads) = 0;
    nu_server *s = nullptr;
    int port = 0;
    nu_status st = nu_server_start(&o, a_, &s, &port);
    EXPECT_EQ(st.code, NU_INVALID_ARGUMENT) << which;
    EXPECT_EQ(s, nullptr);
  }
}

TEST_F(ServerStartTest, APortInUseIsUnavailableAndUndoneCleanly) {
  nu_server *first = nullptr;
  int port = 0;
  nu_status st = nu_server_start(&opts_, a_, &first, &port);
  ASSERT_EQ(st.code, NU_OK) << (st.message != nullptr ? st.message : "");
  ASSERT_GT(port, 0);

  std::string taken = "127.0.0.1:" + std::to_string(port);
  nu_server_options o = opts_;
  o.listen = taken.c_str();
  nu_server *second = nullptr;
  int port2 = 0;
  st = nu_server_start(&o, a_, &second, &port2);
  EXPECT_EQ(st.code, NU_UNAVAILABLE);
  EXPECT_STREQ(st.reason, "LISTEN_FAILED");
  EXPECT_EQ(second, nullptr);

  nu_server_shutdown(first, 0);
  nu_server_free(first);
}

}  // namespace

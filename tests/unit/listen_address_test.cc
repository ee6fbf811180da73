// listen_address_test.cc — nu_listen_address_check: which "host:port"
// strings the server accepts before handing them to gRPC.
#include <gtest/gtest.h>

#include <string>

#include "server/transport/server.h"

namespace {

TEST(ListenAddress, Valid) {
  for (const char *a : {"127.0.0.1:0", "0.0.0.0:50051", "[::1]:1", "localhost:65535", "[::]:0",
                        "[::ffff:127.0.0.1]:8080", "[FE80::1]:443", "my-host.example.com:80",
                        "127.0.0.1:00080"}) {
    const char *why = "untouched";
    EXPECT_EQ(nu_listen_address_check(a, &why), 0) << a << ": " << why;
  }
}

TEST(ListenAddress, Invalid) {
  const char *bad[] = {
      "",                 // empty
      "127.0.0.1",        // no port
      "localhost",        // no port
      "127.0.0.1:",       // empty port
      "127.0.0.1:65536",  // port too large
      "127.0.0.1:99999",
      "127.0.0.1:100000",
      "127.0.0.1:-1",
      "127.0.0.1:+80",
      "127.0.0.1:abc",
      "127.0.0.1:8o",
      "127.0.0.1: 80",
      "abc",
      ":50051",           // empty host
      "::1:80",           // IPv6 without brackets
      "::1",
      "[::1]",            // brackets, no port
      "[::1:80",          // unclosed bracket
      "::1]:80",
      "[]:80",            // empty brackets
      "[::g]:80",         // not hex
      "[::1]x:80",
      "host name:80",     // space
      "host_name:80",     // underscore
      "host/x:80",
      "host;rm:80",
      "unix:/tmp/sock",   // not a host:port
  };
  for (const char *a : bad) {
    const char *why = nullptr;
    EXPECT_EQ(nu_listen_address_check(a, &why), -1) << a;
    EXPECT_NE(why, nullptr) << a;
    if (why != nullptr) {
      EXPECT_GT(std::string(why).size(), 10u) << a;
    }
  }
}

TEST(ListenAddress, Null) {
  const char *why = nullptr;
  EXPECT_EQ(nu_listen_address_check(nullptr, &why), -1);
  EXPECT_NE(why, nullptr);
}

TEST(ListenAddress, ReasonsSayWhatIsWrong) {
  const char *why = nullptr;
  ASSERT_EQ(nu_listen_address_check("127.0.0.1:70000", &why), -1);
  EXPECT_NE(std::string(why).find("port"), std::string::npos) << why;
  ASSERT_EQ(nu_listen_address_check("::1:80", &why), -1);
  EXPECT_NE(std::string(why).find("bracket"), std::string::npos) << why;
  ASSERT_EQ(nu_listen_address_check(":80", &why), -1);
  EXPECT_NE(std::string(why).find("host"), std::string::npos) << why;
  ASSERT_EQ(nu_listen_address_check("localhost", &why), -1);
  EXPECT_NE(std::string(why).find("port"), std::string::npos) << why;
}

}  // namespace

// net_address_test.cc — gRPC peer strings, CIDR lists and x-forwarded-for
// (server/common/net_address.h).
#include "server/common/net_address.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

nu_ip Ip(const char* text) {
  nu_ip ip;
  EXPECT_EQ(nu_ip_parse(text, strlen(text), &ip), 0) << text;
  return ip;
}

std::string Text(const nu_ip& ip) {
  char buf[NU_IP_TEXT_MAX];
  nu_ip_format(&ip, buf);
  return buf;
}

std::string Key(const nu_ip& ip) {
  char buf[NU_IP_TEXT_MAX];
  nu_ip_limit_key(&ip, buf);
  return buf;
}

nu_cidr_list List(const char* text) {
  nu_cidr_list l;
  const char* why = nullptr;
  EXPECT_EQ(nu_cidr_list_parse(text, &l, &why), 0) << text << ": " << (why ? why : "");
  return l;
}

std::string Client(const char* peer, const char* xff, const nu_cidr_list& trusted,
                   bool* forwarded = nullptr) {
  nu_ip direct = Ip(peer), out;
  bool fwd = false;
  nu_ip_effective_client(&direct, xff, xff ? strlen(xff) : 0, &trusted, &out, &fwd);
  if (forwarded != nullptr) *forwarded = fwd;
  return Text(out);
}

TEST(NetAddressTest, ParsesGrpcPeers) {
  nu_ip ip;
  ASSERT_EQ(nu_ip_from_grpc_peer("ipv4:127.0.0.1:50512", &ip), 0);
  EXPECT_EQ(Text(ip), "127.0.0.1");
  ASSERT_EQ(nu_ip_from_grpc_peer("ipv6:[::1]:50512", &ip), 0);
  EXPECT_EQ(Text(ip), "::1");
  ASSERT_EQ(nu_ip_from_grpc_peer("ipv6:%5B2001:db8::7%5D:443", &ip), 0);
  EXPECT_EQ(Text(ip), "2001:db8::7");
  ASSERT_EQ(nu_ip_from_grpc_peer("ipv6:[fe80::1%25eth0]:443", &ip), 0);
  EXPECT_EQ(Text(ip), "fe80::1");
  // A v4-mapped v6 peer is the IPv4 client it maps.
  ASSERT_EQ(nu_ip_from_grpc_peer("ipv6:[::ffff:192.0.2.9]:1", &ip), 0);
  EXPECT_EQ(ip.family, 4);
  EXPECT_EQ(Text(ip), "192.0.2.9");
  EXPECT_NE(nu_ip_from_grpc_peer("unix:/tmp/sock", &ip), 0);
  EXPECT_NE(nu_ip_from_grpc_peer("ipv4:999.0.0.1:1", &ip), 0);
  EXPECT_NE(nu_ip_from_grpc_peer("", &ip), 0);
  EXPECT_NE(nu_ip_from_grpc_peer("ipv6:[::1:1", &ip), 0);
}

TEST(NetAddressTest, LimitKeysAreTheIpv4AddressOrTheIpv6Slash64) {
  EXPECT_EQ(Key(Ip("192.0.2.1")), "192.0.2.1");
  EXPECT_EQ(Key(Ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
  EXPECT_EQ(Key(Ip("2001:db8:1:2:bbbb::9")), "2001:db8:1:2::/64");
  char peer[NU_IP_TEXT_MAX + 8];
  nu_ip v6 = Ip("2001:db8::1");
  nu_ip_format_peer(&v6, peer);
  EXPECT_STREQ(peer, "ipv6:[2001:db8::1]");
}

TEST(NetAddressTest, CidrListsMatchIpv4AndIpv6Blocks) {
  nu_cidr_list l = List(" 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,::1, 172.16.0.0/12");
  EXPECT_EQ(l.n, 5u);
  nu_ip a = Ip("10.200.3.4"), b = Ip("11.0.0.1"), c = Ip("192.0.2.7"), d = Ip("192.0.2.8");
  nu_ip e = Ip("2001:db8:ffff::1"), f = Ip("2001:db9::1"), g = Ip("::1"), h = Ip("172.31.255.255");
  nu_ip i = Ip("172.32.0.0"), mapped = Ip("::ffff:10.1.1.1");
  EXPECT_TRUE(nu_cidr_list_contains(&l, &a));
  EXPECT_FALSE(nu_cidr_list_contains(&l, &b));
  EXPECT_TRUE(nu_cidr_list_contains(&l, &c));
  EXPECT_FALSE(nu_cidr_list_contains(&l, &d));
  EXPECT_TRUE(nu_cidr_list_contains(&l, &e));
  EXPECT_FALSE(nu_cidr_list_contains(&l, &f));
  EXPECT_TRUE(nu_cidr_list_contains(&l, &g));
  EXPECT_TRUE(nu_cidr_list_contains(&l, &h));
  EXPECT_FALSE(nu_cidr_list_contains(&l, &i));
  EXPECT_TRUE(nu_cidr_list_contains(&l, &mapped));
  // /0 matches its whole family only.
  nu_cidr_list any4 = List("0.0.0.0/0");
  EXPECT_TRUE(nu_cidr_list_contains(&any4, &b));
  EXPECT_FALSE(nu_cidr_list_contains(&any4, &g));
  // Empty lists trust nobody.
  nu_cidr_list none = List("");
  EXPECT_EQ(none.n, 0u);
  EXPECT_FALSE(nu_cidr_list_contains(&none, &a));
  EXPECT_FALSE(nu_cidr_list_contains(nullptr, &a));
  EXPECT_EQ(List(nullptr).n, 0u);
}

TEST(NetAddressTest, BadCidrListsAreRefusedWithAReason) {
  for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "example.org",
                          "10.0.0.1,,10.0.0.2", "10.0.0.1,", "1.2.3.4/8/9", "10.0.0.0/-1"}) {
    nu_cidr_list l;
    const char* why = nullptr;
    EXPECT_NE(nu_cidr_list_parse(bad, &l, &why), 0) << bad;
    EXPECT_NE(why, nullptr) << bad;
  }
}

TEST(NetAddressTest, ForwardedForIsReadOnlyFromTrustedPeers) {
  nu_cidr_list trusted = List("127.0.0.1, 10.0.0.0/8");
  bool fwd = false;
  // An untrusted peer's header is ignored: a client cannot pick its address.
  EXPECT_EQ(Client("192.0.2.50", "203.0.113.7", trusted, &fwd), "192.0.2.50");
  EXPECT_FALSE(fwd);
  // A trusted peer: the right-most entry that is not a trusted proxy.
  EXPECT_EQ(Client("127.0.0.1", "203.0.113.7", trusted, &fwd), "203.0.113.7");
  EXPECT_TRUE(fwd);
  EXPECT_EQ(Client("127.0.0.1", "198.51.100.1, 203.0.113.7, 10.1.2.3", trusted), "203.0.113.7");
  // What the client wrote left of it proves nothing.
  EXPECT_EQ(Client("127.0.0.1", "1.1.1.1,203.0.113.7", trusted), "203.0.113.7");
  // Every hop trusted: the left-most.
  EXPECT_EQ(Client("127.0.0.1", "10.0.0.2, 10.0.0.3", trusted), "10.0.0.2");
  // IPv6 entries.
  EXPECT_EQ(Client("127.0.0.1", " 2001:db8::5 ", trusted), "2001:db8::5");
  // No header, or an empty one: the peer.
  EXPECT_EQ(Client("127.0.0.1", nullptr, trusted, &fwd), "127.0.0.1");
  EXPECT_FALSE(fwd);
  EXPECT_EQ(Client("127.0.0.1", "", trusted), "127.0.0.1");
  // A malformed entry ends the walk at the last address read.
  EXPECT_EQ(Client("127.0.0.1", "203.0.113.7, garbage", trusted, &fwd), "127.0.0.1");
  EXPECT_FALSE(fwd);
  EXPECT_EQ(Client("127.0.0.1", "garbage, 10.0.0.9", trusted), "10.0.0.9");
  EXPECT_EQ(Client("127.0.0.1", "203.0.113.7:5000", trusted), "127.0.0.1");
  EXPECT_EQ(Client("127.0.0.1", "[2001:db8::5]", trusted), "127.0.0.1");
  EXPECT_EQ(Client("127.0.0.1", ",", trusted), "127.0.0.1");
}

}  // namespace

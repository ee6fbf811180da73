/*
 * net_address.h — client addresses: gRPC peer strings, CIDR lists of
 * trusted proxies, and the x-forwarded-for header.
 *
 * The effective client of a call is the direct peer, unless that peer is a
 * trusted proxy: then it is the right-most x-forwarded-for entry that is
 * not itself a trusted proxy (each proxy appends the address it saw, so
 * what lies left of the first untrusted entry was written by the client
 * and proves nothing). Pure string work: no sockets, no allocation.
 */
#ifndef NU_COMMON_NET_ADDRESS_H
#define NU_COMMON_NET_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An IPv4 or IPv6 address; IPv4-mapped IPv6 addresses (::ffff:a.b.c.d)
 * are kept as IPv4, so one client has one form. */
typedef struct nu_ip {
  int family;        /* 4 or 6 */
  uint8_t bytes[16]; /* 4 or 16 significant bytes, network order */
} nu_ip;

typedef struct nu_cidr {
  nu_ip ip;
  int prefix; /* 0..32 or 0..128 */
} nu_cidr;

#define NU_MAX_TRUSTED_PROXIES 32

typedef struct nu_cidr_list {
  size_t n;
  nu_cidr items[NU_MAX_TRUSTED_PROXIES];
} nu_cidr_list;

/* Room for any address nu_ip_format writes, NUL included. */
#define NU_IP_TEXT_MAX 48

/* Parses a bare address of len bytes ("192.0.2.1", "2001:db8::1"); 0, or
 * -1 when it is not one. */
int nu_ip_parse(const char *text, size_t len, nu_ip *out);

/* The address of a gRPC peer string ("ipv4:192.0.2.1:5000",
 * "ipv6:[2001:db8::1]:5000", percent-encoded or not); 0, or -1 for any
 * other peer (unix sockets, …). */
int nu_ip_from_grpc_peer(const char *peer, nu_ip *out);

/* "192.0.2.1" / "2001:db8::1" into buf (NU_IP_TEXT_MAX bytes). */
void nu_ip_format(const nu_ip *ip, char *buf);

/* The address as a gRPC peer string without a port ("ipv4:192.0.2.1",
 * "ipv6:[2001:db8::1]") into buf (NU_IP_TEXT_MAX + 8 bytes). */
void nu_ip_format_peer(const nu_ip *ip, char *buf);

/* The key a rate limit counts the client under, into buf (NU_IP_TEXT_MAX
 * bytes): the IPv4 address, or the IPv6 /64 prefix ("2001:db8:1:2::/64"),
 * since one IPv6 subscriber is given a whole /64. */
void nu_ip_limit_key(const nu_ip *ip, char *buf);

/* Parses a comma-separated list of addresses and CIDR blocks ("10.0.0.0/8,
 * ::1, 2001:db8::/32"); spaces around entries are ignored, an empty list is
 * valid. Host bits beyond the prefix are ignored. On error returns -1 and
 * a static explanation in *why. */
int nu_cidr_list_parse(const char *text, nu_cidr_list *out, const char **why);

bool nu_cidr_list_contains(const nu_cidr_list *list, const nu_ip *ip);

/* The effective client given the direct peer and the x-forwarded-for value
 * (len bytes, NULL when absent): the peer when it is not trusted or there
 * is no header; else the right-most entry not in trusted (every entry
 * trusted: the left-most). An entry that is not an address ends the walk:
 * the last address read is the client. *forwarded says whether the
 * header was used. */
void nu_ip_effective_client(const nu_ip *peer, const char *xff, size_t len,
                            const nu_cidr_list *trusted, nu_ip *out, bool *forwarded);

#ifdef __cplusplus
}
#endif

#endif

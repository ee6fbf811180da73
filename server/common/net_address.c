/*
 * net_address.c — client addresses, trusted proxies, x-forwarded-for.
 */
#include "server/common/net_address.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

int nu_ip_parse(const char *text, size_t len, nu_ip *out) {
  char buf[64];
  if (text == NULL || len == 0 || len >= sizeof(buf)) return -1;
  memcpy(buf, text, len);
  buf[len] = '\0';
  memset(out, 0, sizeof(*out));
  if (inet_pton(AF_INET, buf, out->bytes) == 1) {
    out->family = 4;
    return 0;
  }
  uint8_t v6[16];
  if (inet_pton(AF_INET6, buf, v6) != 1) return -1;
  if (memcmp(v6, v4_mapped, sizeof(v4_mapped)) == 0) {
    out->family = 4;
    memcpy(out->bytes, v6 + 12, 4);
  } else {
    out->family = 6;
    memcpy(out->bytes, v6, 16);
  }
  return 0;
}

/* Decodes %XX escapes (gRPC percent-encodes peers, e.g. "%5B::1%5D");
 * returns the decoded length, or -1 when it does not fit or is malformed. */
static int unescape(const char *in, char *out, size_t cap) {
  size_t n = 0;
  for (const char *p = in; *p != '\0'; p++) {
    if (n + 1 >= cap) return -1;
    if (*p == '%') {
      char hex[3] = {p[1], p[1] != '\0' ? p[2] : '\0', '\0'};
      char *end = NULL;
      long v = strtol(hex, &end, 16);
      if (hex[0] == '\0' || hex[1] == '\0' || end != hex + 2) return -1;
      out[n++] = (char)v;
      p += 2;
    } else {
      out[n++] = *p;
    }
  }
  out[n] = '\0';
  return (int)n;
}

int nu_ip_from_grpc_peer(const char *peer, nu_ip *out) {
  char buf[128];
  if (peer == NULL || unescape(peer, buf, sizeof(buf)) < 0) return -1;
  if (strncmp(buf, "ipv4:", 5) == 0) {
    const char *host = buf + 5;
    const char *colon = strrchr(host, ':');
    size_t len = colon != NULL ? (size_t)(colon - host) : strlen(host);
    return nu_ip_parse(host, len, out);
  }
  if (strncmp(buf, "ipv6:", 5) == 0) {
    const char *host = buf + 5;
    if (host[0] == '[') {
      const char *close = strchr(host, ']');
      if (close == NULL) return -1;
      /* A zone ("fe80::1%eth0") is not part of the address. */
      const char *zone = memchr(host, '%', (size_t)(close - host));
      const char *end = zone != NULL ? zone : close;
      return nu_ip_parse(host + 1, (size_t)(end - host - 1), out);
    }
    return nu_ip_parse(host, strlen(host), out);
  }
  return -1;
}

void nu_ip_format(const nu_ip *ip, char *buf) {
  if (inet_ntop(ip->family == 4 ? AF_INET : AF_INET6, ip->bytes, buf, NU_IP_TEXT_MAX) == NULL) {
    buf[0] = '\0';
  }
}

void nu_ip_format_peer(const nu_ip *ip, char *buf) {
  char text[NU_IP_TEXT_MAX];
  nu_ip_format(ip, text);
  snprintf(buf, NU_IP_TEXT_MAX + 8, ip->family == 4 ? "ipv4:%s" : "ipv6:[%s]", text);
}

void nu_ip_limit_key(const nu_ip *ip, char *buf) {
  if (ip->family == 4) {
    nu_ip_format(ip, buf);
    return;
  }
  nu_ip net = *ip;
  memset(net.bytes + 8, 0, 8);
  char text[NU_IP_TEXT_MAX];
  nu_ip_format(&net, text);
  /* A /64 prefix prints in at most 21 characters ("xxxx:xxxx:xxxx:xxxx::");
   * the precision tells the compiler the result fits. */
  snprintf(buf, NU_IP_TEXT_MAX, "%.*s/64", NU_IP_TEXT_MAX - 4, text);
}

static bool in_cidr(const nu_cidr *c, const nu_ip *ip) {
  if (c->ip.family != ip->family) return false;
  int full = c->prefix / 8, rest = c->prefix % 8;
  if (memcmp(c->ip.bytes, ip->bytes, (size_t)full) != 0) return false;
  if (rest == 0) return true;
  uint8_t mask = (uint8_t)(0xff << (8 - rest));
  return (c->ip.bytes[full] & mask) == (ip->bytes[full] & mask);
}

bool nu_cidr_list_contains(const nu_cidr_list *list, const nu_ip *ip) {
  if (list == NULL) return false;
  for (size_t i = 0; i < list->n; i++) {
    if (in_cidr(&list->items[i], ip)) return true;
  }
  return false;
}

static bool is_space(char ch) { return ch == ' ' || ch == '\t'; }

/* [*start, *end) without surrounding blanks. */
static void trim(const char **start, const char **end) {
  while (*start < *end && is_space(**start)) (*start)++;
  while (*end > *start && is_space((*end)[-1])) (*end)--;
}

static int parse_cidr(const char *s, const char *e, nu_cidr *out, const char **why) {
  const char *slash = memchr(s, '/', (size_t)(e - s));
  const char *addr_end = slash != NULL ? slash : e;
  if (nu_ip_parse(s, (size_t)(addr_end - s), &out->ip) != 0) {
    *why = "an entry is not an IPv4 or IPv6 address or CIDR block";
    return -1;
  }
  int max = out->ip.family == 4 ? 32 : 128;
  out->prefix = max;
  if (slash != NULL) {
    /* An IPv4-mapped block was written in IPv6 notation: its prefix counts
     * the 96 bits of the mapping. */
    char tmp[64];
    size_t addr_len = (size_t)(slash - s);
    bool mapped_text = out->ip.family == 4 && memchr(s, ':', addr_len) != NULL;
    size_t n = (size_t)(e - slash - 1);
    if (n == 0 || n > 3) {
      *why = "a CIDR prefix length is missing or too long";
      return -1;
    }
    memcpy(tmp, slash + 1, n);
    tmp[n] = '\0';
    char *end = NULL;
    long p = strtol(tmp, &end, 10);
    if (*end != '\0' || p < 0) {
      *why = "a CIDR prefix length is not a number";
      return -1;
    }
    if (mapped_text) p -= 96;
    if (p < 0 || p > max) {
      *why = "a CIDR prefix length is out of range for its address family";
      return -1;
    }
    out->prefix = (int)p;
  }
  return 0;
}

int nu_cidr_list_parse(const char *text, nu_cidr_list *out, const char **why) {
  memset(out, 0, sizeof(*out));
  *why = NULL;
  if (text == NULL) return 0;
  const char *p = text, *stop = text + strlen(text);
  trim(&p, &stop);
  if (p == stop) return 0;
  for (;;) {
    const char *comma = memchr(p, ',', (size_t)(stop - p));
    const char *s = p, *e = comma != NULL ? comma : stop;
    trim(&s, &e);
    if (s == e) {
      *why = "an entry of the list is empty";
      return -1;
    }
    if (out->n == NU_MAX_TRUSTED_PROXIES) {
      *why = "too many entries (at most 32)";
      return -1;
    }
    if (parse_cidr(s, e, &out->items[out->n], why) != 0) return -1;
    out->n++;
    if (comma == NULL) return 0;
    p = comma + 1;
  }
}

void nu_ip_effective_client(const nu_ip *peer, const char *xff, size_t len,
                            const nu_cidr_list *trusted, nu_ip *out, bool *forwarded) {
  *out = *peer;
  *forwarded = false;
  if (xff == NULL || len == 0 || !nu_cidr_list_contains(trusted, peer)) return;
  /* Right to left: each hop vouches for the entry it appended. */
  const char *end = xff + len;
  while (end > xff) {
    const char *start = end;
    while (start > xff && start[-1] != ',') start--;
    const char *s = start, *e = end;
    trim(&s, &e);
    nu_ip hop;
    if (nu_ip_parse(s, (size_t)(e - s), &hop) != 0) return;
    *out = hop;
    *forwarded = true;
    if (!nu_cidr_list_contains(trusted, &hop)) return;
    end = start > xff ? start - 1 : xff;
  }
}

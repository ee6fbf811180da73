// identity_testing.cc — seeds written with libpq, as the server writes them.
#include "tests/identity/identity_testing.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <sstream>

#include "nuage/v1/diagnostics.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"

namespace nuage::testing {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string LevelsLiteral(const Levels& l) {
  std::ostringstream o;
  o << "'{";
  for (size_t i = 0; i < l.size(); i++) o << (i ? "," : "") << l[i];
  o << "}'::smallint[]";
  return o.str();
}

std::string One(const std::string& conninfo, const std::string& sql) {
  auto rows = PgQuery(conninfo, sql);
  if (rows.size() != 1 || rows[0].empty()) {
    ADD_FAILURE() << "expected one row from: " << sql;
    return "";
  }
  return rows[0][0];
}

const char* kNow = "(extract(epoch from clock_timestamp()) * 1000000)::bigint";

}  // namespace

Levels AllLevels(int level) {
  Levels l;
  l.fill(level);
  return l;
}

std::string SeedUser(const std::string& conninfo, const std::string& login, const std::string& email,
                     const std::string& password, bool platform_operator, const std::string& status) {
  if (sodium_init() < 0) ADD_FAILURE() << "sodium_init";
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    ADD_FAILURE() << "crypto_pwhash_str failed";
  }
  return One(conninfo, "INSERT INTO users (login, email, first_name, last_name, status, password_hash,"
                       " platform_operator, email_confirmed_at, terms_accepted_at, created_at, updated_at)"
                       " VALUES (" +
                           Quote(login) + ", " + Quote(email) + ", 'Test', " + Quote(login) + ", " +
                           Quote(status) + ", " + Quote(hash) + ", " + (platform_operator ? "true" : "false") +
                           ", now(), now(), now(), now()) RETURNING id");
}

std::string SeedOrganization(const std::string& conninfo, const std::string& name,
                             const std::string& referent_user_id, bool buyer, bool seller,
                             const std::string& status) {
  std::string id = One(conninfo, "INSERT INTO organizations (name, is_buyer, is_seller, status, referent_user_id,"
                                 " created_at, updated_at) VALUES (" +
                                     Quote(name) + ", " + (buyer ? "true" : "false") + ", " +
                                     (seller ? "true" : "false") + ", " + Quote(status) + ", " +
                                     Quote(referent_user_id) + ", now(), now()) RETURNING id");
  SeedMember(conninfo, id, referent_user_id, AllLevels(2));
  return id;
}

void SeedMember(const std::string& conninfo, const std::string& org_id, const std::string& user_id,
                const Levels& levels) {
  PgQuery(conninfo, "INSERT INTO memberships (organization_id, user_id, levels, created_at, updated_at)"
                    " VALUES (" +
                        Quote(org_id) + ", " + Quote(user_id) + ", " + LevelsLiteral(levels) +
                        ", now(), now()) ON CONFLICT (organization_id, user_id) DO UPDATE"
                        " SET levels = EXCLUDED.levels, version = memberships.version + 1");
}

std::string SeedSession(const std::string& conninfo, const std::string& user_id, const std::string& org_id) {
  if (sodium_init() < 0) ADD_FAILURE() << "sodium_init";
  unsigned char raw[32];
  randombytes_buf(raw, sizeof(raw));
  char b64[64];
  sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  std::string token = std::string("nus_") + b64;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[2 * sizeof(digest) + 1];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  // last_used_at comes from the database clock: a server whose clock was
  // moved forward by more than 24 h would see the session as idle.
  PgQuery(conninfo, std::string("INSERT INTO sessions (token_hash, user_id, organization_id, created_at,"
                                " last_used_at) VALUES (decode('") +
                        hex + "', 'hex'), " + Quote(user_id) + ", " + (org_id.empty() ? "NULL" : Quote(org_id)) +
                        ", nu_ts(" + kNow + "), nu_ts(" + kNow + "))");
  return token;
}

std::string SeedCaller(const std::string& conninfo, const std::string& org_id, const std::string& login,
                       const Levels& levels, std::string* user_id) {
  std::string id = SeedUser(conninfo, login, login + "@example.org", "Correct-Horse-42!");
  SeedMember(conninfo, org_id, id, levels);
  if (user_id != nullptr) *user_id = id;
  return SeedSession(conninfo, id, org_id);
}

void WithBearer(grpc::ClientContext* ctx, const std::string& token) {
  ctx->AddMetadata("authorization", "Bearer " + token);
}

std::string LatestOutbox(const std::string& conninfo, const std::string& recipient, const std::string& tmpl) {
  auto rows = PgQuery(conninfo, "SELECT payload::text FROM outbox WHERE lower(recipient) = lower(" + Quote(recipient) +
                                    ") AND template = " + Quote(tmpl) + " ORDER BY id DESC LIMIT 1");
  return rows.empty() ? "" : rows[0][0];
}

std::string JsonField(const std::string& json, const std::string& key) {
  std::string needle = "\"" + key + "\"";
  size_t at = json.find(needle);
  if (at == std::string::npos) return "";
  at = json.find(':', at + needle.size());
  if (at == std::string::npos) return "";
  at = json.find('"', at);
  if (at == std::string::npos) return "";
  std::string out;
  for (size_t i = at + 1; i < json.size() && json[i] != '"'; i++) {
    if (json[i] == '\\' && i + 1 < json.size()) i++;
    out += json[i];
  }
  return out;
}

std::string TokenFromLink(const std::string& link) {
  size_t at = link.find("token=");
  if (at == std::string::npos) return link;
  std::string rest = link.substr(at + 6);
  return rest.substr(0, rest.find('&'));
}

void AdvanceClock(const std::shared_ptr<grpc::Channel>& channel, int64_t seconds) {
  auto stub = nuage::v1::DiagnosticsService::NewStub(channel);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(5000));
  nuage::v1::AdvanceClockRequest req;
  req.set_seconds(seconds);
  nuage::v1::AdvanceClockResponse resp;
  grpc::Status st = stub->AdvanceClock(&ctx, req, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
}

}  // namespace nuage::testing

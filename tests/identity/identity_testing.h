// identity_testing.h — setting up users, organisations and sessions for
// end-to-end tests of the identity services.
//
// Seeds are written straight into PostgreSQL with the same formats the
// server uses (Argon2id hashes, SHA-256 token digests, level arrays), so a
// test can start from "a validated seller with a manager and a visitor"
// without replaying sign-up. The behaviour under test still goes over gRPC.
#ifndef NUAGE_TESTS_IDENTITY_IDENTITY_TESTING_H
#define NUAGE_TESTS_IDENTITY_IDENTITY_TESTING_H

#include <grpcpp/grpcpp.h>

#include <array>
#include <string>

namespace nuage::testing {

// Levels per section, index 0 = contract … 8 = storefront (nu_section − 1);
// values 0 none, 1 visitor, 2 manager.
using Levels = std::array<int, 9>;
Levels AllLevels(int level);

// A user with an Argon2id hash of password (status active unless given);
// returns its id.
std::string SeedUser(const std::string& conninfo, const std::string& login, const std::string& email,
                     const std::string& password, bool platform_operator = false,
                     const std::string& status = "active");

// An organisation whose referent is referent_user_id, who becomes a member
// with manager on every section. status: pending_validation, validated or
// suspended. Returns its id.
std::string SeedOrganization(const std::string& conninfo, const std::string& name,
                             const std::string& referent_user_id, bool buyer = true, bool seller = false,
                             const std::string& status = "validated");

// Makes user a member of org with levels (insert or replace).
void SeedMember(const std::string& conninfo, const std::string& org_id, const std::string& user_id,
                const Levels& levels);

// A session of user acting for org_id ("" for none); returns its bearer token.
std::string SeedSession(const std::string& conninfo, const std::string& user_id, const std::string& org_id);

// A user, a membership with levels in org_id, and a session acting there:
// the usual "caller" of a test. Returns the token; *user_id gets the id.
std::string SeedCaller(const std::string& conninfo, const std::string& org_id, const std::string& login,
                       const Levels& levels, std::string* user_id = nullptr);

// Adds "authorization: Bearer <token>" to ctx.
void WithBearer(grpc::ClientContext* ctx, const std::string& token);

// The payload (JSON text) of the newest outbox row for recipient and
// template ("" when there is none).
std::string LatestOutbox(const std::string& conninfo, const std::string& recipient, const std::string& tmpl);

// The value of a top-level string field of a flat JSON object ("" if absent).
std::string JsonField(const std::string& json, const std::string& key);

// The link token in a URL of an outbox payload ("…?token=nul_…" → "nul_…").
std::string TokenFromLink(const std::string& link);

// Moves the server's clock forward (the server must run with
// --enable-diagnostics); fails the test on error.
void AdvanceClock(const std::shared_ptr<grpc::Channel>& channel, int64_t seconds);

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_IDENTITY_IDENTITY_TESTING_H

// login_bench.cc — login latency at N concurrent clients (issue 3: p50/p95
// at 50 clients, target p95 <= 250 ms), password only or password + TOTP.
//
//   login_bench --addr HOST:PORT --conninfo CONNINFO --secret-key-file F
//               [--clients 50] [--duration-s 10] [--mode password|totp]
//
// Seeds its own users straight into PostgreSQL (one Argon2id hash at the
// server's interactive level, shared by all; in totp mode a TOTP secret
// sealed with the server's key, as secret_box.h does), then runs `clients`
// threads, each its own channel, each logging in back to back (closed loop)
// for duration-s seconds. In totp mode one login is Login + VerifyLoginCode,
// timed together, and every login uses a user of its own: a code works once
// per 30 s step (replay refusal), so reusing a user would measure refusals.
// Prints p50/p95/p99/max and logins per second. Errors are counted and
// printed; any error makes the exit code 1.
#include <grpcpp/grpcpp.h>
#include <liboath/oath.h>
#include <postgresql/libpq-fe.h>
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "nuage/v1/auth.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr char kPassword[] = "Bench-Password-42!";
constexpr int kUsersPerClientTotp = 64;

struct Options {
  std::string addr, conninfo, key_file, mode = "password";
  int clients = 50;
  int duration_s = 10;
};

[[noreturn]] void Die(const std::string& why) {
  fprintf(stderr, "login_bench: %s\n", why.c_str());
  exit(2);
}

void Exec(PGconn* pg, const std::string& sql) {
  PGresult* r = PQexec(pg, sql.c_str());
  if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
    std::string err = PQerrorMessage(pg);
    PQclear(r);
    Die("seeding: " + err);
  }
  PQclear(r);
}

std::string Hex(const unsigned char* b, size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), b, n);
  out.resize(2 * n);
  return out;
}

std::string Login(int client, int i) {
  char b[64];
  snprintf(b, sizeof(b), "bench.c%03d.u%03d", client, i);
  return b;
}

// Users bench.cNNN.uMMM (password mode: one per client; totp mode:
// kUsersPerClientTotp per client, each with its own secret); returns the
// secrets (raw bytes) by login.
std::map<std::string, std::string> Seed(const Options& o) {
  std::ifstream kf(o.key_file);
  std::string key_hex;
  kf >> key_hex;
  unsigned char key[32];
  size_t key_len = 0;
  if (sodium_hex2bin(key, sizeof(key), key_hex.data(), key_hex.size(), nullptr, &key_len,
                     nullptr) != 0 || key_len != 32) {
    Die("the key file must hold 64 hex digits");
  }
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, kPassword, strlen(kPassword), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    Die("crypto_pwhash_str failed");
  }
  PGconn* pg = PQconnectdb(o.conninfo.c_str());
  if (PQstatus(pg) != CONNECTION_OK) Die(std::string("database: ") + PQerrorMessage(pg));
  Exec(pg, "BEGIN");
  Exec(pg, "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE login LIKE 'bench.%')");
  Exec(pg, "DELETE FROM login_challenges WHERE user_id IN"
           " (SELECT id FROM users WHERE login LIKE 'bench.%')");
  Exec(pg, "DELETE FROM audit_log WHERE target_type = 'user' AND target_id IN"
           " (SELECT id::text FROM users WHERE login LIKE 'bench.%')");
  Exec(pg, "DELETE FROM users WHERE login LIKE 'bench.%'");
  std::map<std::string, std::string> secrets;
  bool totp = o.mode == "totp";
  int per_client = totp ? kUsersPerClientTotp : 1;
  for (int c = 0; c < o.clients; c++) {
    for (int i = 0; i < per_client; i++) {
      std::string login = Login(c, i);
      std::string secret_sql = "NULL";
      if (totp) {
        unsigned char secret[20];
        randombytes_buf(secret, sizeof(secret));
        // nonce || crypto_secretbox_easy(secret): secret_box.h's format.
        unsigned char box[24 + crypto_secretbox_MACBYTES + sizeof(secret)];
        randombytes_buf(box, 24);
        crypto_secretbox_easy(box + 24, secret, sizeof(secret), box, key);
        secret_sql = "'\\x" + Hex(box, sizeof(box)) + "'::bytea";
        secrets[login] = std::string(reinterpret_cast<char*>(secret), sizeof(secret));
      }
      Exec(pg, "INSERT INTO users (login, email, status, password_hash, totp_secret, totp_enabled,"
               " created_at, updated_at) VALUES ('" + login + "', '" + login +
                   "@bench.gouv.fr', 'active', '" + hash + "', " + secret_sql + ", " +
                   (totp ? "true" : "false") + ", now(), now())");
    }
  }
  Exec(pg, "COMMIT");
  PQfinish(pg);
  return secrets;
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--addr") o.addr = v;
    else if (k == "--conninfo") o.conninfo = v;
    else if (k == "--secret-key-file") o.key_file = v;
    else if (k == "--clients") o.clients = atoi(v.c_str());
    else if (k == "--duration-s") o.duration_s = atoi(v.c_str());
    else if (k == "--mode") o.mode = v;
    else Die("unknown flag " + k);
  }
  if (o.addr.empty() || o.conninfo.empty() || o.key_file.empty() || o.clients < 1 ||
      (o.mode != "password" && o.mode != "totp")) {
    Die("usage: login_bench --addr A --conninfo C --secret-key-file F [--clients N]"
        " [--duration-s S] [--mode password|totp]");
  }
  if (sodium_init() < 0 || oath_init() != OATH_OK) Die("library initialisation failed");
  auto secrets = Seed(o);

  std::mutex mu;
  std::vector<double> latencies_ms;
  std::atomic<int> errors{0};
  std::string first_error;
  auto deadline = Clock::now() + std::chrono::seconds(o.duration_s);
  std::vector<std::thread> threads;
  for (int c = 0; c < o.clients; c++) {
    threads.emplace_back([&, c] {
      grpc::ChannelArguments args;
      args.SetInt("grpc.use_local_subchannel_pool", 1);  // one connection per client
      auto stub = nuage::v1::AuthService::NewStub(
          grpc::CreateCustomChannel(o.addr, grpc::InsecureChannelCredentials(), args));
      std::vector<double> mine;
      for (int i = 0; Clock::now() < deadline; i++) {
        if (o.mode == "totp" && i >= kUsersPerClientTotp) break;
        std::string login = Login(c, o.mode == "totp" ? i : 0);
        auto start = Clock::now();
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        nuage::v1::LoginRequest req;
        req.set_login(login);
        req.set_password(kPassword);
        nuage::v1::LoginResponse resp;
        grpc::Status st = stub->Login(&ctx, req, &resp);
        if (st.ok() && o.mode == "totp") {
          const std::string& secret = secrets[login];
          char code[7] = {0};
          oath_totp_generate(secret.data(), secret.size(), static_cast<time_t>(UnixNow()), 30, 0,
                             6, code);
          grpc::ClientContext ctx2;
          ctx2.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
          nuage::v1::VerifyLoginCodeRequest vreq;
          vreq.set_challenge_token(resp.challenge_token());
          vreq.set_code(code);
          st = stub->VerifyLoginCode(&ctx2, vreq, &resp);
        }
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        if (!st.ok() || resp.session_token().empty()) {
          if (errors++ == 0) {
            std::lock_guard<std::mutex> l(mu);
            first_error = std::to_string(st.error_code()) + ": " + st.error_message();
          }
          continue;
        }
        mine.push_back(ms);
      }
      std::lock_guard<std::mutex> l(mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  auto t0 = Clock::now();
  for (auto& t : threads) t.join();
  double elapsed_s = std::chrono::duration<double>(Clock::now() - t0).count();

  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto pct = [&](double p) {
    if (latencies_ms.empty()) return 0.0;
    size_t i = static_cast<size_t>(p * (latencies_ms.size() - 1) + 0.5);
    return latencies_ms[i];
  };
  printf("mode %s, %d clients, %.1f s: %zu logins (%.1f/s), %d errors\n", o.mode.c_str(),
         o.clients, elapsed_s, latencies_ms.size(), latencies_ms.size() / elapsed_s,
         errors.load());
  printf("latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f   (target p95 <= 250)\n", pct(0.50),
         pct(0.95), pct(0.99), latencies_ms.empty() ? 0.0 : latencies_ms.back());
  if (errors > 0) printf("first error: %s\n", first_error.c_str());
  return errors > 0 ? 1 : 0;
}

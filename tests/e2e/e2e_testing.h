// e2e_testing.h — helpers shared by the end-to-end tests.
//
// The tests talk to a real nuage-server (tests/support/server_process.h)
// over a loopback port, through the C++ stubs generated from the same
// .proto files, and look at PostgreSQL with libpq. Nothing is mocked.
#ifndef NUAGE_TESTS_E2E_E2E_TESTING_H
#define NUAGE_TESTS_E2E_E2E_TESTING_H

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace nuage::testing {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// An insecure channel to address, without the client's transparent retries
// (a test must see what the server answered, not a retry of it), and with
// no client-side limit on what it sends.
std::shared_ptr<grpc::Channel> Connect(const std::string& address);

// Sets ctx's deadline to now + ms.
void SetDeadline(grpc::ClientContext* ctx, milliseconds ms);

// Milliseconds since start, for timing assertions.
int64_t MsSince(Clock::time_point start);

// "CODE: message" of a status, for failure messages.
std::string Describe(const grpc::Status& st);

// The google.rpc.Status the server sent in grpc-status-details-bin; nullopt
// (with a gtest failure) when absent or not parseable.
std::optional<google::rpc::Status> StatusDetails(const grpc::Status& st);

// The ErrorInfo / BadRequest among a google.rpc.Status's details, if any.
std::optional<google::rpc::ErrorInfo> FindErrorInfo(const google::rpc::Status& st);
std::optional<google::rpc::BadRequest> FindBadRequest(const google::rpc::Status& st);

// A unary call of path with raw request bytes through grpc::GenericStub;
// the reply's bytes go to *reply when given. For requests the generated
// stubs cannot express (garbage, unknown methods).
grpc::Status RawUnary(const std::shared_ptr<grpc::Channel>& channel, const std::string& path, const std::string& request,
                      grpc::ClientContext* ctx, std::string* reply = nullptr);

// Health/Check of service with a 5 s deadline. Returns the RPC's status;
// the serving status goes to *serving on OK.
grpc::Status HealthCheck(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         grpc::health::v1::HealthCheckResponse::ServingStatus* serving);

// One line of the server's JSON log, fields flattened to strings (numbers
// in their JSON text form, null as "null").
using LogLine = std::map<std::string, std::string>;

// Parses every line of log; a line that is not a JSON object fails the test.
std::vector<LogLine> ParseLog(const std::string& log);

// Polls read_log (up to timeout) until a line matches; returns it. The
// server logs an RPC when its last batch completes, a moment after the
// client has its answer.
std::optional<LogLine> AwaitLogLine(const std::function<std::string()>& read_log,
                                    const std::function<bool(const LogLine&)>& match,
                                    milliseconds timeout = milliseconds(5000));

// Runs sql on a short-lived libpq connection; returns every row, each
// column as text (none for a command without RETURNING). A failed
// statement fails the test and returns no row.
std::vector<std::vector<std::string>> PgQuery(const std::string& conninfo, const std::string& sql);

// Polls cond every 20 ms until it is true or timeout passes; returns the
// last value.
bool Eventually(const std::function<bool()>& cond, milliseconds timeout);

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_E2E_E2E_TESTING_H

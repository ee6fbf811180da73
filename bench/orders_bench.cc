// orders_bench.cc — the client side of bench/provisioning_bench.sh and
// bench/orders_list_bench.sh: N clients in a closed loop for a while, each
// on its own connection; prints one line of key=value pairs (rate and
// latency percentiles) for the scripts to compare. Bearers are read from a
// file ("<key id>:<secret>", an access key) and never printed.
//
//   orders_bench --addr HOST:PORT --bearer-file F --mode create --product ID --plan ID [--count N]
//       places N orders through CreateOrder (the seed's templates); prints their ids
//   orders_bench --addr HOST:PORT --bearer-file F --mode report --lines FILE [--deliver 0|1]
//                [--batch 100] [--clients N] [--duration-s S]
//       ReportProvisioning batches on the lines of FILE (one line id per line):
//       deliver=0, every report IN_PROGRESS, going round the lines again (new
//       event ids, later times) when they are used up; deliver=1,
//       half IN_PROGRESS on fresh lines, half DELIVERED (quantity 1, access details)
//       on the lines this client reported in progress in its previous batch
//   orders_bench --addr HOST:PORT --bearer-file F --mode list --page first|deep|query
//                [--deep-pages D] [--query Q] [--page-size 50] [--clients N] [--duration-s S]
//       ListOrders of the caller's organisation: the first page, page D+1 (its
//       token found once by walking D pages, then asked again and again), or
//       the first page of a query
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "nuage/v1/order.grpc.pb.h"
#include "nuage/v1/provisioning.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string addr, bearer_file, mode, lines_file, product, plan, page = "first", query;
  int clients = 2, duration_s = 10, batch = 100, deliver = 1, deep_pages = 20, page_size = 50;
  int count = 3;
};

int Usage(const char* why) {
  fprintf(stderr,
          "orders_bench: %s\nusage: orders_bench --addr HOST:PORT --bearer-file F"
          " --mode create|report|list [options] (see orders_bench.cc)\n",
          why);
  return 2;
}

std::string ReadFirstLine(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  return line;
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& bearer) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  ctx->AddMetadata("authorization", "Bearer " + bearer);
  return ctx;
}

std::shared_ptr<grpc::Channel> Channel(const std::string& addr) {
  // One channel per client: its own HTTP/2 connection, as separate
  // backends would have.
  grpc::ChannelArguments args;
  args.SetInt("grpc.use_local_subchannel_pool", 1);
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(addr, grpc::InsecureChannelCredentials(), args);
}

std::string Describe(const grpc::Status& st) {
  return std::to_string(st.error_code()) + ": " + st.error_message();
}

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SetTime(google::protobuf::Timestamp* t, int64_t us) {
  t->set_seconds(us / 1000000);
  t->set_nanos(static_cast<int32_t>(us % 1000000) * 1000);
}

// What every mode shares: the clients' latencies and the first error.
struct Run {
  std::atomic<bool> stop{false};
  std::atomic<long> errors{0};
  std::mutex mu;
  std::string first_error;
  std::vector<std::vector<double>> lat;

  void Fail(const std::string& what) {
    if (errors++ == 0) {
      std::lock_guard<std::mutex> l(mu);
      first_error = what;
    }
  }
};

int Create(const Options& o, const std::string& bearer) {
  auto stub = nuage::v1::OrderService::NewStub(Channel(o.addr));
  for (int i = 0; i < o.count; i++) {
    nuage::v1::CreateOrderRequest req;
    auto* it = req.add_items();
    it->set_product_id(o.product);
    it->set_plan_id(o.plan);
    it->set_region("cloudgouv-eu-west-1");
    it->set_quantity(1);
    it->set_duration_months(12);
    req.set_purchase_order_reference("EJ-2026-" + std::to_string(9000 + i));
    req.set_service_code("SERV-DSI");
    req.mutable_contact()->set_name("Camille Durand");
    req.mutable_contact()->set_email("camille.durand@ministere-bench.gouv.fr");
    req.mutable_contact()->set_phone("01 42 75 80 00");
    req.set_request_id("bench-create-" + std::to_string(i));
    nuage::v1::Order out;
    grpc::Status st = stub->CreateOrder(Ctx(bearer).get(), req, &out);
    if (!st.ok()) {
      fprintf(stderr, "orders_bench: CreateOrder: %s\n", Describe(st).c_str());
      return 1;
    }
    printf("%s\n", out.id().c_str());
  }
  return 0;
}

// One client of report mode: takes lines from the shared list, each once.
void ReportClient(const Options& o, const std::string& bearer, const std::vector<std::string>& lines,
                  std::atomic<size_t>* next, Run* run, int c, std::atomic<long>* reports) {
  auto stub = nuage::v1::ProvisioningService::NewStub(Channel(o.addr));
  std::vector<std::string> in_progress;  // this client's lines of the previous batch
  size_t fresh_per_batch = o.deliver ? o.batch / 2 : o.batch;
  for (long b = 0; !run->stop; b++) {
    size_t from = next->fetch_add(fresh_per_batch);
    // In progress only, the lines come round again (a later progress
    // report, with a new event id); a delivery needs a fresh line.
    size_t pass = o.deliver ? 0 : from / lines.size();
    if (!o.deliver) from %= lines.size();
    if (from + fresh_per_batch > lines.size()) {
      if (o.deliver) {
        run->Fail("out of lines: seed more orders or shorten the run");
        return;
      }
      from = 0;  // the tail of a pass too short for a batch: start the next
      pass++;
    }
    nuage::v1::ReportProvisioningRequest req;
    int64_t now = NowUs();
    for (size_t k = 0; k < fresh_per_batch; k++) {
      auto* r = req.add_reports();
      r->set_event_id("ip-" + std::to_string(pass) + "-" + lines[from + k]);
      SetTime(r->mutable_event_time(), now);
      r->set_line_id(lines[from + k]);
      r->set_state(nuage::v1::LINE_PROVISIONING_IN_PROGRESS);
      SetTime(r->mutable_expected_delivery_time(), now + 3600 * int64_t{1000000});
    }
    for (const auto& line : in_progress) {
      auto* r = req.add_reports();
      r->set_event_id("dl-" + line);
      SetTime(r->mutable_event_time(), now);
      r->set_line_id(line);
      r->set_state(nuage::v1::LINE_PROVISIONING_DELIVERED);
      r->set_quantity_delivered(1);
      r->set_access_details("ssh admin@10.0.0.1 -p 22 (key in the vault, ref " + line.substr(0, 8) +
                            ")");
    }
    in_progress.clear();
    if (o.deliver) in_progress.assign(lines.begin() + from, lines.begin() + from + fresh_per_batch);
    nuage::v1::ReportProvisioningResponse resp;
    auto t0 = Clock::now();
    grpc::Status st = stub->ReportProvisioning(Ctx(bearer).get(), req, &resp);
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (!st.ok()) {
      run->Fail(Describe(st));
      continue;
    }
    for (const auto& res : resp.results()) {
      if (res.outcome() != nuage::v1::REPORT_OUTCOME_APPLIED) {
        run->Fail("report " + res.event_id() + " not applied: " +
                  nuage::v1::ReportOutcome_Name(res.outcome()) + " " + res.error().reason() + " " +
                  res.error().message());
      }
    }
    run->lat[c].push_back(ms);
    *reports += req.reports_size();
  }
}

// The request of list mode; for page deep, the token of page D+1.
nuage::v1::ListOrdersRequest ListRequest(const Options& o, const std::string& token) {
  nuage::v1::ListOrdersRequest req;
  req.set_page_size(o.page_size);
  if (o.page == "query") req.set_query(o.query);
  req.set_page_token(token);
  return req;
}

void ListClient(const Options& o, const std::string& bearer, const std::string& token, Run* run,
                int c, std::atomic<long>* orders) {
  auto stub = nuage::v1::OrderService::NewStub(Channel(o.addr));
  while (!run->stop) {
    nuage::v1::ListOrdersResponse resp;
    auto t0 = Clock::now();
    grpc::Status st = stub->ListOrders(Ctx(bearer).get(), ListRequest(o, token), &resp);
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (!st.ok()) {
      run->Fail(Describe(st));
      continue;
    }
    if (resp.orders_size() == 0) run->Fail("an empty page");
    run->lat[c].push_back(ms);
    *orders += resp.orders_size();
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--addr") o.addr = v;
    else if (k == "--bearer-file") o.bearer_file = v;
    else if (k == "--mode") o.mode = v;
    else if (k == "--lines") o.lines_file = v;
    else if (k == "--product") o.product = v;
    else if (k == "--plan") o.plan = v;
    else if (k == "--count") o.count = std::stoi(v);
    else if (k == "--deliver") o.deliver = std::stoi(v);
    else if (k == "--batch") o.batch = std::stoi(v);
    else if (k == "--clients") o.clients = std::stoi(v);
    else if (k == "--duration-s") o.duration_s = std::stoi(v);
    else if (k == "--page") o.page = v;
    else if (k == "--deep-pages") o.deep_pages = std::stoi(v);
    else if (k == "--query") o.query = v;
    else if (k == "--page-size") o.page_size = std::stoi(v);
    else return Usage(("unknown option " + k).c_str());
  }
  std::string bearer = ReadFirstLine(o.bearer_file);
  if (o.addr.empty() || bearer.empty()) return Usage("--addr and --bearer-file are required");
  if (o.mode == "create") return Create(o, bearer);
  if (o.mode != "report" && o.mode != "list") return Usage("bad --mode");

  std::vector<std::string> lines;
  std::string token;
  if (o.mode == "report") {
    std::ifstream f(o.lines_file);
    for (std::string line; std::getline(f, line);) {
      if (!line.empty()) lines.push_back(line);
    }
    if (lines.empty()) return Usage("report needs --lines FILE with order line ids");
    if (o.batch < 2 || o.batch > 1000) return Usage("--batch must be 2..1000");
  } else if (o.page == "deep") {
    // Walk to page D+1 once; every call then asks for that page again.
    auto stub = nuage::v1::OrderService::NewStub(Channel(o.addr));
    for (int p = 0; p < o.deep_pages; p++) {
      nuage::v1::ListOrdersResponse resp;
      grpc::Status st = stub->ListOrders(Ctx(bearer).get(), ListRequest(o, token), &resp);
      if (!st.ok()) return fprintf(stderr, "orders_bench: walking pages: %s\n", Describe(st).c_str()), 1;
      token = resp.next_page_token();
      if (token.empty()) return fprintf(stderr, "orders_bench: fewer than %d pages\n", o.deep_pages + 1), 1;
    }
  } else if (o.page != "first" && o.page != "query") {
    return Usage("--page must be first, deep or query");
  }

  Run run;
  run.lat.resize(o.clients);
  std::atomic<size_t> next{0};
  std::atomic<long> items{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < o.clients; c++) {
    threads.emplace_back([&, c] {
      if (o.mode == "report") {
        ReportClient(o, bearer, lines, &next, &run, c, &items);
      } else {
        ListClient(o, bearer, token, &run, c, &items);
      }
    });
  }
  auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(o.duration_s));
  run.stop = true;
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> all;
  for (auto& v : run.lat) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double q) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, size_t(q * all.size()))];
  };
  printf("mode=%s%s clients=%d calls=%zu calls_per_s=%.1f %s_per_s=%.1f p50_ms=%.2f p95_ms=%.2f"
         " max_ms=%.2f errors=%ld\n",
         o.mode.c_str(),
         o.mode == "report" ? (o.deliver ? "/deliver" : "/in_progress") : ("/" + o.page).c_str(),
         o.clients, all.size(), all.size() / secs, o.mode == "report" ? "reports" : "orders",
         items.load() / secs, pct(0.50), pct(0.95), all.empty() ? 0.0 : all.back(),
         run.errors.load());
  if (run.errors > 0) fprintf(stderr, "orders_bench: first error: %s\n", run.first_error.c_str());
  return run.errors > 0 ? 1 : 0;
}

// catalog_bench.cc — catalogue browsing throughput and latency: N clients
// call ListProducts (a page of 50 with one filter) or GetProduct (by code, at random
// from a file of codes) in a closed loop for a while;
// prints calls/s and latency percentiles as one line of key=value pairs
// for bench/catalog_bench.sh to compare.
//
//   catalog_bench --addr HOST:PORT --mode list|get --clients N --duration-s S
//                 [--codes FILE]   (get: one product code per line)
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "nuage/v1/catalog.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string addr;
  std::string mode = "list";
  int clients = 8;
  int duration_s = 10;
  std::string ids_file;
};

int Usage(const char* why) {
  fprintf(stderr, "catalog_bench: %s\nusage: catalog_bench --addr HOST:PORT --mode list|get"
                  " [--clients N] [--duration-s S] [--codes FILE]\n", why);
  return 2;
}

// The calls of list mode: a page of 50 of published products with one
// filter, by name; the filter rotates over certifications so the server
// cannot answer from one cached plan of one value.
nuage::v1::ListProductsRequest ListRequest(int i) {
  static const nuage::v1::Certification certs[] = {
      nuage::v1::CERTIFICATION_HDS, nuage::v1::CERTIFICATION_SECNUMCLOUD,
      nuage::v1::CERTIFICATION_ISO_27001, nuage::v1::CERTIFICATION_PCI_DSS};
  nuage::v1::ListProductsRequest req;
  req.set_page_size(50);
  req.set_sort(nuage::v1::PRODUCT_SORT_NAME);
  req.add_certifications(certs[i % 4]);
  return req;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--addr") o.addr = v;
    else if (k == "--mode") o.mode = v;
    else if (k == "--clients") o.clients = std::stoi(v);
    else if (k == "--duration-s") o.duration_s = std::stoi(v);
    else if (k == "--codes") o.ids_file = v;
    else return Usage(("unknown option " + k).c_str());
  }
  if (o.addr.empty() || (o.mode != "list" && o.mode != "get")) return Usage("bad options");
  std::vector<std::string> ids;
  if (o.mode == "get") {
    std::ifstream f(o.ids_file);
    for (std::string line; std::getline(f, line);) {
      if (!line.empty()) ids.push_back(line);
    }
    if (ids.empty()) return Usage("get needs --codes FILE with product codes");
  }

  // One channel per client: each gets its own HTTP/2 connection, as
  // separate clients would.
  std::atomic<bool> stop{false};
  std::atomic<long> errors{0};
  std::mutex mu;
  std::string first_error;
  std::vector<std::vector<double>> lat(o.clients);
  std::vector<std::thread> threads;
  for (int c = 0; c < o.clients; c++) {
    threads.emplace_back([&, c] {
      grpc::ChannelArguments args;
      args.SetInt("grpc.use_local_subchannel_pool", 1);
      auto ch = grpc::CreateCustomChannel(o.addr, grpc::InsecureChannelCredentials(), args);
      auto stub = nuage::v1::CatalogService::NewStub(ch);
      std::mt19937_64 rng(c * 7919 + 1);
      for (int i = 0; !stop; i++) {
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
        grpc::Status st;
        auto t0 = Clock::now();
        if (o.mode == "list") {
          nuage::v1::ListProductsResponse resp;
          st = stub->ListProducts(&ctx, ListRequest(i + c), &resp);
        } else {
          nuage::v1::GetProductRequest req;
          req.set_code(ids[rng() % ids.size()]);
          nuage::v1::Product p;
          st = stub->GetProduct(&ctx, req, &p);
        }
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (!st.ok()) {
          if (errors++ == 0) {
            std::lock_guard<std::mutex> l(mu);
            first_error = std::to_string(st.error_code()) + ": " + st.error_message();
          }
          continue;
        }
        lat[c].push_back(ms);
      }
    });
  }
  auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(o.duration_s));
  stop = true;
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double q) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, size_t(q * all.size()))];
  };
  printf("mode=%s clients=%d calls=%zu rate=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%ld\n",
         o.mode.c_str(), o.clients, all.size(), all.size() / secs, pct(0.50), pct(0.99),
         all.empty() ? 0.0 : all.back(), errors.load());
  if (errors > 0) fprintf(stderr, "first error: %s\n", first_error.c_str());
  return errors > 0 ? 1 : 0;
}

// pdf_testing.cc — see pdf_testing.h.
#include "tests/documents/pdf_testing.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace nu_testing {

namespace {

// Runs cmd (no shell metacharacters from outside: paths are ours) and
// returns its standard output, or false.
bool Run(const std::string& cmd, std::string* out) {
  FILE* f = popen(cmd.c_str(), "r");
  if (f == nullptr) return false;
  char buf[4096];
  size_t n;
  out->clear();
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
  return pclose(f) == 0;
}

}  // namespace

PdfText ReadPdf(const unsigned char* data, size_t len, const std::string& name) {
  PdfText r;
  const char* dir = getenv("TEST_TMPDIR");
  std::string path = std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
  {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(len));
    if (!f) {
      r.error = "cannot write " + path;
      return r;
    }
  }
  if (!Run("pdftotext -layout -enc UTF-8 '" + path + "' - 2>/dev/null", &r.text)) {
    r.error = "pdftotext failed: " + r.text;
    return r;
  }
  std::string info;
  if (!Run("pdfinfo '" + path + "' 2>&1", &info)) {
    r.error = "pdfinfo failed: " + info;
    return r;
  }
  size_t at = info.find("Pages:");
  if (at == std::string::npos) {
    r.error = "pdfinfo printed no page count: " + info;
    return r;
  }
  r.page_count = atoi(info.c_str() + at + 6);
  std::string page;
  for (char c : r.text) {
    if (c == '\f') {
      r.pages.push_back(page);
      page.clear();
    } else {
      page += c;
    }
  }
  if (!page.empty()) r.pages.push_back(page);
  r.ok = true;
  return r;
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

int EndColumn(const std::string& text, const std::string& needle) {
  for (const std::string& line : Lines(text)) {
    size_t at = line.find(needle);
    if (at == std::string::npos) continue;
    int col = 0;
    for (size_t i = 0; i < at + needle.size(); i++) {
      if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) col++;
    }
    return col;
  }
  return -1;
}

int Count(const std::string& s, const std::string& needle) {
  int n = 0;
  for (size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) n++;
  return n;
}

}  // namespace nu_testing

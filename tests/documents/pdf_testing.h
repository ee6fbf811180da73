// pdf_testing.h — reading rendered PDFs back with poppler's pdftotext and
// pdfinfo (from PATH), for the documents tests.
#ifndef NU_TESTS_DOCUMENTS_PDF_TESTING_H
#define NU_TESTS_DOCUMENTS_PDF_TESTING_H

#include <string>
#include <vector>

namespace nu_testing {

// What poppler reads in a PDF.
struct PdfText {
  bool ok = false;
  std::string error;               // why not ok
  std::string text;                // pdftotext -layout, pages separated by \f
  std::vector<std::string> pages;  // text split at \f
  int page_count = 0;              // pdfinfo's "Pages:"
};

// Writes data to a file of TEST_TMPDIR named `name` and reads it back.
PdfText ReadPdf(const unsigned char* data, size_t len, const std::string& name);

// The lines of s.
std::vector<std::string> Lines(const std::string& s);

// The display column (in characters, not bytes) where `needle` ends on the
// first line of `text` containing it, or -1.
int EndColumn(const std::string& text, const std::string& needle);

// Occurrences of needle in s.
int Count(const std::string& s, const std::string& needle);

}  // namespace nu_testing

#endif

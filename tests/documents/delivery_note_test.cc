// delivery_note_test.cc — a delivery note with French text and a table
// long enough for three pages, read back with pdftotext: the text, the
// accents, the page count, the header on every page, "Page x/y", and the
// quantities right-aligned.
#include "server/documents/delivery_note.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/documents/pdf_testing.h"

namespace {

using nu_testing::Count;
using nu_testing::EndColumn;
using nu_testing::ReadPdf;

struct Note {
  std::vector<std::string> codes, names;
  std::vector<nu_delivery_note_line> lines;
  nu_delivery_note note{};
};

// A note of n lines; quantities 1, 22, 333, 4444, 1, … so alignment shows.
void Make(Note* n, size_t count) {
  static const int64_t qty[] = {1, 22, 333, 4444};
  for (size_t i = 0; i < count; i++) {
    n->codes.push_back("VM-" + std::to_string(1000 + i));
    n->names.push_back("Instance réservée n°" + std::to_string(i + 1) + " — région Île-de-France");
  }
  for (size_t i = 0; i < count; i++) {
    nu_delivery_note_line l{};
    l.product_code = n->codes[i].c_str();
    l.designation = n->names[i].c_str();
    l.quantity_delivered = qty[i % 4];
    l.delivered_on = nu_date{2027, 12, static_cast<int32_t>(1 + i % 28)};
    n->lines.push_back(l);
  }
  n->note.number = "BL000007";
  n->note.date = nu_date{2027, 12, 31};
  n->note.order_number = "CC000042";
  n->note.buyer_name = "Ministère de l'Économie";
  n->note.purchase_order_ref = "EJ-2027-0001234";
  n->note.service_code = "SERV-FIN-75";
  n->note.provider_name = "Hébergeur Souverain SAS (offre à 9,99 €)";
  n->note.lines = n->lines.data();
  n->note.n_lines = n->lines.size();
}

class DeliveryNoteTest : public ::testing::Test {
 protected:
  void SetUp() override { arena_ = nu_arena_new(); }
  void TearDown() override { nu_arena_free(arena_); }
  nu_arena* arena_ = nullptr;
};

TEST_F(DeliveryNoteTest, ThreePagesReadBack) {
  Note n;
  Make(&n, 130);
  nu_pdf_bytes pdf{};
  nu_pdf_error err{};
  ASSERT_EQ(nu_delivery_note_render(&n.note, nullptr, arena_, &pdf, &err), 0) << err.message;
  ASSERT_GT(pdf.len, 1000u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(pdf.data), 5), "%PDF-");

  auto r = ReadPdf(pdf.data, pdf.len, "delivery_note.pdf");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.page_count, 3);
  ASSERT_EQ(r.pages.size(), 3u);
  const std::string& t = r.text;
  EXPECT_NE(t.find("Bon de livraison BL000007"), std::string::npos) << t;
  EXPECT_NE(t.find("CC000042"), std::string::npos);
  EXPECT_NE(t.find("Ministère de l'Économie"), std::string::npos);
  EXPECT_NE(t.find("EJ-2027-0001234"), std::string::npos);
  EXPECT_NE(t.find("SERV-FIN-75"), std::string::npos);
  EXPECT_NE(t.find("Hébergeur Souverain SAS (offre à 9,99 €)"), std::string::npos);
  EXPECT_NE(t.find("31/12/2027"), std::string::npos);
  EXPECT_NE(t.find("Lignes livrées"), std::string::npos);
  // Every line, once; the header on each page; the footer on each page.
  for (size_t i = 0; i < 130; i++) {
    EXPECT_EQ(Count(t, n.codes[i] + " "), 1) << n.codes[i];
  }
  EXPECT_NE(t.find("région Île-de-France"), std::string::npos);
  for (int p = 0; p < 3; p++) {
    SCOPED_TRACE(p);
    const std::string& page = r.pages[p];
    EXPECT_EQ(Count(page, "Code produit"), 1);
    EXPECT_EQ(Count(page, "Quantité livrée"), 1);
    EXPECT_NE(page.find("Page " + std::to_string(p + 1) + "/3"), std::string::npos);
    EXPECT_NE(page.find("Bon de livraison BL000007 — commande CC000042"), std::string::npos);
  }
  // Quantities are right-aligned: "1", "22", "333" and "4444" end in the
  // same column (give or take one: pdftotext places by glyph positions).
  int one = EndColumn(t, "VM-1000 ");
  ASSERT_GT(one, 0);
  std::vector<int> ends;
  for (size_t i = 0; i < 4; i++) {
    std::string row;
    for (const std::string& line : nu_testing::Lines(t)) {
      if (line.find(n.codes[i] + " ") != std::string::npos) row = line;
    }
    ASSERT_FALSE(row.empty());
    std::string q = std::to_string(n.lines[i].quantity_delivered);
    size_t at = row.find(" " + q + " ", row.find("France"));
    ASSERT_NE(at, std::string::npos) << row;
    ends.push_back(EndColumn(row, " " + q + " ") - 1);
  }
  for (int e : ends) EXPECT_NEAR(e, ends[0], 1) << t;
}

TEST_F(DeliveryNoteTest, RefusesBadNumbersDatesAndEmptyNotes) {
  Note n;
  Make(&n, 2);
  nu_pdf_bytes pdf{};
  nu_pdf_error err{};
  n.note.number = "BL7";
  EXPECT_EQ(nu_delivery_note_render(&n.note, nullptr, arena_, &pdf, &err), -1);
  EXPECT_STREQ(err.message, "the delivery note number is not BL and 6 digits");
  n.note.number = "BL000007";
  n.note.order_number = "BL000042";
  EXPECT_EQ(nu_delivery_note_render(&n.note, nullptr, arena_, &pdf, &err), -1);
  EXPECT_STREQ(err.message, "the order number is not CC and 6 digits");
  n.note.order_number = "CC000042";
  n.note.date = nu_date{2027, 2, 29};
  EXPECT_EQ(nu_delivery_note_render(&n.note, nullptr, arena_, &pdf, &err), -1);
  n.note.date = nu_date{2027, 2, 28};
  n.lines[1].delivered_on = nu_date{2027, 4, 31};
  EXPECT_EQ(nu_delivery_note_render(&n.note, nullptr, arena_, &pdf, &err), -1);
  EXPECT_STREQ(err.message, "a delivered line's date is not a date");
  n.note.n_lines = 0;
  EXPECT_EQ(nu_delivery_note_render(&n.note, nullptr, arena_, &pdf, &err), -1);
  EXPECT_STREQ(err.message, "a delivery note needs a line");
  EXPECT_EQ(nu_delivery_note_render(nullptr, nullptr, arena_, &pdf, &err), -1);
}

TEST_F(DeliveryNoteTest, OptionalReferencesPrintADash) {
  Note n;
  Make(&n, 1);
  n.note.purchase_order_ref = nullptr;
  n.note.service_code = "";
  nu_pdf_bytes pdf{};
  nu_pdf_error err{};
  ASSERT_EQ(nu_delivery_note_render(&n.note, nullptr, arena_, &pdf, &err), 0) << err.message;
  auto r = ReadPdf(pdf.data, pdf.len, "optional.pdf");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.page_count, 1);
  EXPECT_NE(r.text.find("Code service"), std::string::npos);
  EXPECT_GE(Count(r.text, "—"), 3) << r.text;  // two dashes and the footer's
}

TEST_F(DeliveryNoteTest, FontsComeFromTheOptions) {
  Note n;
  Make(&n, 1);
  nu_pdf_options opts{};
  opts.font_regular = "/nonexistent/DejaVuSans.ttf";
  nu_pdf_bytes pdf{};
  nu_pdf_error err{};
  EXPECT_EQ(nu_delivery_note_render(&n.note, &opts, arena_, &pdf, &err), -1);
  EXPECT_STREQ(err.message, "cannot load the regular font");
  EXPECT_NE(err.code, 0u);
  opts.font_regular = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
  opts.font_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf";
  ASSERT_EQ(nu_delivery_note_render(&n.note, &opts, arena_, &pdf, &err), 0) << err.message;
  auto r = ReadPdf(pdf.data, pdf.len, "serif.pdf");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_NE(r.text.find("Ministère de l'Économie"), std::string::npos);
}

}  // namespace

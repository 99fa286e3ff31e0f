package extract

import (
	"os"
	"strings"
	"testing"

	"shenbao/doc"
)

// BenchmarkExtractLongReport reads a 30-page audit report (the corpus's, repeated).
func BenchmarkExtractLongReport(b *testing.B) {
	raw, err := os.ReadFile("testdata/balance_sheet_opening_first.txt")
	if err != nil {
		b.Fatal(err)
	}
	var pages []doc.Page
	for i := 0; i < 30; i++ {
		pages = append(pages, textPage(i+1, strings.Repeat(string(raw), 3)))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Extract(pages)
	}
}

// BenchmarkExtractOneLongLine reads a page that is one line of 5000 characters (OCR of a dense
// page without line breaks).
func BenchmarkExtractOneLongLine(b *testing.B) {
	p := textPage(1, strings.Repeat("营业执照名称西藏某某科技有限公司注册资本500万元", 200))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Extract([]doc.Page{p})
	}
}

// Package normalize turns the printed forms of values on Chinese application documents into the
// canonical forms of ../../shared/FIELDS.md: amounts in yuan, percentages, areas in square metres,
// dates as YYYY-MM-DD (or 长期), organisation names, and unified social credit codes (GB 32100-2015)
// with their check character.
//
// Every function is pure and total: it never panics, whatever the input, and reports with ok=false
// when the text holds no value of its kind. OCR text is expected: full-width digits and punctuation,
// stray spaces between characters, 〇 read as O or 0.
package normalize

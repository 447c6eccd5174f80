package publish

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// csvByStdlib is a record as encoding/csv writes it: the reference for appendCSVField.
func csvByStdlib(t *testing.T, record []string) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(record); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return b.String()
}

func csvByAppend(record []string) string {
	var line []byte
	for i, f := range record {
		if i > 0 {
			line = append(line, ',')
		}
		if i%2 == 0 {
			line = appendCSVField(line, f)
		} else {
			line = appendCSVField(line, []byte(f)) // both instantiations
		}
	}
	return string(append(line, '\n'))
}

var csvSeeds = []string{
	"", "a", "a,b", `a"b`, `"`, `""`, "a\nb", "a\rb", "a\r\nb", " a", "\ta", "\u00a0a", "\u2003a", "a ", `\.`, `\.x`, `x\.`,
	`["a","b"]`, "[]", "-12", "3.25", "2021-03-17", "é", "\xff", "\xe2\x80", "\x85a", "\u0085a", "tekst, met \"aanhalingstekens\"\nen regels",
}

// TestCSVFieldAgrees holds appendCSVField to encoding/csv on fields that need quotes and fields
// that do not, alone and in records.
func TestCSVFieldAgrees(t *testing.T) {
	for _, s := range csvSeeds {
		if got, want := csvByAppend([]string{s}), csvByStdlib(t, []string{s}); got != want {
			t.Errorf("%q: %q, encoding/csv writes %q", s, got, want)
		}
	}
	if got, want := csvByAppend(csvSeeds), csvByStdlib(t, csvSeeds); got != want {
		t.Errorf("record: %q, encoding/csv writes %q", got, want)
	}
}

// FuzzCSVField: any record of up to three fields is written as encoding/csv writes it.
func FuzzCSVField(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add(s, "x", s+"y")
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		for _, record := range [][]string{{a}, {a, b, c}, {strings.Repeat(a, 3), c}} {
			if got, want := csvByAppend(record), csvByStdlib(t, record); got != want {
				t.Fatalf("%q: %q, encoding/csv writes %q", record, got, want)
			}
		}
	})
}

package site

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzPageText: whatever a passage, its section or its document's title says, the page keeps
// exactly its two script elements, the data block holds no '<' or '>' and gives the text back,
// and the text never appears unescaped outside the data block when it holds markup.
func FuzzPageText(f *testing.F) {
	for _, s := range append(append([]string{}, hostile...), "plain", "</SCRIPT >", "<svg onload=alert(1)>", "]]>", "\u2028") {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, text, section string) {
		if !utf8.ValidString(text) || !utf8.ValidString(section) || text == "" {
			return
		}
		in := smallInput(t)
		ps := in.Schemas["passages"]
		mem(in)["passages"][0][ps.FieldIndex("text")] = text
		mem(in)["passages"][0][ps.FieldIndex("section")] = &section
		pages, err := Pages(in)
		if err != nil {
			t.Fatal(err)
		}
		for name, page := range pages {
			if n := bytes.Count(bytes.ToLower(page), []byte("<script")); n != 2 {
				t.Fatalf("%s: %d <script elements, want 2", name, n)
			}
			m := dataBlock.FindSubmatch(page)
			if m == nil {
				t.Fatalf("%s: no data block", name)
			}
			if bytes.ContainsAny(m[1], "<>") {
				t.Fatalf("%s: '<' or '>' in the data block", name)
			}
			var decoded struct {
				Passages [][]any `json:"passages"`
			}
			if err := json.Unmarshal(m[1], &decoded); err != nil {
				t.Fatalf("%s: data block: %v", name, err)
			}
			found := false
			for _, p := range decoded.Passages {
				if p[0] == "p0" {
					found = p[8] == text
				}
			}
			if !found {
				t.Fatalf("%s: the passage text does not come back out of the data block", name)
			}
			rest := bytes.Replace(page, m[0], nil, 1)
			if strings.ContainsAny(text, "<>&\"") && bytes.Contains(rest, []byte(text)) {
				t.Fatalf("%s: the text %q appears unescaped outside the data block", name, text)
			}
		}
	})
}

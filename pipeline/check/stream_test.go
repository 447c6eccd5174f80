package check

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/build"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/validate"
	"github.com/standpunten/standpunten/schemas"
)

// writeTable writes rows as the given formats of table in dir, with the project's writer.
func writeTable(t *testing.T, dir, table string, formats []publish.Format, rows [][]any) {
	t.Helper()
	tmp := t.TempDir()
	w, err := publish.NewWriter(tmp, set(t), publish.Meta{Dataset: build.Dataset})
	require.NoError(t, err)
	tw, err := w.Table(table)
	require.NoError(t, err)
	for _, r := range rows {
		require.NoError(t, tw.Append(model.Cells(r)))
	}
	require.NoError(t, tw.Close())
	for _, f := range formats {
		b, err := os.ReadFile(publish.Path(tmp, f, table))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(publish.Path(dir, f, table)), 0o755))
		require.NoError(t, os.WriteFile(publish.Path(dir, f, table), b, 0o644))
	}
}

func readRows(t *testing.T, dir string, format publish.Format, table string) [][]any {
	t.Helper()
	var rows [][]any
	for r, err := range publish.Scan(publish.Path(dir, format, table), format, set(t)[table]) {
		require.NoError(t, err)
		rows = append(rows, r)
	}
	return rows
}

func rulesOf(fs []validate.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+" "+f.Source)
	}
	sort.Strings(out)
	return out
}

// byKey is the comparison of two whole copies of a table by primary key (the check before it
// streamed): the keys of rows only in a, only in b, and key|column of values that differ.
func byKey(tab *schemas.Table, a, b [][]any) (onlyA, onlyB, values []string) {
	keys := keyColumns(tab)
	inB := map[string][]any{}
	for _, r := range b {
		inB[keyOf(keys, r)] = r
	}
	inA := map[string]bool{}
	for _, r := range a {
		k := keyOf(keys, r)
		inA[k] = true
		o, ok := inB[k]
		if !ok {
			onlyA = append(onlyA, k)
			continue
		}
		for i, f := range tab.Fields {
			if fmt.Sprintf("%#v", deref(r[i])) != fmt.Sprintf("%#v", deref(o[i])) {
				values = append(values, k+"|"+f.Name)
			}
		}
	}
	for _, r := range b {
		if k := keyOf(keys, r); !inA[k] {
			onlyB = append(onlyB, k)
		}
	}
	sort.Strings(onlyA)
	sort.Strings(onlyB)
	sort.Strings(values)
	return
}

func deref(v any) any {
	switch x := v.(type) {
	case *string:
		if x != nil {
			return "*" + *x
		}
	case *int64:
		if x != nil {
			return *x
		}
	}
	return v
}

// TestStreamedComparisonFindsWhatWholeFilesShow damages the CSV and JSON copies of tables at
// random (rows deleted, added, re-keyed, changed, swapped, moved a little, the tail cut off) and
// checks that the lockstep comparison finds exactly the differences a comparison of the whole
// files by key shows.
func TestStreamedComparisonFindsWhatWholeFilesShow(t *testing.T) {
	s := set(t)
	rng := rand.New(rand.NewPCG(10, 1))
	tables := []string{"passages", "passages", "scores", "document_parties", "documents", "parties"}
	for c := range 16 {
		name := tables[rng.IntN(len(tables))]
		t.Run(fmt.Sprintf("%d-%s", c, name), func(t *testing.T) {
			dir := scratch(t)
			tab := s[name]
			base := readRows(t, dir, publish.FormatParquet, name)
			var did []string
			for _, format := range []publish.Format{publish.FormatCSV, publish.FormatJSON} {
				if rng.IntN(3) == 0 {
					continue // this copy stays as it was
				}
				rows := slices.Clone(base)
				for range 1 + rng.IntN(3) {
					var what string
					rows, what = damage(rng, tab, rows)
					did = append(did, string(format)+": "+what)
				}
				writeTable(t, dir, name, []publish.Format{format}, rows)
			}
			r := run(t, dir)
			for _, format := range []publish.Format{publish.FormatCSV, publish.FormatJSON} {
				file := f0(dir, format, name)
				wantA, wantB, wantV := byKey(tab, base, readRows(t, dir, format, name))
				var gotA, gotB, gotV []string
				for _, f := range r.Findings {
					if f.Rule != "rule.formats_agree" || f.Source != file {
						continue
					}
					switch {
					case f.Field != "":
						gotV = append(gotV, f.Key+"|"+f.Field)
					case f.Message == "row is in the parquet file but not in "+string(format):
						gotA = append(gotA, f.Key)
					case f.Message == "row is in the "+string(format)+" file but not in parquet":
						gotB = append(gotB, f.Key)
					default:
						t.Errorf("unexpected finding %+v", f)
					}
				}
				sort.Strings(gotA)
				sort.Strings(gotB)
				sort.Strings(gotV)
				assert.Equal(t, wantA, gotA, "rows only in parquet, %s; damages %v", file, did)
				assert.Equal(t, wantB, gotB, "rows only in %s; damages %v", file, did)
				assert.Equal(t, wantV, gotV, "values that differ in %s; damages %v", file, did)
			}
		})
	}
}

func f0(dir string, format publish.Format, table string) string {
	r, _ := filepath.Rel(dir, publish.Path(dir, format, table))
	return filepath.ToSlash(r)
}

// damage makes one random change to a copy's rows and says what it did.
func damage(rng *rand.Rand, tab *schemas.Table, rows [][]any) ([][]any, string) {
	i := rng.IntN(len(rows))
	keys := keyColumns(tab)
	switch rng.IntN(7) {
	case 0:
		return slices.Delete(rows, i, i+1), fmt.Sprintf("row %d deleted", i)
	case 1:
		r := slices.Clone(rows[i])
		r[keys[len(keys)-1]] = newKey(r[keys[len(keys)-1]])
		return slices.Insert(rows, i, r), fmt.Sprintf("a new row before row %d", i)
	case 2:
		r := slices.Clone(rows[i])
		r[keys[len(keys)-1]] = newKey(r[keys[len(keys)-1]])
		rows[i] = r
		return rows, fmt.Sprintf("row %d re-keyed", i)
	case 3:
		r := slices.Clone(rows[i])
		for range 10 {
			j := rng.IntN(len(r))
			if slices.Contains(keys, j) {
				continue
			}
			if v, ok := changed(r[j]); ok {
				r[j] = v
				break
			}
		}
		rows[i] = r
		return rows, fmt.Sprintf("a value of row %d changed", i)
	case 4:
		if i+1 < len(rows) {
			rows[i], rows[i+1] = rows[i+1], rows[i]
		}
		return rows, fmt.Sprintf("rows %d and %d swapped", i, i+1)
	case 5:
		r := rows[i]
		rows = slices.Delete(rows, i, i+1)
		j := min(len(rows), i+1+rng.IntN(50))
		return slices.Insert(rows, j, r), fmt.Sprintf("row %d moved to %d", i, j)
	}
	n := min(len(rows)-1, 1+rng.IntN(5))
	return rows[:len(rows)-n], fmt.Sprintf("the last %d rows cut off", n)
}

func newKey(v any) any {
	switch x := v.(type) {
	case string:
		if len(x) == 16 && strings.Trim(x, "0123456789abcdef") == "" { // a passage id
			return "f" + x[1:15] + "e"
		}
		return x + "-nieuw"
	}
	panic(fmt.Sprintf("key of type %T", v))
}

func changed(v any) (any, bool) {
	switch x := v.(type) {
	case string:
		return x + " (anders)", true
	case *string:
		if x != nil {
			y := *x + " (anders)"
			return &y, true
		}
	case int64:
		return x + 1, true
	case *int64:
		if x != nil {
			y := *x + 1
			return &y, true
		}
	case []string:
		if x != nil {
			return append(slices.Clone(x), "anders"), true
		}
	}
	return nil, false
}

// TestMatcherWindow: a row farther than the window from its place is reported missing from one
// copy and extra in the other; past maxListed differing rows the rest are counted in one finding.
func TestMatcherWindow(t *testing.T) {
	s := set(t)
	tab := s["parties"]
	row := func(id string) []any {
		r := make([]any, len(tab.Fields))
		for i := range r {
			r[i] = "x"
		}
		r[tab.FieldIndex("party_id")] = id
		return r
	}
	ids := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("p%05d", i))
		}
		return out
	}
	feed := func(base, other []string) validate.Report {
		chk, err := validate.NewChecker(s)
		require.NoError(t, err)
		m := newMatcher(tab, "csv/parties.csv")
		for i := range max(len(base), len(other)) {
			var b, o []any
			if i < len(base) {
				b = row(base[i])
			}
			if i < len(other) {
				o = row(other[i])
			}
			m.step(b, o)
			assert.LessOrEqual(t, m.nwait, matchWindow)
			assert.LessOrEqual(t, len(m.queue), 3*matchWindow+1, "matched rows leave the queue")
		}
		m.flush(chk, publish.FormatParquet, publish.FormatCSV)
		return chk.Report()
	}

	// The first row moved to the end of a long copy: within the window it matches late, past it
	// it is missing in one place and extra in the other.
	n := 3 * matchWindow
	base := ids(n)
	near := append(slices.Clone(base[1:matchWindow/2]), base[0])
	near = append(near, base[matchWindow/2:]...)
	r := feed(base, near)
	assert.Empty(t, r.Findings)
	assert.Equal(t, int64(n*(2+len(tab.Fields))), r.ChecksRun)

	// Any row found late matches, however far it moved, as long as the rows unmatched at once
	// fit in the window.
	r = feed(base, append(slices.Clone(base[1:]), base[0]))
	assert.Empty(t, r.Findings)

	// A block of more rows than the window moved to the end: rows are given up on, and reported
	// as not found near their place, never as simply missing.
	moved := append(slices.Clone(base[2*matchWindow:]), base[:2*matchWindow]...)
	r = feed(base, moved)
	require.NotEmpty(t, r.Findings)
	for _, f := range r.Findings {
		if f.Key != "" {
			assert.Contains(t, f.Message, "near its place", "%+v", f)
		}
	}

	// A copy that lost its first row and keeps the rest: one finding, the pending row waits alone.
	r = feed(base, base[1:])
	require.Len(t, r.Findings, 1)
	assert.Equal(t, base[0], r.Findings[0].Key)

	// A copy of other keys entirely: the first maxListed rows are listed, then one count.
	other := make([]string, 500)
	for i := range other {
		other[i] = fmt.Sprintf("q%05d", i)
	}
	r = feed(base[:500], other)
	require.Len(t, r.Findings, maxListed+1)
	var counted []validate.Finding
	for _, f := range r.Findings {
		if f.Key == "" {
			counted = append(counted, f)
		}
	}
	require.Len(t, counted, 1)
	assert.Equal(t, fmt.Sprint(1000-maxListed), counted[0].Value)
	assert.Contains(t, counted[0].Message, fmt.Sprintf("%d more rows differ between the parquet and csv files", 1000-maxListed))
}

// runs returns the passages of a table grouped as runs of one document, in file order.
func runsOf(rows [][]any) [][][]any {
	var out [][][]any
	for i, r := range rows {
		if i == 0 || r[1] != rows[i-1][1] {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], r)
	}
	return out
}

// TestPassagesOutOfOrder: the passages table is grouped by document in document-id order; a
// document whose passages come too late, or come back after another document's, is a finding in
// each file that has it, naming the file and the row.
func TestPassagesOutOfOrder(t *testing.T) {
	t.Run("a document too late", func(t *testing.T) {
		dir := scratch(t)
		rows := readRows(t, dir, publish.FormatParquet, "passages")
		runs := runsOf(rows)
		moved := runs[3]
		var reordered [][]any
		for i, r := range runs {
			if i != 3 {
				reordered = append(reordered, r...)
			}
		}
		row := len(reordered) + 1
		reordered = append(reordered, moved...)
		writeTable(t, dir, "passages", publish.Formats, reordered)
		r, err := FolderWithSources(context.Background(), dir, set(t), "../..")
		require.NoError(t, err)
		errs := errorsOf(r)
		assert.Equal(t, []string{"file.passages_order csv/passages.csv", "file.passages_order json/passages.json", "file.passages_order parquet/passages.parquet"}, rulesOf(errs))
		for _, f := range errs {
			assert.Equal(t, moved[0][0], f.Key)
			assert.Equal(t, moved[0][1], f.Value)
			assert.Contains(t, f.Message, fmt.Sprintf("row %d: the passages of document %s come after those of document %s", row, moved[0][1], runs[len(runs)-1][0][1]))
		}
	})
	t.Run("a document come back", func(t *testing.T) {
		dir := scratch(t)
		rows := readRows(t, dir, publish.FormatParquet, "passages")
		runs := runsOf(rows)
		split := runs[7] // 81 passages
		var reordered [][]any
		for i, r := range runs {
			switch i {
			case 7:
				reordered = append(reordered, r[:40]...)
			case 8:
				reordered = append(reordered, r...)
				reordered = append(reordered, split[40:]...)
			default:
				reordered = append(reordered, r...)
			}
		}
		row := len(runs[0]) + len(runs[1]) + len(runs[2]) + len(runs[3]) + len(runs[4]) + len(runs[5]) + len(runs[6]) + 40 + len(runs[8]) + 1
		writeTable(t, dir, "passages", []publish.Format{publish.FormatCSV}, reordered)
		r := run(t, dir)
		var order []validate.Finding
		for _, f := range errorsOf(r) {
			if f.Rule == "file.passages_order" {
				order = append(order, f)
			} else {
				// the other copies keep the right order: the CSV's differs from theirs
				assert.Equal(t, "rule.formats_agree", f.Rule, "%+v", f)
			}
		}
		require.Len(t, order, 1)
		assert.Equal(t, "csv/passages.csv", order[0].Source)
		assert.Equal(t, split[40][0], order[0].Key)
		assert.Contains(t, order[0].Message, fmt.Sprintf("row %d: passages of document %s come again after those of document %s", row, split[0][1], runs[8][0][1]))
	})
}

// TestBrokenCopies: the damages of conformance/break_test.sh that the folder check sees, and a
// checked copy that fails half-way: an unreadable copy is reported as that only, and the next
// readable copy is checked instead.
func TestBrokenCopies(t *testing.T) {
	editText := func(t *testing.T, path, old, new string) {
		t.Helper()
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		s := strings.Replace(string(b), old, new, 1)
		require.NotEqual(t, string(b), s, "%s holds no %q", path, old)
		require.NoError(t, os.WriteFile(path, []byte(s), 0o644))
	}
	cases := []struct {
		name string
		brk  func(t *testing.T, dir string)
		want []string // rule and source of every error finding
	}{{
		name: "wrong-type: a CSV date that is not a date",
		brk: func(t *testing.T, dir string) {
			editText(t, publish.Path(dir, publish.FormatCSV, "elections"), ",2023-11-22", ",22 november 2023")
		},
		want: []string{"file.readable csv/elections.csv:4:"},
	}, {
		name: "short-row: a CSV row that lost its last cell",
		brk: func(t *testing.T, dir string) {
			path := publish.Path(dir, publish.FormatCSV, "scores")
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			lines := strings.Split(string(b), "\n")
			lines[1] = lines[1][:strings.LastIndex(lines[1], ",")]
			require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644))
		},
		want: []string{"file.readable csv/scores.csv:2:1"},
	}, {
		name: "parquet-type: elections.parquet of another schema",
		brk: func(t *testing.T, dir string) {
			b, err := os.ReadFile(publish.Path(dir, publish.FormatParquet, "parties"))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(publish.Path(dir, publish.FormatParquet, "elections"), b, 0o644))
		},
		want: []string{"file.readable parquet/elections.parquet"},
	}, {
		name: "parquet-value: a party's name changed in the Parquet copy only",
		brk: func(t *testing.T, dir string) {
			rows := readRows(t, dir, publish.FormatParquet, "parties")
			rows[0][1] = rows[0][1].(string) + " (changed)"
			writeTable(t, dir, "parties", []publish.Format{publish.FormatParquet}, rows)
		},
		want: []string{"rule.formats_agree csv/parties.csv", "rule.formats_agree json/parties.json"},
	}, {
		name: "dangling-fk: a passage's party in no copy of parties",
		brk: func(t *testing.T, dir string) {
			rows := readRows(t, dir, publish.FormatParquet, "passages")
			for _, r := range rows {
				if r[2] != (*string)(nil) {
					p := "no-such-party"
					r[2] = &p
					break
				}
			}
			writeTable(t, dir, "passages", publish.Formats, rows)
		},
		want: []string{"fk.passages.party_id "},
	}, {
		name: "the checked copy fails half-way",
		brk: func(t *testing.T, dir string) {
			// No Parquet copy; the CSV one (checked then) cannot be read from row 600 on; the
			// JSON one has a kind no schema allows in row 900, which must still be checked.
			require.NoError(t, os.Remove(publish.Path(dir, publish.FormatParquet, "passages")))
			path := publish.Path(dir, publish.FormatCSV, "passages")
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			require.NoError(t, err)
			recs[600][7] = "zeven"
			var out bytes.Buffer
			w := csv.NewWriter(&out)
			require.NoError(t, w.WriteAll(recs))
			require.NoError(t, os.WriteFile(path, out.Bytes(), 0o644))
			rows := readRows(t, dir, publish.FormatJSON, "passages")
			i := 899
			for rows[i][3] != "quote" {
				i++ // a passage no other passage points to
			}
			rows[i][3] = "anekdote"
			writeTable(t, dir, "passages", []publish.Format{publish.FormatJSON}, rows)
		},
		want: []string{"enum.passages.kind ", "file.readable csv/passages.csv:", "file.readable parquet/passages.parquet"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := scratch(t)
			c.brk(t, dir)
			r := run(t, dir)
			got := rulesOf(errorsOf(r))
			require.Len(t, got, len(c.want), "%v", got)
			for i := range got {
				assert.True(t, strings.HasPrefix(got[i], c.want[i]), "finding %q, want %q", got[i], c.want[i])
			}
		})
	}
}

// TestAccountingStream: accounting.json is read one entry at a time; a file cut short, entries
// out of document order and a missing entry are findings.
func TestAccountingStream(t *testing.T) {
	read := func(t *testing.T, dir string) map[string]any {
		b, err := os.ReadFile(filepath.Join(dir, AccountingFile))
		require.NoError(t, err)
		var acc map[string]any
		require.NoError(t, json.Unmarshal(b, &acc))
		return acc
	}
	write := func(t *testing.T, dir string, acc map[string]any) {
		b, err := json.MarshalIndent(acc, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, AccountingFile), b, 0o644))
	}
	t.Run("cut short", func(t *testing.T) {
		dir := scratch(t)
		path := filepath.Join(dir, AccountingFile)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, b[:len(b)/2], 0o644))
		errs := errorsOf(run(t, dir))
		require.Len(t, errs, 1, "%+v", errs)
		assert.Equal(t, "file.accounting", errs[0].Rule)
		assert.Regexp(t, `^cannot read the byte accounting: documents entry [0-9]+: unexpected EOF$`, errs[0].Message)
	})
	t.Run("entries out of order", func(t *testing.T) {
		dir := scratch(t)
		acc := read(t, dir)
		docs := acc["documents"].([]any)
		docs[2], docs[3] = docs[3], docs[2]
		write(t, dir, acc)
		r, err := FolderWithSources(context.Background(), dir, set(t), "../..")
		require.NoError(t, err)
		errs := errorsOf(r)
		require.Len(t, errs, 1, "%+v", errs)
		assert.Equal(t, "file.accounting", errs[0].Rule)
		assert.Equal(t, docs[3].(map[string]any)["document_id"], errs[0].Key)
		assert.Contains(t, errs[0].Message, "documents entry 4 comes after the entry of")
	})
	t.Run("an entry missing", func(t *testing.T) {
		dir := scratch(t)
		acc := read(t, dir)
		docs := acc["documents"].([]any)
		gone := docs[5].(map[string]any)["document_id"]
		acc["documents"] = slices.Delete(docs, 5, 6)
		write(t, dir, acc)
		errs := errorsOf(run(t, dir))
		require.Len(t, errs, 1, "%+v", errs)
		assert.Equal(t, "rule.accounting_covers_file", errs[0].Rule)
		assert.Equal(t, gone, errs[0].Key)
	})
	t.Run("no file", func(t *testing.T) {
		dir := scratch(t)
		require.NoError(t, os.Remove(filepath.Join(dir, AccountingFile)))
		errs := errorsOf(run(t, dir))
		require.Len(t, errs, 1, "%+v", errs)
		assert.Equal(t, "file.accounting", errs[0].Rule)
		assert.Contains(t, errs[0].Message, "no such file or directory")
	})
}

// TestProvenanceJoin: with the sources, every passage meets its document's accounting entry and
// raw text (one provenance check per passage), and a passage whose letters are not its source
// stretch's is found.
func TestProvenanceJoin(t *testing.T) {
	dir := good(t)
	without := run(t, dir)
	with, err := FolderWithSources(context.Background(), dir, set(t), "../..")
	require.NoError(t, err)
	require.True(t, with.Valid, "%+v", errorsOf(with))
	assert.Equal(t, int64(len(readRows(t, dir, publish.FormatParquet, "passages"))), with.ChecksRun-without.ChecksRun)

	dir = scratch(t)
	rows := readRows(t, dir, publish.FormatParquet, "passages")
	last := rows[len(rows)-1]
	last[8] = last[8].(string) + " extra"
	writeTable(t, dir, "passages", publish.Formats, rows)
	r, err := FolderWithSources(context.Background(), dir, set(t), "../..")
	require.NoError(t, err)
	errs := errorsOf(r)
	require.Len(t, errs, 1, "%+v", errs)
	assert.Equal(t, "rule.provenance", errs[0].Rule)
	assert.Equal(t, last[0], errs[0].Key)
}

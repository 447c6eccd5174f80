package release

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/internal/testraw"
	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/check"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/schemas"
)

var day1 = model.Date{Year: 2026, Month: 11, Day: 23}

// rawCopy is a scratch copy of the project's raw folder.
func rawCopy(t *testing.T) string {
	t.Helper()
	return testraw.Copy(t, "../../raw", 2)
}

func publishOK(t *testing.T, raw, out string, date model.Date, mod ...func(*Options)) *Result {
	t.Helper()
	o := Options{RawDir: raw, OutDir: out, Date: date}
	for _, m := range mod {
		m(&o)
	}
	res, err := Publish(context.Background(), o)
	require.NoError(t, err)
	return res
}

func edit(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(b), old), "%q must occur once in %s", old, path)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
}

func tableRows(t *testing.T, dir, table string) [][]any {
	t.Helper()
	set, err := changes.SchemasOf(dir)
	require.NoError(t, err)
	rows, err := publish.ReadParquet(publish.Path(dir, publish.FormatParquet, table), set[table])
	require.NoError(t, err)
	return rows
}

func passageIDs(t *testing.T, dir string) map[string]string { // id → text
	ids := map[string]string{}
	for _, r := range tableRows(t, dir, "passages") {
		ids[r[0].(string)] = r[8].(string)
	}
	return ids
}

func readChanges(t *testing.T, dir string) *changes.Changes {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ChangesFile))
	require.NoError(t, err)
	var c changes.Changes
	require.NoError(t, json.Unmarshal(b, &c))
	return &c
}

func table(c *changes.Changes, name string) changes.TableChanges {
	for _, t := range c.Tables {
		if t.Table == name {
			return t
		}
	}
	return changes.TableChanges{Table: name}
}

func assertValid(t *testing.T, dir string) {
	t.Helper()
	set, err := changes.SchemasOf(dir)
	require.NoError(t, err)
	r, err := check.Folder(context.Background(), dir, set)
	require.NoError(t, err)
	assert.True(t, r.Valid, "%s: %+v", dir, r.Findings)
}

func TestFirstReleaseThenUpToDate(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	res := publishOK(t, raw, out, day1, func(o *Options) { o.Notes = "Eerste uitgave." })
	assert.Equal(t, Published, res.Status)
	assert.Equal(t, "1.0.0", res.Version)
	dir := Dir(out, "1.0.0")
	for _, f := range []string{"parquet/passages.parquet", "csv/passages.csv", "json/passages.json", DataPackageFile, DCATFile,
		"validation.json", "accounting.json", ChangesFile, ReleaseNotes, CodebookFile, SumsFile, PageFile, PageFileEN} {
		assert.FileExists(t, filepath.Join(dir, f))
	}
	index, err := os.ReadFile(filepath.Join(out, IndexFile))
	require.NoError(t, err)
	assert.Contains(t, string(index), "releases/v1.0.0/index.html", "the output's page links the release's page")
	link, err := os.Readlink(filepath.Join(out, LatestLink))
	require.NoError(t, err)
	assert.Equal(t, "releases/v1.0.0", link)
	log, err := os.ReadFile(filepath.Join(out, ChangelogFile))
	require.NoError(t, err)
	assert.Contains(t, string(log), "## [1.0.0] - 2026-11-23")
	assert.Contains(t, string(log), "Eerste uitgave.")
	assertValid(t, dir)

	// The release records exactly the files it holds.
	files, err := listFiles(dir)
	require.NoError(t, err)
	assert.Equal(t, sortedKeys(files), readChanges(t, dir).Files)

	// The SHA256SUMS file is what sha256sum -c reads.
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "-c", "--strict", SumsFile)
		cmd.Dir = dir
		outb, err := cmd.CombinedOutput()
		assert.NoError(t, err, "%s", outb)
	}

	// Nothing changed: nothing published, not even with another date.
	before, err := os.ReadFile(filepath.Join(out, ChangelogFile))
	require.NoError(t, err)
	res = publishOK(t, raw, out, model.Date{Year: 2026, Month: 12, Day: 1})
	assert.Equal(t, UpToDate, res.Status)
	assert.Equal(t, "1.0.0", res.Version)
	assert.True(t, res.Fingerprint, "the inputs are those v1.0.0 was made from: no build needed")
	// The same answer the long way.
	res = publishOK(t, raw, out, model.Date{Year: 2026, Month: 12, Day: 1}, func(o *Options) { o.Rebuild = true })
	assert.Equal(t, UpToDate, res.Status)
	assert.False(t, res.Fingerprint)
	assert.NotNil(t, res.Validation)
	vs, err := Releases(out)
	require.NoError(t, err)
	assert.Equal(t, []string{"1.0.0"}, vs)
	after, err := os.ReadFile(filepath.Join(out, ChangelogFile))
	require.NoError(t, err)
	assert.Equal(t, before, after)
	entries, err := os.ReadDir(filepath.Join(out, ReleasesDir))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no staging folder is left")

	v, err := Verify(context.Background(), raw, out, 0, nil)
	require.NoError(t, err)
	assert.Empty(t, v.Mismatches)
	assert.Equal(t, len(files), v.Files)
	entries, err = os.ReadDir(filepath.Join(out, ReleasesDir))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "verify leaves no staging folder")
}

// TestTypoFixIsPatch: a corrected word in one raw text gives a patch release that lists exactly
// that passage as modified, under its old id.
func TestTypoFixIsPatch(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	publishOK(t, raw, out, day1)
	old := passageIDs(t, Dir(out, "1.0.0"))

	edit(t, filepath.Join(raw, "tk2023-bigtech-scores.txt"), "maatschappelijk volstrekt onwenselijk", "maatschappelijk volkomen onwenselijk")
	res := publishOK(t, raw, out, model.Date{Year: 2026, Month: 11, Day: 24}, func(o *Options) { o.Notes = "Tikfout hersteld." })
	assert.Equal(t, Published, res.Status)
	assert.Equal(t, "1.0.1", res.Version)
	assert.Equal(t, changes.LevelPatch, res.Level)

	dir := Dir(out, "1.0.1")
	ch := readChanges(t, dir)
	assert.Equal(t, "1.0.0", ch.Previous)
	p := table(ch, "passages")
	assert.Equal(t, 0, p.Added)
	assert.Equal(t, 0, p.Removed)
	require.Equal(t, 1, p.Modified)
	id := p.ModifiedRows[0].Key
	assert.Contains(t, old[id], "volstrekt onwenselijk", "the modified passage keeps its id")
	cols := []string{}
	for _, c := range p.ModifiedRows[0].Cells {
		cols = append(cols, c.Column)
	}
	assert.Equal(t, []string{"text", "source_end"}, cols, "the passage is one byte shorter in the raw text")
	assert.Greater(t, p.Moved, 10, "the passages after it only moved")
	require.Len(t, ch.Documents.Changed, 1)
	assert.Equal(t, "tk2023-bigtech-scores", ch.Documents.Changed[0].DocumentID)

	now := passageIDs(t, dir)
	assert.Len(t, now, len(old))
	for id := range old {
		assert.Contains(t, now, id, "every id is kept")
	}
	assert.Contains(t, now[id], "volkomen onwenselijk")
	assertValid(t, dir)

	notes, err := os.ReadFile(filepath.Join(dir, ReleaseNotes))
	require.NoError(t, err)
	assert.Contains(t, string(notes), "Tikfout hersteld.")
	log, err := os.ReadFile(filepath.Join(out, ChangelogFile))
	require.NoError(t, err)
	assert.Less(t, strings.Index(string(log), "## [1.0.1]"), strings.Index(string(log), "## [1.0.0]"), "newest first")

	// The second release rebuilds byte for byte, ids carried from the first.
	v, err := Verify(context.Background(), raw, out, 0, nil)
	require.NoError(t, err)
	assert.Empty(t, v.Mismatches)
}

// TestNewTextIsMinor: a new raw text (and an inserted passage) gives a minor release; no other
// passage changes its id.
func TestNewTextIsMinor(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	publishOK(t, raw, out, day1)
	old := passageIDs(t, Dir(out, "1.0.0"))

	b, err := os.ReadFile(filepath.Join(raw, "tk2023-bigtech-scores.txt"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(raw, "tk2023-bigtech-kopie.txt"), b, 0o644))
	f, err := os.OpenFile(filepath.Join(raw, "sources.toml"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("\n[[document]]\nid = \"tk2023-bigtech-kopie\"\nfile = \"tk2023-bigtech-kopie.txt\"\nformat = \"score-overview\"\nelection = \"TK2023\"\ntopic = \"big-tech\"\nlanguage = \"nl\"\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	edit(t, filepath.Join(raw, "tk2023-bigtech-scores.txt"), "## **PvdA/GL:**\n\n", "## **PvdA/GL:**\n\n- Een nieuw ingevoegd punt over open standaarden.\n")

	res := publishOK(t, raw, out, model.Date{Year: 2026, Month: 11, Day: 25})
	assert.Equal(t, "1.1.0", res.Version)
	assert.Equal(t, changes.LevelMinor, res.Level)
	ch := readChanges(t, Dir(out, "1.1.0"))
	require.Len(t, ch.Documents.Added, 1)
	assert.Equal(t, "tk2023-bigtech-kopie", ch.Documents.Added[0].DocumentID)
	p := table(ch, "passages")
	assert.Equal(t, 51+1, p.Added, "the copy's 51 bullets and the inserted one")
	assert.Equal(t, 0, p.Removed)
	assert.Equal(t, 0, p.Modified, "the passages after the inserted one only moved")
	assert.Equal(t, 51, p.Moved, "every old bullet of the text stands after the inserted one")
	now := passageIDs(t, Dir(out, "1.1.0"))
	for id := range old {
		assert.Contains(t, now, id)
	}
}

// TestRemovedColumnIsMajor: a previous release with a column the current schemas no longer have
// gives a major release.
func TestRemovedColumnIsMajor(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	publishOK(t, raw, out, day1)
	dir := Dir(out, "1.0.0")

	// Make v1.0.0 a release whose documents table had one more column, "remark".
	set, err := schemas.Load()
	require.NoError(t, err)
	docs := *set["documents"]
	docs.Fields = append(append([]schemas.Field{}, docs.Fields...), schemas.Field{Name: "remark", Type: schemas.TypeString, Title: "Remark", Description: "A remark."})
	wide := schemas.Set{}
	for k, v := range set {
		wide[k] = v
	}
	wide["documents"] = &docs
	rows := tableRows(t, dir, "documents")
	tmp := t.TempDir()
	w, err := publish.NewWriter(tmp, wide, publish.Meta{Dataset: "standpunten"})
	require.NoError(t, err)
	tw, err := w.Table("documents")
	require.NoError(t, err)
	for _, r := range rows {
		require.NoError(t, tw.Append(model.Cells(append(r, (*string)(nil)))))
	}
	require.NoError(t, tw.Close())
	b, err := os.ReadFile(publish.Path(tmp, publish.FormatParquet, "documents"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(publish.Path(dir, publish.FormatParquet, "documents"), b, 0o644))
	var dp map[string]any
	b, err = os.ReadFile(filepath.Join(dir, DataPackageFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &dp))
	for _, r := range dp["resources"].([]any) {
		res := r.(map[string]any)
		if res["name"] == "documents-parquet" {
			sch := res["schema"].(map[string]any)
			sch["fields"] = append(sch["fields"].([]any), map[string]any{"name": "remark", "type": "string", "title": "Remark", "description": "A remark.", "constraints": map[string]any{}})
		}
	}
	b, err = json.Marshal(dp)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, DataPackageFile), b, 0o644))

	res := publishOK(t, raw, out, model.Date{Year: 2026, Month: 11, Day: 26})
	assert.Equal(t, "2.0.0", res.Version)
	assert.Equal(t, changes.LevelMajor, res.Level)
	assert.Contains(t, strings.Join(res.Reasons, "\n"), "remark")
}

func TestBumpRaisesNeverLowers(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	publishOK(t, raw, out, day1)
	edit(t, filepath.Join(raw, "tk2023-bigtech-scores.txt"), "maatschappelijk volstrekt onwenselijk", "maatschappelijk volkomen onwenselijk")
	res := publishOK(t, raw, out, day1, func(o *Options) { o.Bump = changes.LevelMinor })
	assert.Equal(t, "1.1.0", res.Version)
	assert.Contains(t, strings.Join(res.Reasons, "\n"), "--bump")
	v, err := Verify(context.Background(), raw, out, 0, nil)
	require.NoError(t, err, "a bumped release verifies: %v", v)

	// With nothing changed there is nothing to raise: a scheduled run with --bump stays idempotent.
	res = publishOK(t, raw, out, day1, func(o *Options) { o.Bump = changes.LevelPatch })
	assert.Equal(t, UpToDate, res.Status)
	assert.Equal(t, "1.1.0", res.Version)
}

// TestFilesOnlyChangeIsPatch: no row changed, but the dataset metadata did, or the release would
// be written differently (here: the committed RELEASE.md differs from what the code writes, as
// after a change to how release notes are rendered). Either is a patch, and verify then passes.
func TestFilesOnlyChangeIsPatch(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	publishOK(t, raw, out, day1)

	edit(t, filepath.Join(raw, "dataset.toml"), "Positions of Dutch political parties", "Positions of the Dutch political parties")
	res := publishOK(t, raw, out, day1)
	assert.Equal(t, "1.0.1", res.Version)
	assert.Equal(t, []string{"no row changed, but v1.0.0 would now be written differently (the dataset metadata in raw/dataset.toml, " +
		"the schema descriptions or the code changed): SHA256SUMS, datapackage.json, dcat.jsonld, index.en.html, index.html"}, res.Reasons)
	_, err := Verify(context.Background(), raw, out, 0, nil)
	require.NoError(t, err)

	path := filepath.Join(Dir(out, "1.0.1"), ReleaseNotes)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, append(b, "\nAn older layout.\n"...), 0o644))
	_, err = Verify(context.Background(), raw, out, 0, nil)
	require.ErrorIs(t, err, model.ErrInvalid)
	res = publishOK(t, raw, out, day1)
	assert.Equal(t, "1.0.2", res.Version)
	assert.Equal(t, []string{"no row changed, but v1.0.1 would now be written differently (the dataset metadata in raw/dataset.toml, " +
		"the schema descriptions or the code changed): RELEASE.md"}, res.Reasons)
	v, err := Verify(context.Background(), raw, out, 0, nil)
	require.NoError(t, err, "%v", v)
	res = publishOK(t, raw, out, day1)
	assert.Equal(t, UpToDate, res.Status, "and then nothing more to do")
	assert.Equal(t, "1.0.2", res.Version)
}

func TestDateDoesNotGoBack(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	publishOK(t, raw, out, day1)
	earlier := model.Date{Year: 2026, Month: 11, Day: 22}
	res := publishOK(t, raw, out, earlier)
	assert.Equal(t, UpToDate, res.Status, "with nothing to publish, the date does not matter")
	fixTypo(t, raw)
	_, err := Publish(context.Background(), Options{RawDir: raw, OutDir: out, Date: earlier})
	require.ErrorIs(t, err, model.ErrConfig)
	assert.Contains(t, err.Error(), "before the latest release v1.0.0 of 2026-11-23")
}

func TestDryRunWritesNothing(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	res := publishOK(t, raw, out, day1, func(o *Options) { o.DryRun = true })
	assert.Equal(t, DryRun, res.Status)
	assert.Equal(t, "1.0.0", res.Version)
	vs, err := Releases(out)
	require.NoError(t, err)
	assert.Empty(t, vs)
	entries, err := os.ReadDir(filepath.Join(out, ReleasesDir))
	require.NoError(t, err)
	assert.Empty(t, entries)
	assert.NoFileExists(t, filepath.Join(out, ChangelogFile))
}

func TestVerifyCatchesDrift(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	publishOK(t, raw, out, day1)
	edit(t, filepath.Join(raw, "tk2023-bigtech-scores.txt"), "maatschappelijk volstrekt onwenselijk", "maatschappelijk volkomen onwenselijk")
	v, err := Verify(context.Background(), raw, out, 0, nil)
	require.ErrorIs(t, err, model.ErrInvalid)
	assert.Contains(t, v.Mismatches, "csv/passages.csv: differs")
	assert.Contains(t, v.Mismatches, "SHA256SUMS: differs")
}

func TestLock(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	unlock, err := lock(context.Background(), out, 0)
	require.NoError(t, err)
	_, err = Publish(context.Background(), Options{RawDir: raw, OutDir: out, Date: day1})
	require.ErrorIs(t, err, model.ErrLocked)
	assert.Contains(t, err.Error(), "locked by another run")
	assert.Contains(t, err.Error(), "--wait")

	go func() { time.Sleep(200 * time.Millisecond); unlock() }()
	res, err := Publish(context.Background(), Options{RawDir: raw, OutDir: out, Date: day1, Wait: time.Minute})
	require.NoError(t, err)
	assert.Equal(t, Published, res.Status)
}

// TestOldTextComesBack: a corrected passage keeps its id; when the old text is added back beside
// it in a later release, the two still have distinct ids and the release publishes.
func TestOldTextComesBack(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	publishOK(t, raw, out, day1)
	path := filepath.Join(raw, "tk2023-bigtech-scores.txt")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var line string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, "volstrekt onwenselijk") {
			line = l
		}
	}
	require.NotEmpty(t, line)
	edit(t, path, "maatschappelijk volstrekt onwenselijk", "maatschappelijk volkomen onwenselijk")
	publishOK(t, raw, out, model.Date{Year: 2026, Month: 11, Day: 24})
	edit(t, path, strings.Replace(line, "volstrekt", "volkomen", 1)+"\n", strings.Replace(line, "volstrekt", "volkomen", 1)+"\n"+line+"\n")
	res := publishOK(t, raw, out, model.Date{Year: 2026, Month: 11, Day: 25})
	assert.Equal(t, "1.1.0", res.Version)
	p := table(readChanges(t, Dir(out, "1.1.0")), "passages")
	assert.Equal(t, 1, p.Added)
	assert.Equal(t, 0, p.Modified)
	assertValid(t, Dir(out, "1.1.0"))
	_, err = Verify(context.Background(), raw, out, 0, nil)
	require.NoError(t, err)
}

func fixTypo(t *testing.T, raw string) {
	t.Helper()
	edit(t, filepath.Join(raw, "tk2023-bigtech-scores.txt"), "maatschappelijk volstrekt onwenselijk", "maatschappelijk volkomen onwenselijk")
}

// TestRemovalGuard: a text that still is registered but lost most of its passages (truncated,
// emptied by a broken export) is refused and nothing is published; --allow-removals publishes it;
// a document taken out of the registry may go with all its passages.
func TestRemovalGuard(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	publishOK(t, raw, out, day1)
	day2 := model.Date{Year: 2026, Month: 11, Day: 24}
	path := filepath.Join(raw, "tk2025-it-infrastructuur-samenvattingen.txt")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(b), "\n")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines[:len(lines)/3], "")), 0o644))

	_, err = Publish(context.Background(), Options{RawDir: raw, OutDir: out, Date: day2})
	require.ErrorIs(t, err, model.ErrInvalid)
	var re *RemovalError
	require.ErrorAs(t, err, &re)
	require.Len(t, re.Lines, 1, "%v", re.Lines)
	assert.Contains(t, re.Lines[0], "passages of document tk2025-it-infrastructuur (more than 10%)")
	versions, err := Releases(out)
	require.NoError(t, err)
	assert.Equal(t, []string{"1.0.0"}, versions, "nothing was published")

	res := publishOK(t, raw, out, day2, func(o *Options) { o.AllowRemovals = true })
	assert.Equal(t, Published, res.Status)
	assert.Equal(t, "1.1.0", res.Version)

	// Taking a document out of the registry removes all its passages, on purpose: no guard, unless
	// a table would lose all its rows (the only score overview carries every score).
	unregister := func(id string) {
		p := filepath.Join(raw, "sources.toml")
		s, err := os.ReadFile(p)
		require.NoError(t, err)
		parts := strings.Split(string(s), "[[document]]")
		var kept []string
		for _, part := range parts {
			if !strings.Contains(part, `id = "`+id+`"`) {
				kept = append(kept, part)
			}
		}
		require.Len(t, kept, len(parts)-1)
		require.NoError(t, os.WriteFile(p, []byte(strings.Join(kept, "[[document]]")), 0o644))
	}
	unregister("tk2023-digitaal-stembusakkoord")
	res = publishOK(t, raw, out, day2)
	assert.Equal(t, "1.2.0", res.Version)
	unregister("tk2023-bigtech-scores")
	_, err = Publish(context.Background(), Options{RawDir: raw, OutDir: out, Date: day2})
	require.ErrorAs(t, err, &re)
	assert.Equal(t, []string{"every row of table scores (16 rows)"}, re.Lines)
}

// TestFingerprint: "up to date" is taken from the fingerprint only while the program, every file
// under raw/ and the latest release's SHA256SUMS are those it was recorded with; a touched text,
// an added file or a changed SHA256SUMS sends the run the long way.
func TestFingerprint(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	publishOK(t, raw, out, day1)
	res := publishOK(t, raw, out, day1)
	require.True(t, res.Fingerprint)

	// A file nobody registered still counts: the fingerprint covers the whole raw folder.
	require.NoError(t, os.WriteFile(filepath.Join(raw, "notes.txt"), []byte("x\n"), 0o644))
	res = publishOK(t, raw, out, day1)
	assert.Equal(t, UpToDate, res.Status)
	assert.False(t, res.Fingerprint, "an added file is a change of the inputs")
	res = publishOK(t, raw, out, day1)
	assert.True(t, res.Fingerprint, "the long way records the new fingerprint")

	// The fast way does not write CHANGELOG.md, index.html and latest again, so it is taken only
	// while they are as the recorded run left them; a deleted one is written again the long way.
	for _, name := range []string{ChangelogFile, IndexFile, LatestLink} {
		path := filepath.Join(out, name)
		before, err := os.Lstat(path)
		require.NoError(t, err)
		require.NoError(t, os.Remove(path))
		res = publishOK(t, raw, out, day1)
		assert.Equal(t, UpToDate, res.Status, name)
		assert.False(t, res.Fingerprint, "%s was deleted", name)
		after, err := os.Lstat(path)
		require.NoError(t, err, "%s is written again", name)
		assert.Equal(t, before.Mode().Type(), after.Mode().Type(), name)
		res = publishOK(t, raw, out, day1)
		assert.True(t, res.Fingerprint, "%s: the long way records the fingerprint again", name)
	}

	// A changed SHA256SUMS (a release changed in place) is not up to date by fingerprint.
	sums := filepath.Join(Dir(out, "1.0.0"), SumsFile)
	b, err := os.ReadFile(sums)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(sums, append(b, '\n'), 0o644))
	res = publishOK(t, raw, out, day1, func(o *Options) { o.DryRun = true })
	assert.False(t, res.Fingerprint)
	assert.Equal(t, DryRun, res.Status, "the long way finds v1.0.0 no longer what it would write")
	require.NoError(t, os.WriteFile(sums, b, 0o644))

	// A corrected text is a patch, and the fingerprint then belongs to the patch.
	fixTypo(t, raw)
	day2 := model.Date{Year: 2026, Month: 11, Day: 24}
	res = publishOK(t, raw, out, day2)
	assert.Equal(t, Published, res.Status)
	assert.Equal(t, "1.0.1", res.Version)
	res = publishOK(t, raw, out, day2)
	assert.Equal(t, UpToDate, res.Status)
	assert.Equal(t, "1.0.1", res.Version)
	assert.True(t, res.Fingerprint)
}

// TestReadInfoBrokenChanges: a release folder whose changes.json is not JSON is an error that
// names the file; one without changes.json is the file system's error, for the caller to name.
func TestReadInfoBrokenChanges(t *testing.T) {
	dir := t.TempDir()
	_, err := readInfoIn(dir)
	require.ErrorIs(t, err, fs.ErrNotExist)
	path := filepath.Join(dir, ChangesFile)
	require.NoError(t, os.WriteFile(path, []byte(`{"version": "1.0.0", "date": `), 0o644))
	_, err = readInfoIn(dir)
	var se *model.SourceError
	require.ErrorAs(t, err, &se)
	require.Equal(t, path, se.File)
	require.Contains(t, err.Error(), "never edited by hand")
}

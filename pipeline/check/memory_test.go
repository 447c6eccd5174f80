package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/build"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/schemas"
)

// synthetic writes a valid folder of docs programme texts with perDoc passages of about textBytes
// bytes each, their raw texts under src/raw/ and accounting.json, and returns the folder and the
// sources folder. Parties and elections are the real build's.
func synthetic(t testing.TB, docs, perDoc, textBytes int) (dir, src string) {
	t.Helper()
	root := t.TempDir()
	dir, src = filepath.Join(root, "out"), filepath.Join(root, "src")
	good := good(t)
	for _, format := range publish.Formats {
		for _, table := range []string{"parties", "elections"} {
			b, err := os.ReadFile(publish.Path(good, format, table))
			require.NoError(t, err)
			require.NoError(t, os.MkdirAll(filepath.Dir(publish.Path(dir, format, table)), 0o755))
			require.NoError(t, os.WriteFile(publish.Path(dir, format, table), b, 0o644))
		}
	}
	require.NoError(t, os.MkdirAll(filepath.Join(src, "raw"), 0o755))
	s, err := schemas.Load()
	require.NoError(t, err)
	w, err := publish.NewWriter(dir, s, publish.Meta{Dataset: build.Dataset})
	require.NoError(t, err)
	tables := map[string]*publish.TableWriter{}
	for _, name := range []string{"documents", "passages", "scores", "document_parties"} {
		tw, err := w.Table(name)
		require.NoError(t, err)
		tables[name] = tw
	}
	words := strings.Fields("de digitale overheid moet open standaarden gebruiken en gegevens van burgers beschermen " +
		"wij willen dat algoritmes controleerbaar zijn internet is een basisvoorziening privacy telt voor iedereen")
	rng := rand.New(rand.NewPCG(uint64(docs), uint64(perDoc)))
	var acc []model.Accounting
	n := 0
	for d := range docs {
		id := fmt.Sprintf("syn%05d-programma", d)
		var raw strings.Builder
		var ps []model.Passage
		for i := range perDoc {
			var text strings.Builder
			for text.Len() < textBytes {
				if text.Len() > 0 {
					text.WriteByte(' ')
				}
				text.WriteString(words[rng.IntN(len(words))])
			}
			text.WriteByte('.')
			if i > 0 {
				raw.WriteString("\n\n")
			}
			start := int64(raw.Len())
			raw.WriteString(text.String())
			n++
			ps = append(ps, model.Passage{ID: fmt.Sprintf("%016x", n), DocumentID: id, Kind: model.KindParagraph, Seq: int64(i + 1),
				Text: text.String(), SourceStart: start, SourceEnd: int64(raw.Len()), SourceLine: int64(1 + 2*i)})
		}
		path := "raw/" + id + ".txt"
		require.NoError(t, os.WriteFile(filepath.Join(src, filepath.FromSlash(path)), []byte(raw.String()), 0o644))
		sum := sha256.Sum256([]byte(raw.String()))
		doc := model.Document{ID: id, Title: "Programma " + id, Format: model.FormatProgrammeText, ElectionID: "TK2023", Topic: "digitalisering",
			Language: "nl", RawPath: path, RawSHA256: hex.EncodeToString(sum[:]), RawBytes: int64(raw.Len()), Encoding: "utf-8"}
		require.NoError(t, tables["documents"].Append(doc))
		var inPassages int64
		for _, p := range ps {
			require.NoError(t, tables["passages"].Append(p))
			inPassages += p.SourceEnd - p.SourceStart
		}
		acc = append(acc, model.Accounting{DocumentID: id, RawPath: path, Bytes: doc.RawBytes, Labels: map[string]int64{}, Dropped: []model.DroppedSpan{},
			Classes: map[model.Class]int64{model.ClassPassage: inPassages, model.ClassWhitespace: doc.RawBytes - inPassages}})
	}
	for _, tw := range tables {
		require.NoError(t, tw.Close())
	}
	b, err := json.Marshal(map[string]any{"documents": acc})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, AccountingFile), b, 0o644))
	return dir, src
}

// peakHeap checks dir with the sources and returns the most heap that stayed live between
// documents: after every tenth document's passages were dropped, a garbage collection runs and
// the heap it leaves is measured.
func peakHeap(t *testing.T, dir, src string) uint64 {
	t.Helper()
	var peak uint64
	runs := 0
	r, err := folderWith(context.Background(), dir, set(t), Options{Sources: src}, func() {
		if runs++; runs%10 == 0 {
			// Twice: a sync.Pool's contents (the decompressors' buffers) survive one collection.
			runtime.GC()
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	})
	require.NoError(t, err)
	require.True(t, r.Valid, "%+v", errorsOf(r))
	return peak
}

var benchFolder = flag.String("check.folder", "", "BenchmarkFolder: a build or release folder to check (default: the real dataset's build)")
var benchSources = flag.String("check.sources", "", "BenchmarkFolder: the folder that holds raw/ for the provenance check")

// BenchmarkFolder checks a folder: the real build, or -check.folder (with -check.sources). Run
// with -benchmem: the bytes allocated grow with the rows, what stays does not (see
// TestMemoryDoesNotGrowWithPassages).
func BenchmarkFolder(b *testing.B) {
	dir, src := *benchFolder, *benchSources
	if dir == "" {
		dir, src = good(b), "../.."
	}
	s, err := schemas.Load()
	require.NoError(b, err)
	for b.Loop() {
		r, err := FolderWith(context.Background(), dir, s, Options{Sources: src})
		require.NoError(b, err)
		require.True(b, r.Valid)
	}
}

// TestCancelStopsReaders: a check cancelled half-way through passages returns the context's error
// and leaves no reader running (each copy's read-ahead goroutine has returned, its file closed).
func TestCancelStopsReaders(t *testing.T) {
	dir, src := synthetic(t, 50, 100, 100)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runs := 0
	_, err := folderWith(ctx, dir, set(t), Options{Sources: src}, func() {
		if runs++; runs == 1 {
			cancel()
		}
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, runs, 50, "the check stopped before the last document")
	// A reader's goroutine has closed its channel, and so let the check return, a moment before it
	// has returned itself: give it that moment.
	for range 200 {
		if runtime.NumGoroutine() <= before {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before the check, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

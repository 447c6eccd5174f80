package release

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
)

// verifyName is the name Stage gives the folders releases are rebuilt in to compare them.
const verifyName = "verify"

// VerifyResult is the outcome of Verify.
type VerifyResult struct {
	Version    string   `json:"version"`
	Files      int      `json:"files"`      // files compared
	Mismatches []string `json:"mismatches"` // one line per file that differs, is missing or is extra
	RawBytes   int64    `json:"-"`          // bytes of the raw texts the rebuild read
}

// mismatchError is returned when a release does not match its rebuild.
type mismatchError struct{ r *VerifyResult }

func (e mismatchError) Error() string {
	return fmt.Sprintf("release v%s does not match what raw/ builds: %d of %d files differ; restore raw/ or publish a new release (standpunten release)", e.r.Version, len(e.r.Mismatches), e.r.Files)
}

func (e mismatchError) Is(target error) bool { return target == model.ErrInvalid }

// Verify rebuilds the latest release under out from the texts in raw (carrying ids from the
// release before it, with the latest's version, date and notes) into a temporary folder and
// compares every file byte for byte. A mismatch is an error that matches model.ErrInvalid; the
// result lists the files.
func Verify(ctx context.Context, raw, out string, maxBytes int64, log *slog.Logger) (*VerifyResult, error) {
	vs, err := Releases(out)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, model.Classified(model.ErrConfig, fmt.Errorf("%s has no releases to verify; publish one with standpunten release", filepath.Join(out, ReleasesDir)))
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// Shared with other verify runs; a release (which removes staging folders) waits, and so does
	// this run for a release that holds the lock, up to a minute.
	unlock, err := lockShared(ctx, out, time.Minute, log)
	if err != nil {
		return nil, err
	}
	defer unlock()
	differ, files, rawBytes, err := reproduce(ctx, env{raw: raw, out: out, maxBytes: maxBytes, log: log}, vs, len(vs)-1)
	if err != nil {
		return nil, err
	}
	res := &VerifyResult{Version: vs[len(vs)-1], Files: files, Mismatches: []string{}, RawBytes: rawBytes}
	for _, d := range differ {
		if !strings.HasSuffix(d, ")") {
			d += ": differs"
		}
		res.Mismatches = append(res.Mismatches, d)
	}
	if len(res.Mismatches) > 0 {
		return res, mismatchError{res}
	}
	return res, nil
}

// reproduce composes the published release versions[i] again from the raw texts (carrying ids
// from the release before it, with its version, date, notes and level) into a temporary folder
// and compares every file byte for byte. It returns the files that differ, are missing or are
// extra ("<path> (in the release only)", "<path> (in the rebuild only)") and how many files it
// compared. Composing a
// release whose rows did not change reproduces the release before it too, to tell why it exists.
func reproduce(ctx context.Context, e env, versions []string, i int) (differ []string, files int, rawBytes int64, err error) {
	p, err := planFor(e, versions, i)
	if err != nil {
		return nil, 0, 0, err
	}
	// The rebuild is staged inside the output folder, beside the releases, so it needs no space
	// elsewhere and a run killed now leaves a staging folder the next release removes.
	stage, err := publish.Stage(filepath.Join(e.out, ReleasesDir, verifyName))
	if err != nil {
		return nil, 0, 0, err
	}
	defer stage.Abort()
	tmp := stage.Dir()
	c, err := compose(ctx, p, tmp, func(string) {})
	if err != nil {
		return nil, 0, 0, err
	}
	want, err := listFiles(Dir(e.out, versions[i]))
	if err != nil {
		return nil, 0, 0, err
	}
	// The signature cannot be made again without the key; validate --allowed-signers checks it.
	delete(want, publish.SignatureFile)
	got, err := listFiles(tmp)
	if err != nil {
		return nil, 0, 0, err
	}
	names := map[string]bool{}
	for n := range want {
		names[n] = true
	}
	for n := range got {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		if err := ctx.Err(); err != nil {
			return nil, 0, 0, err
		}
		w, inRelease := want[n]
		g, inBuild := got[n]
		switch {
		case !inBuild:
			differ = append(differ, n+" (in the release only)")
		case !inRelease:
			differ = append(differ, n+" (in the rebuild only)")
		default:
			same, err := sameBytes(w, g)
			if err != nil {
				return nil, 0, 0, err
			}
			if !same {
				differ = append(differ, n)
			}
		}
	}
	return differ, len(sorted), c.rawBytes, nil
}

// sameBytes compares two files a block at a time (a table file can be larger than memory).
func sameBytes(a, b string) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	sa, err := fa.Stat()
	if err != nil {
		return false, err
	}
	sb, err := fb.Stat()
	if err != nil {
		return false, err
	}
	if sa.Size() != sb.Size() {
		return false, nil
	}
	ba, bb := make([]byte, 1<<20), make([]byte, 1<<20)
	for {
		na, ea := io.ReadFull(fa, ba)
		nb, eb := io.ReadFull(fb, bb)
		if !bytes.Equal(ba[:na], bb[:nb]) {
			return false, nil
		}
		if ea == io.EOF || ea == io.ErrUnexpectedEOF {
			return eb == io.EOF || eb == io.ErrUnexpectedEOF, nil
		}
		if ea != nil {
			return false, ea
		}
		if eb != nil {
			return false, eb
		}
	}
}

// listFiles maps the slash-separated relative path of every file below dir to its path.
func listFiles(dir string) (map[string]string, error) {
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		out[filepath.ToSlash(rel)] = path
		return nil
	})
	return out, err
}

// Diff compares two folders, each a release or a build, and returns the changes from old to new.
func Diff(oldDir, newDir string) (*changes.Changes, error) {
	load := func(dir string) (*changes.Snapshot, error) {
		if _, err := os.Stat(dir); err != nil {
			return nil, model.Classified(model.ErrConfig, fmt.Errorf("diff: %w", err))
		}
		set, err := changes.SchemasOf(dir)
		if err != nil {
			return nil, err
		}
		return changes.Load(dir, set)
	}
	a, err := load(oldDir)
	if err != nil {
		return nil, err
	}
	b, err := load(newDir)
	if err != nil {
		return nil, err
	}
	ch, err := changes.Compare(a, b)
	if err != nil {
		return nil, err
	}
	for _, x := range []struct {
		dir string
		to  *string
	}{{oldDir, &ch.Previous}, {newDir, &ch.Version}} {
		if in, err := readInfoIn(x.dir); err == nil {
			*x.to = in.Version // a build folder has no changes.json and no version
		}
	}
	return ch, nil
}

package release

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/publish"
)

// FingerprintFile records, in the output folder, what the latest release was last found up to
// date with. It is a cache beside the releases, not part of any: deleting it costs one full
// comparison.
const FingerprintFile = ".fingerprint.json"

// fingerprintRecord is the content of FingerprintFile.
type fingerprintRecord struct {
	Version     string `json:"version"`     // the latest release when the inputs were last found up to date
	Fingerprint string `json:"fingerprint"` // fingerprint of those inputs (see fingerprint)
}

// inputsHash is the SHA-256 over what a release run reads besides the releases: the program
// itself (its executable's bytes, so any change of code or Go version counts), the size limit and
// every file under the raw folder (path and bytes: texts, registry and dataset metadata alike;
// schemas are compiled into the program). A run takes it before it builds, so a text changed
// while it runs makes the record stale rather than wrongly fresh. rawBytes is the size of the
// files under raw it hashed.
func inputsHash(raw string, maxBytes int64) (hash string, rawBytes int64, err error) {
	h := sha256.New()
	exe, err := os.Executable()
	if err != nil {
		return "", 0, err
	}
	if _, err := hashFile(h, "program", exe); err != nil {
		return "", 0, err
	}
	fmt.Fprintf(h, "max-bytes %d\n", maxBytes)
	var files []string
	err = filepath.WalkDir(raw, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return "", 0, err
	}
	sort.Strings(files)
	for _, p := range files {
		rel, _ := filepath.Rel(raw, p)
		n, err := hashFile(h, "raw "+filepath.ToSlash(rel), p)
		if err != nil {
			return "", 0, err
		}
		rawBytes += n
	}
	return hex.EncodeToString(h.Sum(nil)), rawBytes, nil
}

// fingerprint joins the inputs' hash with the release's SHA256SUMS and the size and modification
// time of each of the release's files (a file edited in place, even with SHA256SUMS left alone,
// changes it; reading only the metadata keeps it cheap): when it equals the one recorded for the
// latest release, a run can say "up to date" after reading each input once, without building.
// `verify` never relies on it. The files finish writes beside the releases (CHANGELOG.md,
// index.html, the latest link) count too, so that a run that finds them as it left them need not
// write them again.
func fingerprint(inputs, out, releaseDir string) (string, error) {
	h := sha256.New()
	io.WriteString(h, "inputs "+inputs+"\n")
	for _, name := range []string{ChangelogFile, IndexFile} {
		st, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "finished %s %d %d\n", name, st.Size(), st.ModTime().UnixNano())
	}
	target, err := os.Readlink(filepath.Join(out, LatestLink))
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "latest %s\n", filepath.ToSlash(target))
	if _, err := hashFile(h, "release", filepath.Join(releaseDir, SumsFile)); err != nil {
		return "", err
	}
	files, err := listFiles(releaseDir)
	if err != nil {
		return "", err
	}
	for _, name := range sortedKeys(files) {
		st, err := os.Stat(files[name])
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "file %s %d %d\n", name, st.Size(), st.ModTime().UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashFile adds a labelled file to h: the label, the length and the bytes, so no two sets of
// files hash alike by moving bytes between them, and returns how many bytes it read. Special
// files are refused (a FIFO would hang).
func hashFile(h io.Writer, label, path string) (int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	if !st.Mode().IsRegular() {
		return 0, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	io.WriteString(h, label+" "+strconv.FormatInt(st.Size(), 10)+"\n")
	return io.Copy(h, f)
}

// upToDate reports whether the recorded fingerprint says the latest release is up to date with
// inputs (inputsHash). Any problem (no record, an unreadable file) only means "not known": the
// caller compares in full.
func upToDate(out, inputs string, latest *info) bool {
	fp, err := fingerprint(inputs, out, latest.Dir)
	if err != nil {
		return false
	}
	b, err := os.ReadFile(filepath.Join(out, FingerprintFile))
	if err != nil {
		return false
	}
	var rec fingerprintRecord
	if json.Unmarshal(b, &rec) != nil {
		return false
	}
	return rec.Version == latest.Version && rec.Fingerprint == fp
}

// recordFingerprint writes FingerprintFile for the release version, made from or found up to
// date with inputs, by rename. The cache is not the run's result: failing to write it is not an
// error.
func recordFingerprint(out, inputs, version string) {
	if inputs == "" {
		return
	}
	fp, err := fingerprint(inputs, out, Dir(out, version))
	if err != nil {
		return
	}
	b, err := publish.EncodeJSON(fingerprintRecord{Version: version, Fingerprint: fp})
	if err != nil {
		return
	}
	_ = publish.WriteFileAtomic(filepath.Join(out, FingerprintFile), b)
}

// latestValidation is the validation summary the latest release recorded.
func latestValidation(dir string) *changes.Validation {
	c, err := changes.ReadHead(filepath.Join(dir, ChangesFile))
	if err != nil {
		return nil
	}
	return c.Validation
}

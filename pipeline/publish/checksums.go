package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The files of an output folder besides the tables: a build has the first two, a release all.
const (
	AccountingFile   = "accounting.json"  // where every byte of every raw text went
	ValidationFile   = "validation.json"  // the validation report
	ChangesFile      = "changes.json"     // what changed since the previous release
	ReleaseNotesFile = "RELEASE.md"       // the same, readable
	CodebookFile     = "CODEBOOK.md"      // every table and column
	DataPackageFile  = "datapackage.json" // Frictionless Data Package
	DCATFile         = "dcat.jsonld"      // DCAT-AP
	SumsFile         = "SHA256SUMS"       // checksums of every other file, as `sha256sum -c` reads them
	SignatureFile    = "SHA256SUMS.sig"   // optional: an SSH signature of SHA256SUMS (not listed in it)
)

// LegacyReleaseFiles are the files every release folder held besides the tables and the build's
// own before releases recorded their own file list (changes.json `files`, from 1.2.0): what
// v1.0.0 and v1.1.0 are checked against. A folder with any of them is a release.
var LegacyReleaseFiles = []string{CodebookFile, ReleaseNotesFile, SumsFile, ChangesFile, DataPackageFile, DCATFile}

// FileSHA256 returns the lower-case hex SHA-256 of a file and its size.
func FileSHA256(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("publish: read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// SHA256Hex is the lower-case hex SHA-256 of b.
func SHA256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// SHA256Sums renders the SHA256SUMS of every file below dir except SHA256SUMS itself: one line
// `<hex>  <slash-separated path>` per file, sorted by path.
func SHA256Sums(dir string) ([]byte, error) {
	type entry struct{ path, sum string }
	var entries []entry
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == SumsFile {
			return nil
		}
		sum, _, err := FileSHA256(path)
		if err != nil {
			return err
		}
		entries = append(entries, entry{rel, sum})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("publish: checksums of %s: %w", dir, err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].path < entries[j].path })
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(e.sum + "  " + e.path + "\n")
	}
	return []byte(b.String()), nil
}

package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
)

// buildEntries are the names a build folder holds; a folder with anything else is not one.
var buildEntries = map[string]bool{"parquet": true, "csv": true, "json": true, publish.AccountingFile: true, publish.ValidationFile: true}

// CheckOut refuses an output folder that a build must not replace, because a build replaces its
// output folder as a whole: the raw folder (or one inside or around it), an output root (a folder
// with releases/, CHANGELOG.md or the release lock), a releases folder, a release, a symbolic link
// (output/latest), or a folder that holds anything but a previous build's files. A folder that does
// not exist, an empty one and a previous build are fine. Errors wrap model.ErrConfig (exit 2).
func CheckOut(out, raw string) error {
	refuse := func(why string) error {
		return model.Classified(model.ErrConfig, fmt.Errorf("refusing to build into %s: %s; a build replaces its --out folder as a whole, so pass a new or empty folder, or a previous build (e.g. --out output/build)", out, why))
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if absRaw, err := filepath.Abs(raw); err == nil {
		if within(absOut, absRaw) || within(absRaw, absOut) {
			return refuse(fmt.Sprintf("it is, or holds, or lies inside the raw folder %s", raw))
		}
	}
	st, err := os.Lstat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return refuse("it is a symbolic link (like output/latest, which points at a release)")
	}
	if !st.IsDir() {
		return refuse("it is not a folder")
	}
	if filepath.Base(absOut) == "releases" {
		return refuse("it is a releases folder")
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	for _, e := range entries {
		switch name := e.Name(); {
		case name == "releases" || name == "CHANGELOG.md" || name == ".lock":
			return refuse("it is an output root with published releases")
		case name == publish.SumsFile || name == publish.DataPackageFile:
			return refuse("it is a release, and a published release is never rewritten")
		case !buildEntries[name]:
			return refuse(fmt.Sprintf("it holds %s, which is not a build's", name))
		}
	}
	return nil
}

// within reports whether path is dir or lies inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

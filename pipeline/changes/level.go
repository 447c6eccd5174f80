package changes

import (
	"fmt"
	"strconv"
	"strings"
)

// Level is how much a release changes the dataset, in the terms of Semantic Versioning as the
// Frictionless data-package versioning recipe applies it. Levels are ordered: LevelNone <
// LevelPatch < LevelMinor < LevelMajor, so Max can raise a computed level (a --bump flag)
// without ever lowering it.
type Level int

// The levels, lowest first.
const (
	LevelNone  Level = iota // nothing differs
	LevelPatch              // only values of existing rows or descriptive metadata changed
	LevelMinor              // something was added, rows were removed, or a constraint loosened
	LevelMajor              // something was removed or renamed, a type or key changed, or a constraint tightened
)

var levelNames = [...]string{"none", "patch", "minor", "major"}

// String is the level's name: none, patch, minor or major.
func (l Level) String() string {
	if l < LevelNone || l > LevelMajor {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// ParseLevel reads a level's name (none, patch, minor, major).
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if s == n {
			return Level(i), nil
		}
	}
	return LevelNone, fmt.Errorf("level %q is not one of none, patch, minor, major", s)
}

// MarshalText writes the level's name, so JSON holds "patch" rather than a number.
func (l Level) MarshalText() ([]byte, error) {
	if l < LevelNone || l > LevelMajor {
		return nil, fmt.Errorf("changes: invalid level %d", int(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText reads a level's name.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// Max is the higher of two levels: use it to apply a requested bump, which may raise the
// computed level but never lower it.
func Max(a, b Level) Level {
	if a > b {
		return a
	}
	return b
}

// Version is a release version MAJOR.MINOR.PATCH (no pre-release or build suffix).
type Version struct{ Major, Minor, Patch int }

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// Less orders versions by precedence.
func (v Version) Less(w Version) bool {
	if v.Major != w.Major {
		return v.Major < w.Major
	}
	if v.Minor != w.Minor {
		return v.Minor < w.Minor
	}
	return v.Patch < w.Patch
}

// ParseVersion reads "1.2.3" (a leading "v", as in a release folder name, is allowed). Numbers
// have no leading zeros, as Semantic Versioning requires.
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(strings.TrimPrefix(s, "v"), ".")
	if len(parts) != 3 {
		return Version{}, fmt.Errorf("version %q is not MAJOR.MINOR.PATCH", s)
	}
	var n [3]int
	for i, p := range parts {
		if p == "" || (len(p) > 1 && p[0] == '0') || strings.TrimLeft(p, "0123456789") != "" {
			return Version{}, fmt.Errorf("version %q is not MAJOR.MINOR.PATCH (numbers without sign or leading zeros)", s)
		}
		x, err := strconv.Atoi(p)
		if err != nil {
			return Version{}, fmt.Errorf("version %q: %w", s, err)
		}
		n[i] = x
	}
	return Version{n[0], n[1], n[2]}, nil
}

// Next is the version that follows prev for a release of the given level: major resets minor
// and patch, minor resets patch. The first release (prev empty) is "1.0.0" whatever the level.
// LevelNone returns prev unchanged (there is nothing to release). A prev that ParseVersion
// rejects gives ""; check it with ParseVersion first to report why.
func Next(prev string, level Level) string {
	if prev == "" {
		return "1.0.0"
	}
	v, err := ParseVersion(prev)
	if err != nil {
		return ""
	}
	switch level {
	case LevelMajor:
		v = Version{v.Major + 1, 0, 0}
	case LevelMinor:
		v = Version{v.Major, v.Minor + 1, 0}
	case LevelPatch:
		v.Patch++
	}
	return v.String()
}

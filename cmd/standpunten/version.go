package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// buildVersion is what the binary knows about the code it was built from
// (runtime/debug.ReadBuildInfo): the main module's version and the VCS stamp.
type buildVersion struct {
	Module   string `json:"module"`             // e.g. v1.2.0, v0.0.0-20261201105524-f234f175b368+dirty, or (devel)
	Revision string `json:"revision,omitempty"` // the commit, when the build was stamped (-buildvcs)
	Time     string `json:"time,omitempty"`     // the commit's time
	Modified bool   `json:"modified,omitempty"` // the working tree had changes
	Go       string `json:"go"`
}

func readVersion() buildVersion {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return buildVersion{Module: "(unknown)", Go: runtime.Version()}
	}
	return versionOf(bi)
}

func versionOf(bi *debug.BuildInfo) buildVersion {
	v := buildVersion{Module: bi.Main.Version, Go: bi.GoVersion}
	if v.Module == "" {
		v.Module = "(devel)"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// String is the line --version prints.
func (v buildVersion) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "standpunten %s", v.Module)
	if v.Revision == "" {
		fmt.Fprintf(&b, " (no VCS revision: built outside a git checkout or with -buildvcs=false; %s)", v.Go)
		return b.String()
	}
	fmt.Fprintf(&b, " (revision %s", v.Revision)
	if v.Time != "" {
		fmt.Fprintf(&b, ", %s", v.Time)
	}
	if v.Modified {
		b.WriteString(", modified")
	}
	fmt.Fprintf(&b, "; %s)", v.Go)
	return b.String()
}

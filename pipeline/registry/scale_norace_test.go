//go:build !race

package registry

// scaleEntries is the size of TestLoadAtScale: 100,000 registry entries.
const scaleEntries = 100_000

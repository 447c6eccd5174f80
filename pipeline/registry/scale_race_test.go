//go:build race

package registry

// scaleEntries is the size of TestLoadAtScale under the race detector, which makes TOML decoding
// many times slower; make slow-test runs the full 100,000 without it.
const scaleEntries = 20_000

// Package release publishes the dataset as immutable, semantically versioned releases under
// OUT/releases/vX.Y.Z/, and checks them.
//
// It owns the release folder layout, the order of the steps and their safety: one run at a time
// (a lock file in OUT), everything computed into a staging folder inside OUT/releases/ that is
// fsynced and renamed into place, then OUT/CHANGELOG.md and the OUT/latest link replaced by
// rename; stale staging folders of killed runs are removed by the next run. It wires the stages:
// build (tables), changes (diff and version level), codebook, metadata (datapackage.json,
// dcat.jsonld) and the SHA256SUMS file, and carries passage ids forward from the previous release
// (normalize.CarryIDs). The same composition drives Publish, a dry run and Verify, which rebuilds
// the latest release from the raw texts and compares every file byte for byte.
//
// It does not parse texts, decide what changed or how to describe a release: those belong to the
// stages it calls. Nothing it writes depends on a clock or the environment: the release date and
// the failpoint hook come in through Options (the clock only times --wait for the lock).
package release

package release

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/registry"
	"github.com/standpunten/standpunten/pipeline/sign"
	"github.com/standpunten/standpunten/pipeline/site"
)

// stagingName is the name Stage gives the staging folders of releases in OUT/releases.
const stagingName = "next"

// Publish builds, validates and compares with the latest release, and publishes a new release
// when something changed. It holds the output folder's lock throughout.
func Publish(ctx context.Context, o Options) (*Result, error) {
	log := o.log()
	if o.SignKey != "" {
		// An unusable key fails now, not after the build.
		if _, err := sign.Sign(o.SignKey, []byte("standpunten: key check\n")); err != nil {
			return nil, model.Classified(model.ErrConfig, fmt.Errorf("--sign-key: %w", err))
		}
	}
	unlock, err := lockLogged(ctx, o.OutDir, o.Wait, log)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := removeStale(o.OutDir); err != nil {
		return nil, err
	}
	h, err := readHistory(o.OutDir)
	if err != nil {
		return nil, err
	}

	// Nothing changed since the latest release was last found up to date (and the files beside
	// the releases are as that run left them): say so without building.
	inputs, hashed, err := inputsHash(o.RawDir, o.MaxBytes)
	if err != nil {
		inputs = "" // unreadable inputs: the build below reports them properly
	}
	fresh := h.latest != nil && !o.Rebuild && inputs != "" && upToDate(o.OutDir, inputs, h.latest)

	// A run killed after its release folder went in place left CHANGELOG.md or latest behind.
	if !o.DryRun && !fresh {
		if err := finish(o.OutDir, o.RawDir); err != nil {
			return nil, err
		}
	}
	if fresh {
		res := &Result{Status: UpToDate, Version: h.latest.Version, Level: changes.LevelNone, Reasons: []string{}, Path: h.latest.Dir,
			Validation: latestValidation(h.latest.Dir), Fingerprint: true, RawBytes: hashed}
		if n := len(h.versions); n > 1 {
			res.Previous = h.versions[n-2]
		}
		log.Info("up to date", "version", res.Version, "previous", res.Previous, "by", "fingerprint")
		return res, nil
	}

	stage, err := publish.Stage(filepath.Join(o.OutDir, ReleasesDir, stagingName))
	if err != nil {
		return nil, err
	}
	defer stage.Abort()
	p := plan{raw: o.RawDir, out: o.OutDir, maxBytes: o.MaxBytes, versions: h.versions, prevIdx: len(h.versions) - 1,
		prev: h.latest, first: h.first, date: o.Date, notes: o.Notes, bump: o.Bump, log: log, progress: o.Progress}
	if !o.AllowRemovals {
		share := o.RemovalShare
		if share <= 0 {
			share = DefaultRemovalShare
		}
		p.guard = &removalGuard{share: share}
	}
	c, err := compose(ctx, p, stage.Dir(), o.crash)
	if err != nil {
		return nil, err
	}
	ch := c.changes
	res := &Result{Version: ch.Version, Previous: ch.Previous, Level: ch.Level, Reasons: ch.Reasons, Validation: ch.Validation, Changes: ch, RawBytes: c.rawBytes}
	if h.latest != nil && c.computed == changes.LevelNone {
		res.Status, res.Version, res.Level, res.Reasons = UpToDate, h.latest.Version, changes.LevelNone, []string{}
		res.Path = h.latest.Dir
		// Previous is the release before Version, as for a published release: the one before the latest.
		res.Previous = ""
		if n := len(h.versions); n > 1 {
			res.Previous = h.versions[n-2]
		}
		log.Info("up to date", "version", res.Version, "previous", res.Previous, "by", "rebuild")
		recordFingerprint(o.OutDir, inputs, res.Version)
		return res, nil
	}
	if o.DryRun {
		res.Status = DryRun
		log.Info("dry run", "version", res.Version, "previous", res.Previous, "release_level", res.Level.String())
		return res, nil
	}
	if o.SignKey != "" {
		if err := signSums(stage.Dir(), o.SignKey); err != nil {
			return nil, err
		}
	}
	o.crash(FailBeforeCommit)
	// The last moment a signal stops the run: after the rename the release is published, and
	// the run finishes its pointer updates whatever comes.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dest := Dir(o.OutDir, ch.Version)
	if err := stage.CommitNew(dest); err != nil {
		return nil, err
	}
	o.crash(FailAfterCommit)
	res.Status, res.Path = Published, dest
	log.Info("published", "version", ch.Version, "previous", ch.Previous, "release_level", ch.Level.String(), "path", dest)
	if err := finish(o.OutDir, o.RawDir, o.crash); err != nil {
		return nil, err
	}
	recordFingerprint(o.OutDir, inputs, ch.Version)
	return res, nil
}

// signSums writes SHA256SUMS.sig, an SSH signature of the folder's SHA256SUMS.
func signSums(dir, key string) error {
	sums, err := os.ReadFile(filepath.Join(dir, SumsFile))
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	sig, err := sign.Sign(key, sums)
	if err != nil {
		return model.Classified(model.ErrConfig, fmt.Errorf("--sign-key: %w", err))
	}
	if err := os.WriteFile(filepath.Join(dir, publish.SignatureFile), sig, 0o644); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	return nil
}

// removeStale removes the staging folders and temporary files that killed runs left in the
// output folder. Only a lock holder calls it.
func removeStale(out string) error {
	for _, pattern := range []string{
		filepath.Join(out, ReleasesDir, "."+stagingName+".staging-*"),
		filepath.Join(out, ReleasesDir, "."+verifyName+".staging-*"),
		filepath.Join(out, "."+ChangelogFile+".tmp-*"),
		filepath.Join(out, "."+IndexFile+".tmp-*"),
		filepath.Join(out, "."+FingerprintFile+".tmp-*"),
		filepath.Join(out, "."+LatestLink+".tmp-*"),
	} {
		stale, err := filepath.Glob(pattern)
		if err != nil {
			return err
		}
		for _, s := range stale {
			if err := os.RemoveAll(s); err != nil {
				return fmt.Errorf("release: remove the stale %s: %w", s, err)
			}
		}
	}
	return nil
}

// finish makes OUT/CHANGELOG.md, OUT/index.html and OUT/latest agree with the release folders:
// the changelog holds every release's notes, newest first, the page lists every release (with the
// dataset's titles from raw/dataset.toml), and latest points at the newest release. Each is
// replaced by rename, and only when it differs.
func finish(out, raw string, crash ...func(string)) error {
	vs, err := Releases(out)
	if err != nil || len(vs) == 0 {
		return err
	}
	var sections []string
	for _, v := range slices.Backward(vs) {
		b, err := os.ReadFile(filepath.Join(Dir(out, v), ReleaseNotes))
		if err != nil {
			return fmt.Errorf("release: %w", err)
		}
		sections = append(sections, string(b))
	}
	log := []byte(changes.ChangelogMarkdown(sections))
	path := filepath.Join(out, ChangelogFile)
	if old, err := os.ReadFile(path); err != nil || !bytes.Equal(old, log) {
		if err := publish.WriteFileAtomic(path, log); err != nil {
			return err
		}
	}
	page, err := indexPage(out, raw, vs)
	if err != nil {
		return err
	}
	path = filepath.Join(out, IndexFile)
	if old, err := os.ReadFile(path); err != nil || !bytes.Equal(old, page) {
		if err := publish.WriteFileAtomic(path, page); err != nil {
			return err
		}
	}
	for _, c := range crash {
		c(FailAfterLog)
	}
	target := filepath.Join(ReleasesDir, "v"+vs[len(vs)-1])
	link := filepath.Join(out, LatestLink)
	if cur, err := os.Readlink(link); err == nil && cur == target {
		return nil
	}
	tmp := filepath.Join(out, "."+LatestLink+".tmp-"+strings.TrimPrefix(target, ReleasesDir+string(filepath.Separator)))
	_ = os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return fmt.Errorf("release: link %s: %w", link, err)
	}
	if err := os.Rename(tmp, link); err != nil {
		return fmt.Errorf("release: link %s: %w", link, err)
	}
	return syncDir(out)
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// IndexFile is the output folder's page that lists every release (the same name as a release's
// Dutch page: each folder's index).
const IndexFile = site.PageNL

// indexPage renders OUT/index.html from every release's changes.json.
func indexPage(out, raw string, versions []string) ([]byte, error) {
	dataset, err := registry.LoadDataset(raw)
	if err != nil {
		return nil, err
	}
	var entries []site.Entry
	for _, v := range versions {
		dir := Dir(out, v)
		// The index shows counts, not keys: a first release's list of every key is not read.
		path := filepath.Join(dir, ChangesFile)
		ch, err := changes.ReadSummary(path)
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("release: %w", err)
		}
		if err != nil {
			return nil, err // a *model.SourceError
		}
		entries = append(entries, site.Entry{Version: v, Date: mustDate(ch.Date), Changes: ch, Pages: hasPages(dir)})
	}
	return site.Index(dataset, entries)
}

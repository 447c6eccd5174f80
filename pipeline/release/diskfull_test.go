package release

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
)

// TestDiskFull publishes a patch release onto a small tmpfs that fills up at a dozen points
// between "no room at all" and "just enough", and checks after each that only complete releases
// exist, latest and CHANGELOG.md name the newest complete one, and nothing staged is left once the
// next run has cleaned up. A run with room then publishes exactly the bytes of an uninterrupted
// run. It needs to mount a tmpfs (root, or a user namespace that allows it) and skips otherwise.
func TestDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the disk-full test mounts a dozen tmpfs folders")
	}
	probe := t.TempDir()
	if err := syscall.Mount("tmpfs", probe, "tmpfs", 0, "size=64k"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v): the disk-full test needs root or CAP_SYS_ADMIN", err)
	}
	require.NoError(t, syscall.Unmount(probe, 0))

	// The reference: v1.0.0, then the patch v1.0.1, on an ordinary disk.
	raw := rawCopy(t)
	ref := filepath.Join(t.TempDir(), "output")
	publishOK(t, raw, ref, day1)
	base := t.TempDir()
	require.NoError(t, exec.Command("cp", "-a", ref+"/.", base).Run())
	require.NoError(t, os.Remove(filepath.Join(base, LatestLink)))
	require.NoError(t, os.Symlink(filepath.Join(ReleasesDir, "v1.0.0"), filepath.Join(base, LatestLink)))
	fixTypo(t, raw)
	day2 := model.Date{Year: 2026, Month: 11, Day: 24}
	publishOK(t, raw, ref, day2)
	v1 := usage(t, Dir(ref, "1.0.0"))
	v2 := usage(t, Dir(ref, "1.0.1"))

	const steps = 12
	failed := 0
	for i := 0; i <= steps; i++ {
		// Room for the old release and the output folder's files, plus a growing share of what
		// the new release needs (a staging folder and, at the end, twice that is always enough).
		room := v1 + 64<<10 + int64(i)*2*v2/steps
		mnt := t.TempDir()
		require.NoError(t, syscall.Mount("tmpfs", mnt, "tmpfs", 0, fmt.Sprintf("size=%dk", room>>10)))
		t.Cleanup(func() { _ = syscall.Unmount(mnt, syscall.MNT_DETACH) })
		out := filepath.Join(mnt, "output")
		require.NoError(t, os.MkdirAll(out, 0o755))
		require.NoError(t, exec.Command("cp", "-a", base+"/.", out).Run())

		_, err := Publish(context.Background(), Options{RawDir: raw, OutDir: out, Date: day2})
		if err != nil {
			failed++
			assert.ErrorIs(t, err, syscall.ENOSPC, "room %d KiB: a full disk is reported as such", room>>10)
		}
		vs, lerr := Releases(out)
		require.NoError(t, lerr)
		for _, v := range vs {
			assertValid(t, Dir(out, v))
		}
		if err == nil {
			assert.Equal(t, []string{"1.0.0", "1.0.1"}, vs)
			assertSameTree(t, Dir(ref, "1.0.1"), Dir(out, "1.0.1"))
		} else {
			assert.Equal(t, []string{"1.0.0"}, vs, "room %d KiB: a failed run publishes nothing", room>>10)
		}
		link, lerr := os.Readlink(filepath.Join(out, LatestLink))
		require.NoError(t, lerr)
		assert.Equal(t, filepath.Join(ReleasesDir, "v"+vs[len(vs)-1]), link)
		log, lerr := os.ReadFile(filepath.Join(out, ChangelogFile))
		require.NoError(t, lerr)
		assert.Contains(t, string(log), "## ["+vs[len(vs)-1]+"]")
		staged, _ := filepath.Glob(filepath.Join(out, ReleasesDir, ".*"))
		assert.Empty(t, staged, "room %d KiB: a failed run removes its staging folder", room>>10)
		require.NoError(t, syscall.Unmount(mnt, 0))
	}
	t.Logf("%d of %d runs ran out of space", failed, steps+1)
	assert.Greater(t, failed, steps/3, "the test must fill the disk in most runs")
	assert.Less(t, failed, steps+1, "the last runs have room enough")
}

// usage is the room a folder takes on a tmpfs: every file rounded up to whole 4 KiB pages.
func usage(t *testing.T, dir string) int64 {
	var n int64
	require.NoError(t, filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n += (info.Size() + 4095) / 4096 * 4096
		return nil
	}))
	return n
}

// assertSameTree checks that two folders hold the same files with the same bytes.
func assertSameTree(t *testing.T, want, got string) {
	t.Helper()
	a, err := listFiles(want)
	require.NoError(t, err)
	b, err := listFiles(got)
	require.NoError(t, err)
	require.Equal(t, sortedKeys(a), sortedKeys(b))
	for name := range a {
		x, err := os.ReadFile(a[name])
		require.NoError(t, err)
		y, err := os.ReadFile(b[name])
		require.NoError(t, err)
		assert.True(t, string(x) == string(y), "%s differs", name)
	}
}

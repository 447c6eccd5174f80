package publish

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Staging is a fresh folder next to a destination; Commit puts it in the destination's place.
// The usual pattern is
//
//	s, err := publish.Stage(dest)
//	...
//	defer s.Abort() // does nothing after a successful Commit
//	... write into s.Dir() ...
//	return s.Commit()
type Staging struct {
	dest, dir string
	done      bool
}

// Stage creates the staging folder ".<base>.staging-<random>" in dest's parent folder, which
// is created if needed.
func Stage(dest string) (*Staging, error) {
	dest = filepath.Clean(dest)
	parent, base := filepath.Split(dest)
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("publish: stage %s: %w", dest, err)
	}
	dir, err := os.MkdirTemp(parent, "."+base+".staging-")
	if err != nil {
		return nil, fmt.Errorf("publish: stage %s: %w", dest, err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		_ = os.Remove(dir)
		return nil, fmt.Errorf("publish: stage %s: %w", dest, err)
	}
	return &Staging{dest: dest, dir: dir}, nil
}

// Dir is the staging folder to write into.
func (s *Staging) Dir() string { return s.dir }

// Commit fsyncs every file and folder in the staging folder and renames it to the
// destination. An existing destination is first renamed aside to ".<base>.old-<random>"
// and removed once the new folder is in place; if the second rename fails it is put back.
// Between the two renames the destination briefly does not exist.
func (s *Staging) Commit() error {
	if s.done {
		return fmt.Errorf("publish: commit %s: staging folder %s was already committed or aborted", s.dest, s.dir)
	}
	if err := syncTree(s.dir); err != nil {
		return fmt.Errorf("publish: commit %s: %w", s.dest, err)
	}
	parent, base := filepath.Split(s.dest)
	if parent == "" {
		parent = "."
	}
	old := ""
	if _, err := os.Lstat(s.dest); err == nil {
		old = filepath.Join(parent, "."+base+".old-"+rand.Text())
		if err := os.Rename(s.dest, old); err != nil {
			return fmt.Errorf("publish: commit %s: move the previous version aside: %w", s.dest, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("publish: commit %s: %w", s.dest, err)
	}
	if err := os.Rename(s.dir, s.dest); err != nil {
		if old != "" {
			if rerr := os.Rename(old, s.dest); rerr != nil {
				err = errors.Join(err, fmt.Errorf("the previous version is left at %s: %w", old, rerr))
			}
		}
		return fmt.Errorf("publish: commit %s: %w", s.dest, err)
	}
	s.done = true
	if err := syncDir(parent); err != nil {
		return fmt.Errorf("publish: commit %s: %w", s.dest, err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("publish: commit %s: the new version is in place, but removing the previous one failed (delete %s by hand): %w", s.dest, old, err)
		}
	}
	return nil
}

// CommitNew fsyncs every file and folder in the staging folder and renames it to dest, a
// folder that must not exist yet and must be in the same parent folder as the staging folder
// (an immutable release: nothing is ever replaced). The caller serializes commits with a lock.
func (s *Staging) CommitNew(dest string) error {
	if s.done {
		return fmt.Errorf("publish: commit %s: staging folder %s was already committed or aborted", dest, s.dir)
	}
	if filepath.Dir(filepath.Clean(dest)) != filepath.Dir(s.dir) {
		return fmt.Errorf("publish: commit %s: not in the staging folder's parent %s", dest, filepath.Dir(s.dir))
	}
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("publish: commit %s: it exists already and is never replaced", dest)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("publish: commit %s: %w", dest, err)
	}
	if err := syncTree(s.dir); err != nil {
		return fmt.Errorf("publish: commit %s: %w", dest, err)
	}
	if err := os.Rename(s.dir, dest); err != nil {
		return fmt.Errorf("publish: commit %s: %w", dest, err)
	}
	s.done = true
	if err := syncDir(filepath.Dir(dest)); err != nil {
		return fmt.Errorf("publish: commit %s: %w", dest, err)
	}
	return nil
}

// Abort removes the staging folder. It does nothing after Commit succeeded or a previous Abort.
func (s *Staging) Abort() error {
	if s.done {
		return nil
	}
	s.done = true
	if err := os.RemoveAll(s.dir); err != nil {
		return fmt.Errorf("publish: abort %s: %w", s.dest, err)
	}
	return nil
}

// syncTree fsyncs every regular file and folder below and including root.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return syncDir(path)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("sync %s: %w", path, err)
		}
		return nil
	})
}

// syncDir fsyncs a folder so that renames and new entries in it are durable. File systems
// that cannot sync folders are tolerated.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// WriteFileAtomic writes data to path through a temporary file in the same folder: write,
// fsync, rename over path, fsync the folder. Readers see the old file or the new one, never
// a part. The file gets mode 0644.
func WriteFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-")
	if err != nil {
		return fmt.Errorf("publish: write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
			err = fmt.Errorf("publish: write %s: %w", path, err)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// EncodeJSON is the JSON text WriteJSON writes: indented by two spaces, keys of maps sorted,
// no HTML escaping, a trailing newline.
func EncodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteJSON writes v as EncodeJSON text to path with WriteFileAtomic.
func WriteJSON(path string, v any) error {
	b, err := EncodeJSON(v)
	if err != nil {
		return fmt.Errorf("publish: write %s: %w", path, err)
	}
	return WriteFileAtomic(path, b)
}

package release

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/standpunten/standpunten/pipeline/model"
)

// LockFile is the lock file in the output folder.
const LockFile = ".lock"

// lock takes the exclusive lock on OUT/.lock. With wait 0 it fails at once when another run
// holds it; otherwise it tries until wait has passed. The lock goes with the process, so a
// killed run leaves no lock behind. unlock releases it.
func lock(ctx context.Context, out string, wait time.Duration) (unlock func(), err error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	path := filepath.Join(out, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("release: lock %s: %w", path, err)
	}
	deadline := time.Now().Add(wait)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("release: lock %s: %w", path, err)
		}
		if wait <= 0 || time.Now().After(deadline) {
			holder, _ := os.ReadFile(path)
			f.Close()
			msg := fmt.Sprintf("%s is locked by another run", path)
			if pid := strings.TrimSpace(string(holder)); pid != "" {
				msg += " (process " + pid + ")"
			}
			return nil, model.Classified(model.ErrLocked, errors.New(msg+"; wait for it to finish or pass --wait DURATION"))
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() {
		_ = f.Truncate(0)
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

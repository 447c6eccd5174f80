package release

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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

// lockReportEvery is how often a run that waits for the lock says it still does.
const lockReportEvery = 10 * time.Second

// lock takes the exclusive lock on OUT/.lock. With wait 0 it fails at once when another run
// holds it; otherwise it tries until wait has passed. The lock goes with the process, so a
// killed run leaves no lock behind. unlock releases it.
func lock(ctx context.Context, out string, wait time.Duration) (unlock func(), err error) {
	return lockLogged(ctx, out, wait, slog.New(slog.DiscardHandler))
}

// lockShared takes the lock on OUT/.lock shared, as verify does: any number of verify runs at
// once, but none while a release holds it (which removes staging folders, verify's among them),
// and no release while one runs. It waits as long as wait, like lock.
func lockShared(ctx context.Context, out string, wait time.Duration, log *slog.Logger) (unlock func(), err error) {
	return takeLock(ctx, out, wait, log, syscall.LOCK_SH)
}

// lockLogged is lock that logs, while it waits, who holds the lock (the process id the holder
// wrote into the file) and how long it will wait: when it starts waiting, then every
// lockReportEvery, and when it got the lock.
func lockLogged(ctx context.Context, out string, wait time.Duration, log *slog.Logger) (unlock func(), err error) {
	return takeLock(ctx, out, wait, log, syscall.LOCK_EX)
}

// takeLock takes OUT/.lock exclusive (how LOCK_EX: it then writes its process id into the file)
// or shared (LOCK_SH).
func takeLock(ctx context.Context, out string, wait time.Duration, log *slog.Logger, how int) (unlock func(), err error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	path := filepath.Join(out, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("release: lock %s: %w", path, err)
	}
	start := time.Now()
	deadline := start.Add(wait)
	var reported time.Time // when the last "waiting" line was logged; zero before the first
	for {
		err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("release: lock %s: %w", path, err)
		}
		holder := lockHolder(path)
		now := time.Now()
		if wait <= 0 || now.After(deadline) {
			f.Close()
			msg := fmt.Sprintf("%s is locked by another run", path)
			if holder != "" {
				msg += " (process " + holder + ")"
			}
			if wait <= 0 {
				msg += "; wait for it to finish or pass --wait DURATION (e.g. --wait 10m)"
			} else {
				msg += fmt.Sprintf("; waited %s for it to finish (--wait): try again later, or wait longer", wait)
			}
			return nil, model.Classified(model.ErrLocked, errors.New(msg))
		}
		switch {
		case reported.IsZero():
			log.Info("waiting for the lock", "lock", path, "holder_pid", holder, "wait", wait.String())
			reported = now
		case now.Sub(reported) >= lockReportEvery:
			log.Info("still waiting for the lock", "lock", path, "holder_pid", holder,
				"waited", now.Sub(start).Round(time.Second).String(), "remaining", deadline.Sub(now).Round(time.Second).String())
			reported = now
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	if !reported.IsZero() {
		log.Info("lock taken", "lock", path, "waited", time.Since(start).Round(time.Millisecond).String())
	}
	if how == syscall.LOCK_SH {
		return func() {
			_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			f.Close()
		}, nil
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() {
		_ = f.Truncate(0)
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// lockHolder is the process id the run holding the lock wrote into the lock file, or "" when
// it wrote none (yet).
func lockHolder(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

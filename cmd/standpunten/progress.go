package main

import (
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v3"
	"golang.org/x/term"

	"github.com/standpunten/standpunten/pipeline/build"
)

// Progress modes (--progress).
const (
	progressAuto   = "auto"   // a bar on a terminal, log lines otherwise
	progressAlways = "always" // a bar even when stderr is not a terminal (text logs only)
	progressNever  = "never"  // neither bar nor progress lines
)

// progressEvery is how often a run without a terminal logs how far it is.
const progressEvery = 5 * time.Second

func progressFlag() cli.Flag {
	return &cli.StringFlag{Name: "progress", Value: progressAuto,
		Usage: "auto: a progress bar on a terminal, a log line every 5 s otherwise; always: the bar also without a terminal; never: neither"}
}

func checkProgress(mode string) error {
	switch mode {
	case progressAuto, progressAlways, progressNever:
		return nil
	}
	return usageError{fmt.Errorf("--progress %q: use auto, always or never", mode)}
}

// progress returns what the build reports its progress to, and a function to call when the build
// is over: a bar on stderr when it is a terminal (and the logs are text), else a "progress" log
// line every progressEvery with documents, bytes, MB/s and the time left; nothing with
// --progress never.
func (s *session) progress(mode string) (report func(build.Progress), done func()) {
	if mode == progressNever {
		return nil, func() {}
	}
	tty := false
	if f, ok := s.stderr.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	start := time.Now()
	if s.format == logText && (tty || mode == progressAlways) {
		var bar *progressbar.ProgressBar
		return func(p build.Progress) {
				if bar == nil {
					bar = progressbar.NewOptions64(p.TotalBytes, progressbar.OptionSetWriter(s.stderr),
						progressbar.OptionShowBytes(true), progressbar.OptionSetPredictTime(true),
						progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish(),
						progressbar.OptionSetWidth(30), progressbar.OptionUseANSICodes(tty))
				}
				bar.Describe(fmt.Sprintf("%d/%d documents", p.Documents, p.TotalDocuments))
				_ = bar.Set64(p.Bytes)
			}, func() {
				if bar != nil {
					_ = bar.Finish()
				}
			}
	}
	var last time.Time
	return func(p build.Progress) {
		now := time.Now()
		if now.Sub(last) < progressEvery && p.Documents < p.TotalDocuments {
			return
		}
		if last.IsZero() && now.Sub(start) < progressEvery {
			return // a run shorter than progressEvery logs no progress at all (its end line says it all)
		}
		last = now
		elapsed := now.Sub(start).Seconds()
		rate := 0.0
		if elapsed > 0 {
			rate = float64(p.Bytes) / 1e6 / elapsed
		}
		left := 0.0
		if p.Bytes > 0 {
			left = elapsed * float64(p.TotalBytes-p.Bytes) / float64(p.Bytes)
		}
		s.log.Info("progress", "documents", p.Documents, "total_documents", p.TotalDocuments, "bytes", p.Bytes,
			"total_bytes", p.TotalBytes, "mb_per_s", round2(rate), "seconds_left", round2(left))
	}, func() {}
}

// Command standpunten builds and publishes the dataset of Dutch parties' positions on digital policy.
package main

import (
	"context"
	"os"
	"runtime/debug"
)

// memoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT is not set: the garbage
// collector works harder as the heap nears it, so that a run over a large corpus, whose live data
// stays small (the stages stream document by document), keeps its resident memory near the limit
// rather than at twice the live heap. It is soft: a run that needs more gets more.
const memoryLimit = 256 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := withSignals(context.Background())
	code := run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

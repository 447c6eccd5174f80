package build

import (
	"context"
	"sync"
)

// inputError marks a document's error as a problem of the raw text, which the build collects so
// that one run reports every bad text; any other error stops the build.
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }

// inOrder runs work(i) for i in [0, n) on up to workers goroutines and hands each result to
// emit in index order, on one goroutine at a time, so what emit writes does not depend on the
// number of workers. At most 2×workers results wait for emit, so memory stays bounded by the
// documents in flight, not the corpus. The first error emit returns stops the run: no new work
// starts, and inOrder returns it once the running work has finished. A canceled ctx stops it the
// same way with ctx's error.
func inOrder[T any](ctx context.Context, n, workers int, work func(i int) (T, error), emit func(i int, v T, err error) error) error {
	return inOrderWindow(ctx, n, workers, window{}, work, emit)
}

// window says how far work may run ahead of emit: always 2×workers items; beyond that, up to
// most items as long as the weights of the items in flight stay within budget. A large item that
// holds up emit then does not idle the other workers while small ones could go on, and memory
// stays bounded by the budget (weights are the documents' raw bytes).
type window struct {
	weight func(i int) int64
	budget int64
	most   int
}

// inOrderWindow is inOrder with a window that may be wider than 2×workers (see window).
func inOrderWindow[T any](ctx context.Context, n, workers int, win window, work func(i int) (T, error), emit func(i int, v T, err error) error) error {
	if workers < 1 {
		workers = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	slots := make([]chan result, n) // one buffered channel per index: the result, once done
	for i := range slots {
		slots[i] = make(chan result, 1)
	}
	least := 2 * workers
	weight := func(i int) int64 {
		if win.weight == nil {
			return 0
		}
		return win.weight(i)
	}
	// In flight: dispatched and not yet emitted, by count and by weight.
	var mu sync.Mutex
	room := sync.NewCond(&mu)
	count, load := 0, int64(0)
	fits := func(i int) bool {
		return count < least || (count < win.most && load+weight(i) <= win.budget)
	}
	stopped := false
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				v, err := work(i)
				slots[i] <- result{v, err}
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range n {
			mu.Lock()
			for !stopped && !fits(i) {
				room.Wait()
			}
			if stopped {
				mu.Unlock()
				return
			}
			count++
			load += weight(i)
			mu.Unlock()
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	stop := func() {
		cancel()
		mu.Lock()
		stopped = true
		room.Broadcast()
		mu.Unlock()
	}
	go func() { <-ctx.Done(); stop() }() // the caller's ctx wakes a waiting dispatcher too
	var firstErr error
	for i := range n {
		var r result
		select {
		case r = <-slots[i]:
		case <-ctx.Done():
			firstErr = ctx.Err() // only the caller's ctx can be done here
		}
		if firstErr != nil {
			break
		}
		if err := emit(i, r.v, r.err); err != nil {
			firstErr = err
			break
		}
		mu.Lock()
		count--
		load -= weight(i)
		room.Signal()
		mu.Unlock()
	}
	// Stop the dispatcher and let the workers finish what they hold (each result has room in its
	// slot, so no worker blocks).
	stop()
	wg.Wait()
	return firstErr
}

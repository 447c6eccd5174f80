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
	inFlight := make(chan struct{}, 2*workers) // tokens: taken at dispatch, returned after emit
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
			select {
			case inFlight <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				<-inFlight
				return
			}
		}
	}()
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
		<-inFlight
	}
	// Stop the dispatcher and let the workers finish what they hold (each result has room in its
	// slot, so no worker blocks).
	cancel()
	wg.Wait()
	return firstErr
}

package build

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInOrder: results reach emit in index order whatever the workers' timing, and no more than
// 2×workers are in flight.
func TestInOrder(t *testing.T) {
	for _, workers := range []int{1, 2, 7} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			var inFlight, peak atomic.Int64
			var got []int
			err := inOrder(context.Background(), 200, workers, func(i int) (int, error) {
				n := inFlight.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
				return i * i, nil
			}, func(i, v int, err error) error {
				require.NoError(t, err)
				assert.Equal(t, i*i, v)
				got = append(got, i)
				inFlight.Add(-1)
				return nil
			})
			require.NoError(t, err)
			require.Len(t, got, 200)
			for i, g := range got {
				require.Equal(t, i, g)
			}
			assert.LessOrEqual(t, peak.Load(), int64(2*workers))
		})
	}
}

// TestInOrderStops: an error from emit, or a canceled context, stops the run with that error and
// no later index is emitted; work errors reach emit with their index.
func TestInOrderStops(t *testing.T) {
	stop := errors.New("stop")
	var last int
	err := inOrder(context.Background(), 1000, 3, func(i int) (int, error) {
		if i == 5 {
			return 0, errors.New("bad text")
		}
		return i, nil
	}, func(i, _ int, err error) error {
		last = i
		if i == 5 {
			assert.EqualError(t, err, "bad text")
		}
		if i == 10 {
			return stop
		}
		return nil
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 10, last)

	ctx, cancel := context.WithCancel(context.Background())
	err = inOrder(ctx, 1000, 3, func(i int) (int, error) { return i, nil }, func(i, _ int, _ error) error {
		if i == 20 {
			cancel()
		}
		return nil
	})
	assert.ErrorIs(t, err, context.Canceled)
}

// TestInOrderWindow: past 2×workers, work runs ahead only while the weights in flight fit the
// budget, and never past most; results still reach emit in order.
func TestInOrderWindow(t *testing.T) {
	weight := func(i int) int64 {
		if i%10 == 0 {
			return 10 // a long text now and then
		}
		return 1
	}
	const workers, budget, most = 2, 20, 12
	var mu sync.Mutex
	count, load, peakCount, peakLoad := 0, int64(0), 0, int64(0)
	var got []int
	err := inOrderWindow(context.Background(), 300, workers, window{weight: weight, budget: budget, most: most}, func(i int) (int, error) {
		mu.Lock()
		count++
		load += weight(i)
		peakCount = max(peakCount, count)
		if count > 2*workers {
			peakLoad = max(peakLoad, load)
		}
		mu.Unlock()
		if i%10 == 0 {
			time.Sleep(2 * time.Millisecond) // the long one is slow: the others run ahead of it
		}
		return i, nil
	}, func(i, v int, err error) error {
		require.NoError(t, err)
		got = append(got, v)
		mu.Lock()
		count--
		load -= weight(i)
		mu.Unlock()
		return nil
	})
	require.NoError(t, err)
	require.Len(t, got, 300)
	for i, g := range got {
		require.Equal(t, i, g)
	}
	assert.LessOrEqual(t, peakCount, most)
	assert.Greater(t, peakCount, 2*workers, "small items ran ahead of a slow long one")
	assert.LessOrEqual(t, peakLoad, int64(budget), "past 2×workers the weights in flight stay within the budget")
}

package site

import "container/heap"

// rank orders the passages a page embeds: by major (a document's place on the page, or a Big
// Tech list's), then seq, then passage id.
type rank struct {
	major int
	seq   int64
	id    string
}

func (a rank) less(b rank) bool {
	if a.major != b.major {
		return a.major < b.major
	}
	if a.seq != b.seq {
		return a.seq < b.seq
	}
	return a.id < b.id
}

// prefix keeps, of the items offered to it in any order, the longest run from the first in rank
// order that holds at most maxItems items and maxBytes bytes (each item's size is given). It holds
// only that run: the items in a max-heap, and once an item had to go, the rank of the first one
// that did not fit (frontier), so that an item ranked after it is refused at once. Memory is
// bounded by the limits, not by the number of items offered.
type prefix[T any] struct {
	maxItems, maxBytes int

	items    prefixHeap[T]
	bytes    int
	cut      bool // an item was refused or dropped: the run does not hold every item offered
	frontier rank // when cut: the first rank not in the run
}

type prefixItem[T any] struct {
	r    rank
	size int
	v    T
}

// prefixHeap is a max-heap by rank.
type prefixHeap[T any] []prefixItem[T]

func (h prefixHeap[T]) Len() int           { return len(h) }
func (h prefixHeap[T]) Less(i, j int) bool { return h[j].r.less(h[i].r) }
func (h prefixHeap[T]) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *prefixHeap[T]) Push(x any)        { *h = append(*h, x.(prefixItem[T])) }
func (h *prefixHeap[T]) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = prefixItem[T]{}
	*h = old[:len(old)-1]
	return x
}

// admits reports whether an item of rank r could still be in the run; offer only those, so that
// a refused item costs nothing to make.
func (p *prefix[T]) admits(r rank) bool { return !p.cut || r.less(p.frontier) }

// offer adds an item and drops the last ones in rank order while the run is over a limit.
func (p *prefix[T]) offer(r rank, size int, v T) {
	if !p.admits(r) {
		return
	}
	heap.Push(&p.items, prefixItem[T]{r: r, size: size, v: v})
	p.bytes += size
	for len(p.items) > p.maxItems || p.bytes > p.maxBytes {
		last := heap.Pop(&p.items).(prefixItem[T])
		p.bytes -= last.size
		p.cut, p.frontier = true, last.r // every item still held ranks before it
	}
}

// run empties the prefix and returns its items in rank order.
func (p *prefix[T]) run() []prefixItem[T] {
	out := make([]prefixItem[T], len(p.items))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&p.items).(prefixItem[T])
	}
	p.bytes = 0
	return out
}

package release

import (
	"fmt"
	"iter"
	"sync"

	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/model"
)

// carrier hands the build the previous release's passages of one document at a time, for
// normalize.CarryIDs, reading the previous passages table forward once. The build asks for
// documents in id order, a few at once from its workers, and the table is grouped by document in
// id order, so only the groups read past but not yet asked for are held: about one per worker,
// plus those of documents no longer registered.
type carrier struct {
	mu      sync.Mutex
	version string
	next    func() ([]any, error, bool)
	stop    func()
	ahead   *model.Passage // first passage of the next group, read already
	held    map[string][]model.Passage
	last    string // document of the last group read
	done    bool
	err     error
}

func newCarrier(prev *changes.Snapshot, version string) *carrier {
	c := &carrier{version: version, held: map[string][]model.Passage{}}
	if prev.Empty() {
		c.done = true
		return c
	}
	c.next, c.stop = iter.Pull2(prev.Rows("passages"))
	return c
}

// passages returns the previous passages of document doc (nil for a new document). It is safe
// for concurrent use.
func (c *carrier) passages(doc string) []model.Passage {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if ps, ok := c.held[doc]; ok {
			delete(c.held, doc)
			return ps
		}
		if c.done || (c.last != "" && doc <= c.last) {
			return nil // its group would have been read by now: the document had no passages
		}
		c.readGroup()
	}
}

// readGroup reads the next document's passages into held.
func (c *carrier) readGroup() {
	var group []model.Passage
	if c.ahead != nil {
		group = append(group, *c.ahead)
		c.ahead = nil
	}
	for {
		row, err, more := c.next()
		if !more {
			c.done = true
			break
		}
		if err == nil {
			var p model.Passage
			if p, err = model.PassageFromCells(row); err == nil {
				if group == nil {
					group = []model.Passage{p}
					continue
				}
				if p.DocumentID == group[0].DocumentID {
					group = append(group, p)
					continue
				}
				c.ahead = &p
				break
			}
		}
		c.err = fmt.Errorf("release: passages of v%s: %w", c.version, err)
		c.done = true
		break
	}
	if group == nil {
		return
	}
	d := group[0].DocumentID
	if _, dup := c.held[d]; dup || (c.last != "" && d <= c.last) {
		if c.err == nil {
			c.err = fmt.Errorf("release: the passages of v%s are not grouped by document in id order (document %s after %s); "+
				"that release was not written by this program", c.version, d, c.last)
		}
		c.done = true
		return
	}
	c.last = d
	c.held[d] = group
}

// close stops the reading and returns the first error met. With check, it first reads the rest
// of the table, so that a group out of order anywhere is an error (a document asked for before
// its group was reached would have got nothing); a build that failed has no need.
func (c *carrier) close(check bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for check && !c.done {
		c.readGroup()
		clear(c.held)
	}
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
	c.done = true
	return c.err
}

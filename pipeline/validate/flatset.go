package validate

import (
	"encoding/binary"
	"math/bits"
)

// flatSet is a set of small fixed-size values (a packed passage id, a 16-byte digest) kept in
// the slots of 256 open-addressed tables with linear probing; the top byte of a value's hash picks
// the table, the rest its first slot. Each table grows on its own, by a quarter, when it is four
// fifths full, so the set holds between 1.25 and 1.56 slots per value, and a growth copies one
// table (a 256th of the set), never the whole set at once. A Go map of the same values costs
// about three times as much (its slots are 16 bytes for an 8-byte key with an empty value, and
// it doubles). An empty slot holds the zero value; whether the zero value itself is in the set
// is kept apart.
type flatSet[K comparable] struct {
	hash  func(K) uint64
	parts [256]flatPart[K]
	zero  bool // the zero value is in the set
	n     int
}

type flatPart[K comparable] struct {
	slots []K
	n     int
}

// add puts k in the set and reports whether it was there already.
func (s *flatSet[K]) add(k K) (seen bool) {
	var zero K
	if k == zero {
		seen, s.zero = s.zero, true
		if !seen {
			s.n++
		}
		return seen
	}
	h := s.hash(k)
	p := &s.parts[h>>56]
	if 5*(p.n+1) > 4*len(p.slots) {
		p.grow(s.hash)
	}
	if p.put(k, h) {
		return true
	}
	p.n++
	s.n++
	return false
}

// has reports whether k is in the set.
func (s *flatSet[K]) has(k K) bool {
	var zero K
	if k == zero {
		return s.zero
	}
	h := s.hash(k)
	p := &s.parts[h>>56]
	if len(p.slots) == 0 {
		return false
	}
	for i := p.first(h); ; {
		switch p.slots[i] {
		case k:
			return true
		case zero:
			return false
		}
		if i++; i == len(p.slots) {
			i = 0
		}
	}
}

// first is the slot where the probe for a value of hash h starts: the low 56 bits of h scaled
// to the table's size.
func (p *flatPart[K]) first(h uint64) int {
	hi, _ := bits.Mul64(h<<8, uint64(len(p.slots)))
	return int(hi)
}

// put stores k (not the zero value) in the first free slot of its probe unless it is there
// already, and reports whether it was. The table has a free slot.
func (p *flatPart[K]) put(k K, h uint64) (seen bool) {
	var zero K
	for i := p.first(h); ; {
		switch p.slots[i] {
		case k:
			return true
		case zero:
			p.slots[i] = k
			return false
		}
		if i++; i == len(p.slots) {
			i = 0
		}
	}
}

// grow makes the table a quarter larger (8 slots the first time) and puts its values back.
func (p *flatPart[K]) grow(hash func(K) uint64) {
	old := p.slots
	p.slots = make([]K, max(8, len(old)+len(old)/4))
	var zero K
	for _, k := range old {
		if k != zero {
			p.put(k, hash(k))
		}
	}
}

// mix64 is the finalizer of MurmurHash3: every bit of x moves every bit of the hash.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

func mix128(d [16]byte) uint64 {
	return mix64(binary.LittleEndian.Uint64(d[:8]) ^ mix64(binary.LittleEndian.Uint64(d[8:])))
}

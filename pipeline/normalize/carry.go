package normalize

import (
	"sort"

	"github.com/standpunten/standpunten/pipeline/model"
)

// MinSimilarity is how alike two texts must be (1 = equal, see Similarity) for a changed passage
// to keep the id of the passage it replaces.
const MinSimilarity = 0.8

// CarryIDs gives the passages of one document the ids they had in a previous release, so that a
// corrected text keeps its key. It changes next in place and returns how many ids it carried.
//
// The rule, in order:
//  1. Exact: a passage with the same party, kind and text as a previous one takes its id; equal
//     texts pair up in source order.
//  2. Near: of the passages left, one with the same party, kind and section as a previous one left
//     over, and a text at least MinSimilarity alike, takes its id; the most alike pairs first,
//     ties in source order.
//
// Every other passage keeps its content-derived id, unless a carried id already is that id (the
// text was the old text of a passage that changed since and kept its id): then it gets the id of
// the next free occurrence number. Parent ids are rewritten to follow the ids they named. prev
// and next must be of the same document.
func CarryIDs(prev, next []model.Passage) int {
	taken := make([]bool, len(prev))
	newID := make([]string, len(next)) // "" = not matched
	party := func(p *model.Passage) string {
		if p.PartyID == nil {
			return ""
		}
		return *p.PartyID
	}

	exact := map[string][]int{}
	for i := range prev {
		k := party(&prev[i]) + "\x00" + string(prev[i].Kind) + "\x00" + prev[i].Text
		exact[k] = append(exact[k], i)
	}
	for j := range next {
		k := party(&next[j]) + "\x00" + string(next[j].Kind) + "\x00" + next[j].Text
		if c := exact[k]; len(c) > 0 {
			newID[j], taken[c[0]] = prev[c[0]].ID, true
			exact[k] = c[1:]
		}
	}

	type pair struct {
		sim  float64
		i, j int
	}
	group := func(p *model.Passage) string { return party(p) + "\x00" + string(p.Kind) + "\x00" + p.Section }
	left := map[string][]int{}
	for i := range prev {
		if !taken[i] {
			left[group(&prev[i])] = append(left[group(&prev[i])], i)
		}
	}
	var pairs []pair
	for j := range next {
		if newID[j] != "" {
			continue
		}
		for _, i := range left[group(&next[j])] {
			if s := Similarity(prev[i].Text, next[j].Text); s >= MinSimilarity {
				pairs = append(pairs, pair{s, i, j})
			}
		}
	}
	sort.Slice(pairs, func(a, b int) bool {
		if pairs[a].sim != pairs[b].sim {
			return pairs[a].sim > pairs[b].sim
		}
		if pairs[a].j != pairs[b].j {
			return pairs[a].j < pairs[b].j
		}
		return pairs[a].i < pairs[b].i
	})
	for _, p := range pairs {
		if !taken[p.i] && newID[p.j] == "" {
			newID[p.j], taken[p.i] = prev[p.i].ID, true
		}
	}

	// Final ids: carried ones first; a passage that kept its content id gets a fresh one when a
	// carried id already is that id (its text was once the text of a passage that has since
	// changed and kept the id), so that keys stay unique.
	renamed := map[string]string{} // content id → final id, for the ids that change
	used := map[string]bool{}
	original := map[string]bool{}
	carried := 0
	for j := range next {
		original[next[j].ID] = true
		if newID[j] != "" {
			carried++
			used[newID[j]] = true
		}
	}
	for j := range next {
		if newID[j] != "" {
			continue
		}
		id := next[j].ID
		for k := 1; used[id]; k++ {
			if cand := PassageID(next[j].DocumentID, party(&next[j]), next[j].Kind, next[j].Text, k); !original[cand] {
				id = cand
			}
		}
		newID[j], used[id] = id, true
	}
	for j := range next {
		if newID[j] != next[j].ID {
			renamed[next[j].ID] = newID[j]
			next[j].ID = newID[j]
		}
	}
	for j := range next {
		if p := next[j].ParentID; p != nil {
			if id, ok := renamed[*p]; ok {
				next[j].ParentID = &id
			}
		}
	}
	return carried
}

// Similarity is 1 minus the edit distance between two texts (in characters) divided by the
// length of the longer one: 1 for equal texts, 0 for texts with nothing in common. Where the
// difference in length alone puts two texts below MinSimilarity, it returns the bound that
// difference gives (also below MinSimilarity) without computing the distance.
func Similarity(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 && len(rb) == 0 {
		return 1
	}
	longer := max(len(ra), len(rb))
	// A length difference alone already rules a pair out: skip the quadratic work.
	if float64(longer-min(len(ra), len(rb)))/float64(longer) > 1-MinSimilarity {
		return 1 - float64(longer-min(len(ra), len(rb)))/float64(longer)
	}
	row := make([]int, len(rb)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(rb); j++ {
			cur := row[j]
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			row[j] = min(row[j]+1, row[j-1]+1, diag+cost)
			diag = cur
		}
	}
	return 1 - float64(row[len(rb)])/float64(longer)
}

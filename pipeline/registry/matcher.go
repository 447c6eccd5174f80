package registry

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/standpunten/standpunten/pipeline/model"
)

// Matcher finds party names in text: aliases are matched case-sensitively, on word boundaries,
// leftmost first and longest first, without overlaps ("GroenLinks-PvdA" is one mention, not two).
type Matcher struct {
	aliases []aliasEntry      // longest first
	exact   map[string]string // alias → the party of its first entry in aliases
	byID    map[string]*model.Party
	all     []string
}

type aliasEntry struct {
	alias   string
	partyID string
}

// Mention is one party name found in a text; Start and End are byte offsets into that text.
type Mention struct {
	PartyID    string
	Alias      string
	Start, End int
}

// NewMatcher builds a matcher over the parties' aliases.
func NewMatcher(parties []model.Party) *Matcher {
	m := &Matcher{byID: map[string]*model.Party{}}
	for i := range parties {
		p := &parties[i]
		m.byID[p.ID] = p
		for _, a := range p.Aliases {
			m.aliases = append(m.aliases, aliasEntry{a, p.ID})
			m.all = append(m.all, a)
		}
	}
	sort.SliceStable(m.aliases, func(i, j int) bool {
		if len(m.aliases[i].alias) != len(m.aliases[j].alias) {
			return len(m.aliases[i].alias) > len(m.aliases[j].alias)
		}
		return m.aliases[i].alias < m.aliases[j].alias
	})
	sort.Strings(m.all)
	m.exact = make(map[string]string, len(m.aliases))
	for _, a := range m.aliases {
		if _, ok := m.exact[a.alias]; !ok {
			m.exact[a.alias] = a.partyID
		}
	}
	return m
}

// PartyByID returns the party with the id, or nil.
func (m *Matcher) PartyByID(id string) *model.Party { return m.byID[id] }

// Find returns every party mention in text, in order.
func (m *Matcher) Find(text string) []Mention {
	var found []Mention
	for _, a := range m.aliases {
		for from := 0; from < len(text); {
			i := strings.Index(text[from:], a.alias)
			if i < 0 {
				break
			}
			s, e := from+i, from+i+len(a.alias)
			from = s + 1
			if !boundaryBefore(text, s) || !boundaryAfter(text, e) {
				continue
			}
			overlaps := false
			for _, f := range found {
				if s < f.End && f.Start < e {
					overlaps = true
					break
				}
			}
			if !overlaps {
				found = append(found, Mention{PartyID: a.partyID, Alias: a.alias, Start: s, End: e})
			}
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Start < found[j].Start })
	return found
}

// Exact resolves a name that must be a party name as a whole (a heading, a score row label).
func (m *Matcher) Exact(name string) (string, bool) {
	id, ok := m.exact[name]
	return id, ok
}

// Closest returns the known alias nearest to name, for error messages.
func (m *Matcher) Closest(name string) string {
	best, bestD := "", 1<<30
	for _, a := range m.all {
		if d := Distance(strings.ToLower(name), strings.ToLower(a)); d < bestD {
			best, bestD = a, d
		}
	}
	return best
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !isWordRune(r)
}

func boundaryAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !isWordRune(r)
}

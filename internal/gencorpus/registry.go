package gencorpus

import (
	"bytes"
	_ "embed"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/registry"
)

// Copies of the project's registry files (raw/parties.toml, raw/elections.toml, raw/dataset.toml):
// a generated corpus names the same parties and elections and publishes under the same metadata.
// TestRegistryCopies keeps them equal to raw/.
var (
	//go:embed data/parties.toml
	partiesFile []byte
	//go:embed data/elections.toml
	electionsFile []byte
	//go:embed data/dataset.toml
	datasetFile []byte
)

// partyPool is the parties of parties.toml with a matcher over their aliases.
type partyPool struct {
	byID    map[string]*model.Party
	matcher *registry.Matcher
}

func loadPool() (*partyPool, error) {
	var f struct {
		Party []struct {
			ID           string   `toml:"id"`
			Abbreviation string   `toml:"abbreviation"`
			Name         string   `toml:"name"`
			Aliases      []string `toml:"aliases"`
			Members      []string `toml:"members"`
		} `toml:"party"`
	}
	if _, err := toml.Decode(string(partiesFile), &f); err != nil {
		return nil, fmt.Errorf("data/parties.toml: %w", err)
	}
	p := &partyPool{byID: map[string]*model.Party{}}
	var all []model.Party
	for _, x := range f.Party {
		all = append(all, model.Party{ID: x.ID, Abbreviation: x.Abbreviation, Name: x.Name, Aliases: x.Aliases, Members: x.Members})
	}
	for i := range all {
		p.byID[all[i].ID] = &all[i]
	}
	for _, e := range elections {
		for _, id := range e.parties {
			if p.byID[id] == nil {
				return nil, fmt.Errorf("election %s lists party %q, which data/parties.toml does not have", e.id, id)
			}
		}
	}
	p.matcher = registry.NewMatcher(all)
	return p, nil
}

func (p *partyPool) party(id string) *model.Party { return p.byID[id] }

// election is an election with the parties that stood in it (and so occur in its texts).
type election struct {
	id      string
	year    int
	date    time.Time
	parties []string
}

var elections = []election{
	{"TK2017", 2017, time.Date(2017, 3, 15, 0, 0, 0, 0, time.UTC),
		[]string{"vvd", "pvda", "pvv", "sp", "cda", "d66", "christenunie", "groenlinks", "sgp", "pvdd", "50plus", "denk", "fvd"}},
	{"TK2021", 2021, time.Date(2021, 3, 17, 0, 0, 0, 0, time.UTC),
		[]string{"vvd", "d66", "pvv", "cda", "sp", "pvda", "groenlinks", "fvd", "pvdd", "christenunie", "volt", "ja21", "sgp", "denk", "50plus", "bbb", "bij1"}},
	{"TK2023", 2023, time.Date(2023, 11, 22, 0, 0, 0, 0, time.UTC),
		[]string{"groenlinks-pvda", "vvd", "nsc", "pvv", "d66", "cda", "sp", "bbb", "pvdd", "christenunie", "sgp", "denk", "fvd", "ja21", "volt", "bij1", "50plus", "bvnl", "lp"}},
	{"TK2025", 2025, time.Date(2025, 10, 29, 0, 0, 0, 0, time.UTC),
		[]string{"groenlinks-pvda", "vvd", "nsc", "pvv", "d66", "cda", "sp", "bbb", "pvdd", "christenunie", "sgp", "denk", "fvd", "ja21", "volt", "bij1", "50plus", "bvnl"}},
}

func pickElection(r *rand.Rand, ids ...string) election {
	id := ids[r.IntN(len(ids))]
	for _, e := range elections {
		if e.id == id {
			return e
		}
	}
	panic("gencorpus: unknown election " + id)
}

// dateBefore is a date (YYYY-MM-DD) up to days before the election.
func dateBefore(r *rand.Rand, e election, days int) string {
	return e.date.AddDate(0, 0, -1-r.IntN(days)).Format("2006-01-02")
}

var topics = []string{
	"digitalisering", "privacy", "big-tech", "it-infrastructuur", "cyberveiligheid", "digitale-rechten",
	"kunstmatige-intelligentie", "algoritmen", "open-overheid", "telecom", "digitale-overheid", "data-economie",
	"onderwijs-en-technologie", "media-en-desinformatie", "democratie", "rechtsstaat", "economie", "innovatie",
}

// topicLabel is a topic slug as words ("big-tech" → "big tech").
func topicLabel(t string) string {
	switch t {
	case "it-infrastructuur":
		return "IT-infrastructuur"
	case "big-tech":
		return "Big Tech"
	}
	return strings.ReplaceAll(t, "-", " ")
}

// chapterChrome draws the web-page chrome of a programme chapter: the lines to drop, by reason.
func chapterChrome(r *rand.Rand, p *model.Party) map[string][]string {
	nav := []string{"Skip to content", "Naar de inhoud", "Menu", "Programma", "Zoeken", "Home", "Terug naar overzicht"}
	cta := []string{"Word lid", "Doneer nu", "Doe mee", "Steun ons", "Ben jij " + p.Abbreviation + " ?", "Kom in actie en doe mee",
		"voor radicale gelijkheid.", "Dit hoofdstuk kun je ook beluisteren.", "DOE", "MEE", "Deel dit hoofdstuk", "Download het programma"}
	pickSome := func(from []string, lo, hi int) []string {
		n := lo + r.IntN(hi-lo+1)
		perm := r.Perm(len(from))[:n]
		out := make([]string, 0, n)
		for _, i := range perm {
			out = append(out, from[i])
		}
		return out
	}
	return map[string][]string{"navigation": pickSome(nav, 1, 3), "call_to_action": pickSome(cta, 1, 4)}
}

// sourcesTOML renders the registry of the planned documents.
func sourcesTOML(docs []doc, res []result) []byte {
	var b bytes.Buffer
	b.WriteString("# A generated corpus (internal/gencorpus): synthetic texts in the layouts of the real ones, for\n" +
		"# benchmarks and tests at scale. The texts are random and say nothing about any party.\n")
	q := strconv.Quote
	for i := range docs {
		d := &docs[i]
		b.WriteString("\n[[document]]\n")
		fmt.Fprintf(&b, "id = %s\nfile = %s\nformat = %s\n", q(d.id), q(d.file), q(string(d.format)))
		if d.title != "" {
			fmt.Fprintf(&b, "title = %s\n", q(d.title))
		}
		fmt.Fprintf(&b, "election = %s\ntopic = %s\nlanguage = \"nl\"\n", q(d.election.id), q(d.topic))
		for _, kv := range [][2]string{{"published", d.published}, {"publisher", d.publisher}, {"source_url", d.sourceURL},
			{"license", d.license}, {"encoding", d.encoding}, {"party", d.party}, {"markup", d.markup}} {
			if kv[1] != "" {
				fmt.Fprintf(&b, "%s = %s\n", kv[0], q(kv[1]))
			}
		}
		if l := res[i].lines; l != nil {
			fmt.Fprintf(&b, "lines = [%d, %d]\n", l[0], l[1])
		}
		if len(d.furniture) > 0 {
			b.WriteString("furniture = [")
			for k, f := range d.furniture {
				if k > 0 {
					b.WriteString(", ")
				}
				b.WriteString("'" + f + "'")
			}
			b.WriteString("]\n")
		}
		if len(d.drop) > 0 {
			b.WriteString("\n[document.drop]\n")
			for _, reason := range []string{"navigation", "call_to_action"} {
				if ls := d.drop[reason]; len(ls) > 0 {
					quoted := make([]string, len(ls))
					for k, l := range ls {
						quoted[k] = q(l)
					}
					fmt.Fprintf(&b, "%s = [%s]\n", reason, strings.Join(quoted, ", "))
				}
			}
		}
	}
	return b.Bytes()
}

package publish

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

type textish int

func (t textish) MarshalText() ([]byte, error) { return []byte(strings.Repeat("t", int(t))), nil }

type ptrJSON struct{}

func (p *ptrJSON) MarshalJSON() ([]byte, error) { return []byte(`{"n": 1}`), nil }

type inner struct {
	A     string         `json:"a"`
	B     []string       `json:"b,omitempty"`
	C     map[string]int `json:"c"`
	D     any            `json:"d"`
	T     textish        `json:"t"`
	P     *ptrJSON       `json:"p,omitempty"`
	Empty struct{}       `json:"empty"`
	skip  int
	Dash  int `json:"-"`
	NoTag float64
}

type embedded struct {
	inner
	X int `json:"x"`
}

// stringOpt uses the string option, which StreamJSON leaves to encoding/json.
type stringOpt struct {
	N int    `json:"n,string"`
	S string `json:"s"`
}

type outer struct {
	Name    string    `json:"name"`
	Keys    []string  `json:"keys"`
	NilKeys []string  `json:"nil_keys"`
	Inner   []inner   `json:"inner"`
	Ptr     *inner    `json:"ptr"`
	Opt     *inner    `json:"opt,omitempty"`
	Arr     [2]bool   `json:"arr"`
	Bytes   []byte    `json:"bytes"`
	Emb     embedded  `json:"emb"`
	Nested  [][]int   `json:"nested"`
	Anys    []any     `json:"anys"`
	Level   textish   `json:"level"`
	Zero    int       `json:"zero,omitempty"`
	Opts    stringOpt `json:"opts"`
	Floats  []float64 `json:"floats"`
}

// awkward are strings that encoding/json escapes or keeps in ways worth checking.
var awkward = []string{"", "plain", `q"uote`, `back\slash`, "<b>&amp;</b>", "tab\there", "nl\n", "\x00\x1f\x7f",
	"é ü ’", "\u2028\u2029", "bad \xff utf8", "emoji 🗳", "/slash/"}

func randString(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return awkward[r.IntN(len(awkward))]
	}
	var b strings.Builder
	for range r.IntN(12) {
		b.WriteByte("abcdef0123456789-/ "[r.IntN(19)])
	}
	return b.String()
}

func randInner(r *rand.Rand) inner {
	in := inner{A: randString(r), T: textish(r.IntN(3)), NoTag: r.Float64() * 1e6, skip: r.IntN(2)} // skip: unexported, never written out
	if r.IntN(2) == 0 {
		for range r.IntN(4) {
			in.B = append(in.B, randString(r))
		}
	}
	if r.IntN(2) == 0 {
		in.C = map[string]int{randString(r): r.IntN(10), randString(r): -3}
	}
	switch r.IntN(4) {
	case 0:
		in.D = randString(r)
	case 1:
		in.D = []any{1.5, "x", nil, map[string]any{"k": []int{}}}
	case 2:
		in.D = textish(2)
	}
	if r.IntN(2) == 0 {
		in.P = &ptrJSON{}
	}
	return in
}

func TestStreamJSONMatchesEncodeJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	values := []any{nil, 1, "x<y", []string{}, []string(nil), map[string]int{"b": 1, "a": 2}, struct{}{}, &struct{}{},
		inner{}, outer{}, []inner{{}}, [0]int{}}
	for range 300 {
		o := outer{Name: randString(r), Arr: [2]bool{r.IntN(2) == 0, true}, Level: textish(r.IntN(4)), Opts: stringOpt{N: r.IntN(9), S: randString(r)},
			Zero: r.IntN(2), Emb: embedded{inner: randInner(r), X: 3}}
		for range r.IntN(6) {
			o.Keys = append(o.Keys, randString(r))
		}
		if r.IntN(2) == 0 {
			o.Keys = []string{}
		}
		for range r.IntN(3) {
			o.Inner = append(o.Inner, randInner(r))
		}
		if r.IntN(2) == 0 {
			in := randInner(r)
			o.Ptr, o.Opt = &in, &in
		}
		if r.IntN(2) == 0 {
			o.Bytes = []byte(randString(r))
		}
		o.Nested = [][]int{{}, {1, 2}, nil}
		o.Anys = []any{randInner(r), nil, []string{randString(r)}, 2.5e-9}
		o.Floats = []float64{0, 1e21, -0.000001, 123456789}
		values = append(values, o, &o)
	}
	for i, v := range values {
		want, err := EncodeJSON(v)
		require.NoError(t, err)
		var got bytes.Buffer
		require.NoError(t, StreamJSON(&got, v))
		require.Equal(t, string(want), got.String(), "value %d", i)
	}
}

type failWriter struct{ after int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.after < len(p) {
		return 0, errors.New("disk full")
	}
	f.after -= len(p)
	return len(p), nil
}

func TestStreamJSONReportsWriteErrors(t *testing.T) {
	keys := make([]string, 100_000)
	for i := range keys {
		keys[i] = "0123456789abcdef"
	}
	err := StreamJSON(&failWriter{after: 1 << 20}, struct {
		Keys []string `json:"keys"`
	}{keys})
	require.ErrorContains(t, err, "disk full")
}

func TestStreamJSONReportsEncodeErrors(t *testing.T) {
	err := StreamJSON(&bytes.Buffer{}, map[string]any{"f": func() {}})
	require.Error(t, err)
	_, want := EncodeJSON(map[string]any{"f": func() {}})
	require.Error(t, want)
}

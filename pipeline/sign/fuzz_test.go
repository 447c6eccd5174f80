package sign

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
)

// fixedSigner is an Ed25519 key from a fixed seed, so the fuzz seeds are the same every run.
func fixedSigner(t testing.TB, seed byte) ssh.Signer {
	t.Helper()
	s, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize)))
	require.NoError(t, err)
	return s
}

// renderLine writes an entry back as an allowed_signers line: quoted principals (when they
// hold no quote), every option, times in UTC with Z, and the key.
func renderLine(e allowedSigner) string {
	var b strings.Builder
	if strings.Contains(e.principals, `"`) {
		b.WriteString(e.principals)
	} else {
		b.WriteString(`"` + e.principals + `"`)
	}
	var opts []string
	if e.certAuthority {
		opts = append(opts, "cert-authority")
	}
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
	if e.hasNamespaces {
		opts = append(opts, "namespaces="+quote(e.namespaces))
	}
	if !e.validAfter.IsZero() {
		opts = append(opts, "valid-after="+quote(e.validAfter.UTC().Format("20060102150405")+"Z"))
	}
	if !e.validBefore.IsZero() {
		opts = append(opts, "valid-before="+quote(e.validBefore.UTC().Format("20060102150405")+"Z"))
	}
	if len(opts) > 0 {
		b.WriteString(" " + strings.Join(opts, ","))
	}
	b.WriteString(" " + strings.TrimSpace(string(ssh.MarshalAuthorizedKey(e.key))))
	return b.String()
}

// FuzzParseAllowedSigners: the parser never panics; an accepted file yields entries with
// principals and a key on the lines they came from, which render back to lines that parse to
// the same entries.
func FuzzParseAllowedSigners(f *testing.F) {
	pub := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(fixedSigner(f, 1).PublicKey())))
	for _, seed := range []string{
		"release@example.org " + pub + " comment\n",
		"# comment\n\n  \t\nrelease@example.org " + pub + "\r\n",
		`a@x,b@y namespaces="file,standpunten-*",valid-after="20240101",valid-before="202501011200Z" ` + pub,
		`"a b" cert-authority ` + pub,
		`x namespaces="a\"b" ` + pub,
		`x NAMESPACES="a",Valid-After="20240101123456Z" ` + pub,
		"x namespaces=file " + pub,
		"x ssh-ed25519 AAAA",
		"x",
		`"x`,
		`x namespaces="x",` + pub,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := parseAllowedSigners("allowed_signers", data, time.UTC)
		if err != nil {
			assert.Contains(t, err.Error(), "allowed_signers:")
			assert.ErrorIs(t, err, ErrAllowedSigners)
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		var rendered []string
		for _, e := range entries {
			require.NotEmpty(t, e.principals)
			require.NotNil(t, e.key)
			require.True(t, e.line >= 1 && e.line <= lines, "line %d of %d", e.line, lines)
			rendered = append(rendered, renderLine(e))
		}
		again, err := parseAllowedSigners("rendered", []byte(strings.Join(rendered, "\n")), time.UTC)
		require.NoError(t, err, "rendered:\n%s", strings.Join(rendered, "\n"))
		require.Len(t, again, len(entries))
		for i := range entries {
			a, b := entries[i], again[i]
			assert.Equal(t, a.principals, b.principals)
			assert.Equal(t, a.certAuthority, b.certAuthority)
			assert.Equal(t, a.hasNamespaces, b.hasNamespaces)
			assert.Equal(t, a.namespaces, b.namespaces)
			assert.True(t, a.validAfter.Equal(b.validAfter), "valid-after %s, %s", a.validAfter, b.validAfter)
			assert.True(t, a.validBefore.Equal(b.validBefore), "valid-before %s, %s", a.validBefore, b.validBefore)
			assert.Equal(t, a.key.Marshal(), b.key.Marshal())
		}
	})
}

// FuzzParseSignature: the armor and blob parser never panics; an accepted signature is exactly
// its blob (marshal gives the decoded bytes back), armors again to a signature that parses the
// same, and checking it against a message never panics either.
func FuzzParseSignature(f *testing.F) {
	good, err := signWithSigner(fixedSigner(f, 2), Namespace, []byte("SHA256SUMS"), "seed")
	require.NoError(f, err)
	other, err := signWithSigner(fixedSigner(f, 3), "file", nil, "seed")
	require.NoError(f, err)
	for _, seed := range [][]byte{
		good,
		other,
		append(bytes.Clone(good), "\n\n"...),
		bytes.ReplaceAll(good, []byte("\n"), []byte("\r\n")),
		good[:len(good)/2],
		armor([]byte("SSHSIG")),
		armor([]byte("SSHSIG\x00\x00\x00\x01\x00\x00\x00\x00")),
		[]byte("-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseSignature(data)
		if err != nil {
			assert.ErrorIs(t, err, ErrMalformed)
			return
		}
		blob, err := dearmor(data)
		require.NoError(t, err)
		require.Equal(t, blob, s.marshal())
		again, err := parseSignature(armor(s.marshal()))
		require.NoError(t, err)
		require.Equal(t, s, again)
		require.NotEmpty(t, s.namespace)

		key, err := checkSignature(data, []byte("SHA256SUMS"), s.namespace)
		if err == nil {
			require.NotNil(t, key)
			// A good signature must not verify for another message.
			_, err2 := checkSignature(data, []byte("SHA256SUMZ"), s.namespace)
			assert.ErrorIs(t, err2, ErrMismatch)
		} else {
			var kinds int
			for _, k := range []error{ErrMalformed, ErrNamespace, ErrMismatch} {
				if errors.Is(err, k) {
					kinds++
				}
			}
			assert.Equal(t, 1, kinds, "error %v has %d kinds", err, kinds)
		}
	})
}

// TestPatterns: the pattern matching of ssh_config(5) that namespaces="…" uses.
func TestPatterns(t *testing.T) {
	for _, c := range []struct {
		s, list string
		want    bool
	}{
		{"standpunten-release", "standpunten-release", true},
		{"standpunten-release", "file,standpunten-release", true},
		{"standpunten-release", "file,git", false},
		{"standpunten-release", "standpunten-*", true},
		{"standpunten-release", "*", true},
		{"standpunten-release", "standpunten-re?ease", true},
		{"standpunten-release", "standpunten-re?ase", false},
		{"standpunten-release", "*-release,!standpunten-*", false},
		{"standpunten-release", "!file", false},
		{"standpunten-release", "", false},
		{"standpunten-release", "*r*l*e*", true},
		{"standpunten-release", "*x*", false},
		{"", "*", true},
	} {
		assert.Equal(t, c.want, matchList(c.s, c.list), "%q in %q", c.s, c.list)
	}
}

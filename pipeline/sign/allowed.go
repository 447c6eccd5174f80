package sign

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// allowedSigner is one line of an allowed_signers file (ssh-keygen(1), ALLOWED SIGNERS).
type allowedSigner struct {
	line          int
	principals    string // the principals field as written, without its quotes: a pattern list
	certAuthority bool
	namespaces    string // a pattern list; meaningful only when hasNamespaces
	hasNamespaces bool
	validAfter    time.Time // zero when absent
	validBefore   time.Time // zero when absent
	key           ssh.PublicKey
}

const lineHint = `each line is: principals [options] key-type base64-key [comment], e.g. ` +
	`release@example.org namespaces="` + Namespace + `" ssh-ed25519 AAAA…; the key part is a line of the key's .pub file`

// parseAllowedSigners reads an allowed_signers file. Blank lines and lines whose first
// non-blank character is '#' are skipped; every other line must parse. Times without a Z
// suffix are read in loc, as ssh-keygen reads them in the local time zone.
func parseAllowedSigners(name string, data []byte, loc *time.Location) ([]allowedSigner, error) {
	var out []allowedSigner
	lineNo := 0
	for len(data) > 0 {
		lineNo++
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		e, err := parseAllowedLine(name, lineNo, string(line), loc)
		if err != nil {
			return nil, err
		}
		if e != nil {
			out = append(out, *e)
		}
	}
	return out, nil
}

// parseAllowedLine reads one line; it returns nil, nil for a blank or comment line.
func parseAllowedLine(name string, lineNo int, line string, loc *time.Location) (*allowedSigner, error) {
	bad := func(col int, msg string, hint string) error {
		if hint == "" {
			hint = lineHint
		}
		return fileErr(ErrAllowedSigners, name, lineNo, col, msg, hint)
	}
	if i := strings.IndexByte(line, 0); i >= 0 {
		return nil, bad(i+1, "has a NUL byte", "an allowed_signers file is text")
	}
	pos := skipBlanks(line, 0)
	if pos == len(line) || line[pos] == '#' {
		return nil, nil
	}
	e := &allowedSigner{line: lineNo}

	// Principals: one word, or a quoted string.
	start := pos
	if line[pos] == '"' {
		end := strings.IndexByte(line[pos+1:], '"')
		if end < 0 {
			return nil, bad(start+1, "the quoted principals have no closing quote", "")
		}
		e.principals = line[pos+1 : pos+1+end]
		pos += end + 2
		if pos < len(line) && !isBlank(line[pos]) {
			return nil, bad(pos+1, "the quoted principals are not followed by a space", "")
		}
	} else {
		pos = wordEnd(line, pos)
		e.principals = line[start:pos]
	}
	if e.principals == "" {
		return nil, bad(start+1, "the principals are empty", "")
	}
	pos = skipBlanks(line, pos)
	if pos == len(line) {
		return nil, bad(start+1, fmt.Sprintf("has principals %q but no key", e.principals), "")
	}

	// Options, when the next word is not a key type: up to the first blank outside quotes.
	word := line[pos:wordEnd(line, pos)]
	if strings.ContainsAny(word, `=",`) || strings.EqualFold(word, "cert-authority") {
		optStart := pos
		inQuote := false
		for pos < len(line) && (inQuote || !isBlank(line[pos])) {
			switch {
			case inQuote && line[pos] == '\\' && pos+1 < len(line) && line[pos+1] == '"':
				pos++ // an escaped quote inside a value
			case line[pos] == '"':
				inQuote = !inQuote
			}
			pos++
		}
		if inQuote {
			return nil, bad(optStart+1, "an option's quoted value has no closing quote", "")
		}
		if col, err := parseOptions(e, line[optStart:pos], loc); err != nil {
			return nil, bad(optStart+col, err.Error(), `options are cert-authority, namespaces="…", valid-after="…" and valid-before="…" (times YYYYMMDD[HHMM[SS]][Z]), separated by commas without spaces`)
		}
		pos = skipBlanks(line, pos)
		if pos == len(line) {
			return nil, bad(optStart+1, "has options but no key after them", "")
		}
	}

	// The key: type, base64, and an optional comment.
	keyStart := pos
	typeEnd := wordEnd(line, pos)
	keyType := line[pos:typeEnd]
	pos = skipBlanks(line, typeEnd)
	if pos == len(line) {
		return nil, bad(keyStart+1, fmt.Sprintf("%q is not followed by a base64 key", keyType), "")
	}
	b64 := line[pos:wordEnd(line, pos)]
	blob, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil {
		return nil, bad(pos+1, fmt.Sprintf("the key after %q is not valid base64", keyType), "")
	}
	key, err := ssh.ParsePublicKey(blob)
	if err != nil {
		return nil, bad(keyStart+1, fmt.Sprintf("%q with this base64 is not a public key golang.org/x/crypto/ssh reads: %v", keyType, err), "")
	}
	if key.Type() != keyType {
		return nil, bad(keyStart+1, fmt.Sprintf("the key type is %q, but the base64 key is of type %q", keyType, key.Type()), "")
	}
	e.key = key
	return e, nil
}

// parseOptions reads comma-separated options into e, as ssh-keygen does: names are matched
// without regard to case, values are double-quoted (\" stands for a quote), no option may appear
// twice, and valid-before must be after valid-after. On error it returns the 1-based column in
// opts.
func parseOptions(e *allowedSigner, opts string, loc *time.Location) (int, error) {
	seen := map[string]bool{}
	pos := 0
	for {
		start := pos
		nameEnd := pos
		for nameEnd < len(opts) && opts[nameEnd] != '=' && opts[nameEnd] != ',' {
			nameEnd++
		}
		name := strings.ToLower(opts[pos:nameEnd])
		switch name {
		case "cert-authority", "namespaces", "valid-after", "valid-before":
		case "":
			return start + 1, fmt.Errorf("an empty option")
		default:
			return start + 1, fmt.Errorf("unknown option %q", opts[pos:nameEnd])
		}
		if seen[name] {
			return start + 1, fmt.Errorf("option %q given twice", name)
		}
		seen[name] = true
		pos = nameEnd
		if name == "cert-authority" {
			if pos < len(opts) && opts[pos] == '=' {
				return pos + 1, fmt.Errorf("option cert-authority takes no value")
			}
			e.certAuthority = true
		} else {
			if pos == len(opts) || opts[pos] != '=' {
				return start + 1, fmt.Errorf("option %s needs a value: %s=\"…\"", name, name)
			}
			pos++
			value, next, err := dequote(opts, pos)
			if err != nil {
				return pos + 1, fmt.Errorf("option %s: %v", name, err)
			}
			switch name {
			case "namespaces":
				e.namespaces, e.hasNamespaces = value, true
			case "valid-after", "valid-before":
				t, err := parseTime(value, loc)
				if err != nil {
					return pos + 1, fmt.Errorf("option %s: %v", name, err)
				}
				if name == "valid-after" {
					e.validAfter = t
				} else {
					e.validBefore = t
				}
			}
			pos = next
		}
		if pos == len(opts) {
			break
		}
		if opts[pos] != ',' {
			return pos + 1, fmt.Errorf("expected a comma after option %s", name)
		}
		pos++
		if pos == len(opts) {
			return pos, fmt.Errorf("the options end with a comma")
		}
	}
	if !e.validAfter.IsZero() && !e.validBefore.IsZero() && !e.validBefore.After(e.validAfter) {
		return 1, fmt.Errorf("valid-before is not after valid-after")
	}
	return 0, nil
}

// dequote reads a double-quoted value starting at s[pos], where \" stands for a quote, and
// returns it and the position after the closing quote.
func dequote(s string, pos int) (string, int, error) {
	if pos >= len(s) || s[pos] != '"' {
		return "", pos, fmt.Errorf("the value must be in double quotes")
	}
	var b strings.Builder
	for i := pos + 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '"':
			b.WriteByte('"')
			i++
		case s[i] == '"':
			return b.String(), i + 1, nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", pos, fmt.Errorf("the value has no closing quote")
}

// parseTime reads a time as ssh-keygen does: YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, in UTC
// with a Z suffix and in loc without.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	v := s
	if strings.HasSuffix(v, "Z") || strings.HasSuffix(v, "z") {
		v, loc = v[:len(v)-1], time.UTC
	}
	layouts := map[int]string{8: "20060102", 12: "200601021504", 14: "20060102150405"}
	layout, ok := layouts[len(v)]
	if ok {
		for i := 0; i < len(v); i++ {
			if v[i] < '0' || v[i] > '9' {
				ok = false
			}
		}
	}
	if !ok {
		return time.Time{}, fmt.Errorf("%q is not a time of the form YYYYMMDD[HHMM[SS]][Z]", s)
	}
	t, err := time.ParseInLocation(layout, v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a valid time", s)
	}
	return t, nil
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

func skipBlanks(s string, pos int) int {
	for pos < len(s) && isBlank(s[pos]) {
		pos++
	}
	return pos
}

func wordEnd(s string, pos int) int {
	for pos < len(s) && !isBlank(s[pos]) {
		pos++
	}
	return pos
}

// matchPattern reports whether s matches pattern, where '*' stands for any run of bytes and
// '?' for one byte (ssh_config(5), PATTERNS).
func matchPattern(s, pattern string) bool {
	si, pi := 0, 0
	star, starS := -1, 0
	for si < len(s) {
		switch {
		case pi < len(pattern) && pattern[pi] == '*':
			star, starS = pi, si
			pi++
		case pi < len(pattern) && (pattern[pi] == '?' || pattern[pi] == s[si]):
			si++
			pi++
		case star >= 0:
			starS++
			si, pi = starS, star+1
		default:
			return false
		}
	}
	for pi < len(pattern) && pattern[pi] == '*' {
		pi++
	}
	return pi == len(pattern)
}

// matchList reports whether s matches a comma-separated pattern list: some pattern matches and
// no negated one (!pattern) does.
func matchList(s, list string) bool {
	matched := false
	for _, p := range strings.Split(list, ",") {
		if neg, ok := strings.CutPrefix(p, "!"); ok {
			if matchPattern(s, neg) {
				return false
			}
			continue
		}
		if matchPattern(s, p) {
			matched = true
		}
	}
	return matched
}

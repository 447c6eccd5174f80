package frictionless

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// The resource path patterns of the profiles, exactly as the profile files spell them. Both use
// look-ahead, which Go's regexp does not support.
const (
	// PathPatternV1 (1.0): not empty, not starting with '.', '/' or '~', and no "..".
	PathPatternV1 = `^(?=^[^./~])(^((?!\.{2}).)*$).*$`
	// PathPatternV2 (2.0): an http(s) or ftp(s) URL, or a path that is not empty, does not start
	// with '.', '/', '~' or "file:", and holds no "/../", no backslash and no "://".
	PathPatternV2 = `^((?=[^./~])(?!file:)((?!\/\.\.\/)(?!\\)(?!:\/\/).)*|(http|ftp)s?:\/\/.*)$`
)

// pathPattern matches what one of the path patterns matches under the ECMA-262 semantics JSON
// Schema prescribes: '.' matches any character but a line terminator, '$' only the end of input.
type pathPattern struct{ pattern string }

func (p pathPattern) String() string { return p.pattern }

func (p pathPattern) MatchString(s string) bool {
	if strings.ContainsAny(s, "\n\r\u2028\u2029") {
		return false // '.' matches no line terminator, and '$' is the end of input
	}
	if p.pattern == PathPatternV2 {
		for _, scheme := range []string{"http://", "https://", "ftp://", "ftps://"} {
			if strings.HasPrefix(s, scheme) {
				return true
			}
		}
		return s != "" && !strings.ContainsAny(s[:1], "./~") && !strings.HasPrefix(s, "file:") &&
			!strings.Contains(s, "/../") && !strings.Contains(s, `\`) && !strings.Contains(s, "://")
	}
	return s != "" && !strings.ContainsAny(s[:1], "./~") && !strings.Contains(s, "..")
}

// CompileRegexp is the regexp engine for the profiles: the two path patterns are matched by
// hand, every other pattern is compiled by Go's regexp (which fails on any other look-ahead, so
// a new pattern in a profile is noticed rather than silently ignored).
func CompileRegexp(s string) (jsonschema.Regexp, error) {
	if s == PathPatternV1 || s == PathPatternV2 {
		return pathPattern{s}, nil
	}
	return regexp.Compile(s)
}

// Compile compiles one profile file (for example …/frictionless/1.0/datapackage.json) with
// CompileRegexp as the regexp engine. References to other files resolve relative to it.
func Compile(profilePath string) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(CompileRegexp)
	sch, err := c.Compile(profilePath)
	if err != nil {
		return nil, fmt.Errorf("frictionless: compile profile %s: %w", profilePath, err)
	}
	return sch, nil
}

// Validate validates a JSON document against a compiled profile. It returns the failures as
// Leaves lines (none when the document is valid); its error means the bytes are not JSON.
func Validate(sch *jsonschema.Schema, doc []byte) ([]string, error) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("frictionless: not JSON: %w", err)
	}
	if err := sch.Validate(v); err != nil {
		return Leaves(err), nil
	}
	return nil, nil
}

// english prints the validator's messages.
var english = message.NewPrinter(language.English)

// Leaves flattens a validation error into one line per leaf failure, "/instance/location:
// message", sorted (the library's order is not stable). Any other error gives its one message.
func Leaves(err error) []string {
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{err.Error()}
	}
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			out = append(out, fmt.Sprintf("/%s: %s", strings.Join(e.InstanceLocation, "/"), e.ErrorKind.LocalizedString(english)))
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.Strings(out)
	return out
}

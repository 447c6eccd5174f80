package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/registry"
)

// DefaultMaxBytes is the default size limit for one raw file.
const DefaultMaxBytes = 64 << 20

// Text is a raw file decoded to UTF-8, with the way back to offsets in the raw bytes.
type Text struct {
	File string // path as given, for messages
	Raw  []byte // the file as stored
	S    string // decoded UTF-8 text, byte order mark removed
	bom  int    // bytes of byte order mark at the start of Raw
	off  []int  // for re-encoded text: off[i] is the raw offset of S[i]; len(S)+1 entries
}

// RawOffset maps a byte offset in S to a byte offset in Raw.
func (t *Text) RawOffset(i int) int64 {
	if t.off != nil {
		return int64(t.off[i])
	}
	return int64(i + t.bom)
}

// Read loads and decodes a registered text. It rejects missing, empty, oversized and binary files and
// undeclared non-UTF-8 bytes, naming the file and the offending byte.
func Read(src registry.Source, maxBytes int64) (*Text, error) {
	fail := func(line, col int, msg, hint string) error {
		return model.Classified(model.ErrInput, &model.SourceError{File: src.Path, Line: line, Col: col, Msg: msg, Hint: hint})
	}
	cannotRead := func(err error) error {
		return fail(0, 0, fmt.Sprintf("cannot read document %q: %v", src.ID, unwrapPathErr(err)), readHint(err))
	}
	// A FIFO, device or socket would block the run (while it holds the release lock) or never end:
	// look before opening.
	size := int64(0) // the file's size, if known: the buffer to read it into
	if st, err := os.Stat(src.Path); err == nil && !st.Mode().IsRegular() && !st.IsDir() {
		return nil, fail(0, 0, fmt.Sprintf("document %q is not a regular file (%s)", src.ID, fileKind(st.Mode())),
			"point `file` in sources.toml at a plain text file")
	} else if err == nil {
		size = st.Size()
	}
	f, err := os.Open(src.Path)
	if err != nil {
		return nil, cannotRead(err)
	}
	defer f.Close()
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	raw, err := readAll(io.LimitReader(f, maxBytes+1), min(size, maxBytes)+1)
	if err != nil {
		return nil, cannotRead(err)
	}
	if int64(len(raw)) > maxBytes {
		return nil, fail(0, 0, fmt.Sprintf("file is larger than the limit of %d bytes", maxBytes), "split the text or raise the limit with --max-bytes")
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(raw, []byte("\uFEFF")))) == 0 {
		// Empty, blank, or only a byte order mark (and line ends): nothing to read. A text that
		// lost its content must not publish a release that removes its passages.
		return nil, fail(0, 0, "file is empty (no text, only white space or a byte order mark)", "put the text in the file or remove its entry from sources.toml")
	}
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		l, c := position(raw, i)
		return nil, fail(l, c, fmt.Sprintf("NUL byte at offset %d: this looks like a binary file, not a text", i), "export the document as plain text")
	}
	t := &Text{File: src.Path, Raw: raw}
	switch src.Encoding {
	case registry.EncodingWindows1252:
		if utf8.Valid(raw) && hasMultibyte(raw) {
			i := firstMultibyte(raw)
			l, c := position(raw, i)
			return nil, fail(l, c, "sources.toml declares windows-1252, but the file is valid UTF-8 with multi-byte characters (decoding it as windows-1252 would publish mojibake such as â€œ)",
				"remove encoding = \"windows-1252\" from the document's entry, or convert the file to windows-1252")
		}
		t.decode1252()
	default:
		if !utf8.Valid(raw) {
			i := firstInvalid(raw)
			l, c := position(raw, i)
			return nil, fail(l, c, fmt.Sprintf("byte 0x%02X at offset %d is not UTF-8", raw[i], i),
				"convert the file to UTF-8, or declare its encoding in sources.toml (encoding = \"windows-1252\")")
		}
		s := string(raw)
		if len(s) >= 3 && s[:3] == "\uFEFF" {
			t.bom = 3
			s = s[3:]
		}
		t.S = s
	}
	return t, nil
}

// readAll is io.ReadAll into a buffer of size bytes to start with: the file's size and one more, so
// that the whole file and the last read, which finds EOF, fit without growing the buffer.
func readAll(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, max(size, 512))
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// readHint says what to do about a file that cannot be opened or read, by the cause: a missing file
// is added or its entry corrected, an unreadable one gets its permissions fixed.
func readHint(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		return "add the file to the raw folder or correct `file` in sources.toml"
	case errors.Is(err, fs.ErrPermission):
		return "make the file readable: fix its permissions for the user who runs the build, e.g. chmod a+r"
	case errors.Is(err, syscall.EISDIR):
		return "point `file` in sources.toml at a text file, not a folder"
	default:
		return "check that `file` in sources.toml names a readable text file"
	}
}

// unwrapPathErr drops the operation and path of an *fs.PathError: the message names the file already.
func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (t *Text) decode1252() {
	dec := charmap.Windows1252
	var b []byte
	t.off = make([]int, 0, len(t.Raw)+1)
	for i, c := range t.Raw {
		r := dec.DecodeByte(c)
		var buf [4]byte
		n := utf8.EncodeRune(buf[:], r)
		for k := 0; k < n; k++ {
			t.off = append(t.off, i)
		}
		b = append(b, buf[:n]...)
	}
	t.off = append(t.off, len(t.Raw))
	t.S = string(b)
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// position returns the 1-based line and column (in characters) of byte offset i.
func position(b []byte, i int) (int, int) {
	line, start := 1, 0
	for k := 0; k < i; {
		n := breakAt(b, k)
		if n == 0 {
			k++
			continue
		}
		if k+n > i {
			break // i lies inside a CRLF: it belongs to the line before
		}
		k += n
		line, start = line+1, k
	}
	return line, 1 + utf8.RuneCount(b[start:i])
}

// isSpace reports white space, including no-break spaces and the byte order mark.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00A0' || r == '\uFEFF' || r == '\u202F'
}

// fileKind names the kind of a special file for messages.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return "not a regular file"
	}
}

func hasMultibyte(b []byte) bool { return firstMultibyte(b) < len(b) }

// firstMultibyte returns the offset of the first byte of a multi-byte UTF-8 sequence, or len(b).
func firstMultibyte(b []byte) int {
	for i, c := range b {
		if c >= 0x80 {
			return i
		}
	}
	return len(b)
}

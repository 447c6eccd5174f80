package gencorpus

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/standpunten/standpunten/pipeline/model"
)

// editable are the formats Edit changes a text of, in the order it looks for one, and the lines of
// each that hold one passage (a summary or theme, a bullet, a point).
var editable = []struct {
	format model.Format
	line   *regexp.Regexp
}{
	{model.FormatPartySummaries, regexp.MustCompile(`^[A-Z]`)},
	{model.FormatScoreOverview, regexp.MustCompile(`^- [A-Z]`)},
	{model.FormatProgrammeChapter, regexp.MustCompile(`^ ?[0-9]{1,3}\. `)},
}

// asciiWord is a lower-case word of plain letters between spaces or punctuation (so the same bytes
// in UTF-8 and windows-1252).
var (
	asciiWord = regexp.MustCompile(`(^|[ ,.;:])([a-z]{5,})([ ,.;:?!]|$)`)
	plainWord = regexp.MustCompile(`^[a-z]{5,}$`)
)

// Edit makes the small correction an editor would: it replaces one word of one passage, in one text
// of the corpus that Write(dir, o) wrote, by another word of the vocabulary (a summary, theme,
// bullet or point keeps its structure and stays at least 80% alike, so a release sees the passage
// modified). It replaces the file (a new file renamed over the old one), so a copy of the corpus
// made with hard links keeps the original. It returns the path of the file, relative to dir.
func Edit(dir string, o Options) (string, error) {
	c, err := newCorpus(o)
	if err != nil {
		return "", err
	}
	docs := c.plan()
	r := c.rng(streamEdit)
	var vocabWords []string
	for _, w := range c.v.tokens[firstWordTok:] {
		if plainWord.MatchString(w) {
			vocabWords = append(vocabWords, w)
		}
	}
	for _, e := range editable {
		for _, d := range docs {
			if d.format != e.format {
				continue
			}
			path := filepath.Join(dir, filepath.FromSlash(d.file))
			b, err := os.ReadFile(path)
			if err != nil {
				return "", fmt.Errorf("gencorpus: edit: %w", err)
			}
			lines := bytes.SplitAfter(b, []byte("\n"))
			var cands []int
			for i, l := range lines {
				l = bytes.TrimPrefix(l, []byte("\uFEFF"))
				if len(l) >= 120 && e.line.Match(l) && asciiWord.Match(l) {
					cands = append(cands, i)
				}
			}
			if len(cands) == 0 {
				continue
			}
			i := cands[r.IntN(len(cands))]
			ms := asciiWord.FindAllSubmatchIndex(lines[i], -1)
			m := ms[r.IntN(len(ms))]
			old := string(lines[i][m[4]:m[5]])
			repl := old
			for repl == old {
				repl = vocabWords[r.IntN(len(vocabWords))]
			}
			var nb bytes.Buffer
			for k, l := range lines {
				if k == i {
					nb.Write(l[:m[4]])
					nb.WriteString(repl)
					nb.Write(l[m[5]:])
					continue
				}
				nb.Write(l)
			}
			if err := replaceFile(path, nb.Bytes()); err != nil {
				return "", fmt.Errorf("gencorpus: edit: %w", err)
			}
			return d.file, nil
		}
	}
	return "", fmt.Errorf("gencorpus: edit: the corpus has no party-summaries, score-overview or programme-chapter text to edit")
}

// replaceFile writes b to a new file beside path and renames it over path.
func replaceFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".edit-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// LinkCopy copies the folder src to dst (which must not exist) with hard links, or byte copies
// where a link cannot be made: a cheap copy of a large corpus for Edit, which replaces the file it
// changes rather than writing into it.
func LinkCopy(src, dst string) error {
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("gencorpus: copy: %s exists", dst)
	}
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case !d.Type().IsRegular():
			return fmt.Errorf("gencorpus: copy: %s is not a regular file", path)
		}
		if os.Link(path, to) == nil {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
}

package changes

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/standpunten/standpunten/pipeline/model"
)

// listed are the fields of a table's changes that list rows one by one; ReadSummary leaves
// them out.
var listed = map[string]bool{"moved_keys": true, "added_keys": true, "removed_keys": true, "modified_rows": true}

// head are the members at the start of a changes.json: the release's own facts, before its
// document and row changes.
var head = map[string]bool{"version": true, "previous": true, "date": true, "notes": true, "validation": true,
	"first_release": true, "level": true, "reasons": true}

// errEnough ends a read once what was asked for is in.
var errEnough = errors.New("enough")

// ReadHead reads the release's facts from the head of a changes.json (version, previous, date,
// notes, validation, first release, level, reasons) and stops there: the document and row
// changes after them can run to many megabytes.
func ReadHead(path string) (*Changes, error) {
	c := &Changes{}
	seen := 0
	err := readObject(path, func(dec *json.Decoder, key string) error {
		if !head[key] {
			return skip(dec)
		}
		if err := decodeField(dec, reflect.ValueOf(c).Elem(), key); err != nil {
			return err
		}
		if seen++; seen == len(head) {
			return errEnough
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ReadSummary reads a release's changes.json without the keys and modified rows of its tables
// (the counts stay): what a page listing every release shows. The file is read as a stream, so
// a first release's list of every passage key is passed over rather than held.
func ReadSummary(path string) (*Changes, error) {
	c := &Changes{}
	err := readObject(path, func(dec *json.Decoder, key string) error {
		if key != "tables" {
			return decodeField(dec, reflect.ValueOf(c).Elem(), key)
		}
		if err := delim(dec, '['); err != nil {
			return err
		}
		for dec.More() {
			var t TableChanges
			if err := object(dec, func(key string) error {
				if listed[key] {
					return skip(dec)
				}
				return decodeField(dec, reflect.ValueOf(&t).Elem(), key)
			}); err != nil {
				return err
			}
			c.Tables = append(c.Tables, t)
		}
		return delim(dec, ']')
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// readObject reads the JSON object in the file at path as a stream, calling field for each
// member with dec before its value, which field must consume; field may end the read early with
// errEnough. A file that cannot be opened gives the *fs.PathError; one that is not the JSON
// expected, a *model.SourceError that names it.
func readObject(path string, field func(dec *json.Decoder, key string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 64<<10))
	err = object(dec, func(key string) error { return field(dec, key) })
	if err != nil && !errors.Is(err, errEnough) {
		return &model.SourceError{File: path, Msg: err.Error(), Hint: "a release folder is never edited by hand"}
	}
	return nil
}

// object reads a JSON object from dec, calling field for each key with dec before its value
// (which field must consume).
func object(dec *json.Decoder, field func(key string) error) error {
	if err := delim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if err := field(key); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
	}
	return delim(dec, '}')
}

func delim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("found %v, want %v", tok, want)
	}
	return nil
}

// skip reads one value of any kind from dec a token at a time, keeping none of it.
func skip(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('['), json.Delim('{'):
			depth++
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// decodeField decodes the next value of dec into the field of the struct v whose JSON name is
// key; a key v has no field for is skipped, as encoding/json does.
func decodeField(dec *json.Decoder, v reflect.Value, key string) error {
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == key {
			return dec.Decode(v.Field(i).Addr().Interface())
		}
	}
	return skip(dec)
}

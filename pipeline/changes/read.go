package changes

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
)

// listed are the fields of a table's changes that list rows one by one; ReadSummary leaves
// them out.
var listed = map[string]bool{"moved_keys": true, "added_keys": true, "removed_keys": true, "modified_rows": true}

// ReadSummary reads a release's changes.json without the keys and modified rows of its tables
// (the counts stay): what a page listing every release shows. The file is read as a stream, so
// a first release's list of every passage key is passed over rather than held.
func ReadSummary(path string) (*Changes, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 64<<10))
	c := &Changes{}
	err = object(dec, func(key string) error {
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
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
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

// Package schemas embeds the Frictionless Table Schemas in this folder, one per published table. They
// are the single source of truth for table names, column names, types, nullability and constraints:
// the Parquet, CSV and JSON writers derive their layouts from them.
package schemas

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.json
var files embed.FS

// Order is the order in which the tables are built, written and listed.
var Order = []string{"parties", "elections", "documents", "passages", "scores", "document_parties"}

// Field types used by the schemas (a subset of Frictionless Table Schema v1 types).
const (
	TypeString  = "string"
	TypeInteger = "integer"
	TypeNumber  = "number"
	TypeDate    = "date"
	TypeArray   = "array"
)

// Constraints are the Frictionless field constraints the project uses.
type Constraints struct {
	Required  bool     `json:"required,omitempty"`
	Unique    bool     `json:"unique,omitempty"`
	Enum      []string `json:"enum,omitempty"`
	Pattern   string   `json:"pattern,omitempty"`
	MinLength *int     `json:"minLength,omitempty"`
	Minimum   *int64   `json:"minimum,omitempty"`
}

// Field is one column.
type Field struct {
	Name        string      `json:"name"`
	Type        string      `json:"type"`
	Format      string      `json:"format,omitempty"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Constraints Constraints `json:"constraints"`
}

// Nullable reports whether the column may hold nulls (it is not required).
func (f Field) Nullable() bool { return !f.Constraints.Required }

// Reference is the target of a foreign key; an empty Resource means the same table.
type Reference struct {
	Resource string   `json:"resource"`
	Fields   []string `json:"fields"`
}

// ForeignKey links columns of one table to the key of another.
type ForeignKey struct {
	Fields    []string  `json:"fields"`
	Reference Reference `json:"reference"`
}

// Table is one table schema.
type Table struct {
	Name          string       `json:"name"`
	SchemaVersion string       `json:"schema_version"`
	Description   string       `json:"description"`
	Fields        []Field      `json:"fields"`
	MissingValues []string     `json:"missingValues"`
	PrimaryKey    []string     `json:"primaryKey"`
	ForeignKeys   []ForeignKey `json:"foreignKeys,omitempty"`
}

// FieldIndex returns the position of the named column, or -1.
func (t *Table) FieldIndex(name string) int {
	for i, f := range t.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// Set is every table schema, by name.
type Set map[string]*Table

// Raw returns the schema file of a table as stored.
func Raw(name string) ([]byte, error) { return files.ReadFile(name + ".json") }

// Load parses and checks the embedded schema files.
func Load() (Set, error) {
	entries, err := fs.Glob(files, "*.json")
	if err != nil {
		return nil, err
	}
	set := Set{}
	version := ""
	for _, e := range entries {
		b, err := files.ReadFile(e)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		var t Table
		if err := dec.Decode(&t); err != nil {
			return nil, fmt.Errorf("schemas/%s: %w", e, err)
		}
		if want := strings.TrimSuffix(e, ".json"); t.Name != want {
			return nil, fmt.Errorf("schemas/%s: name %q does not match the file name", e, t.Name)
		}
		if version == "" {
			version = t.SchemaVersion
		} else if t.SchemaVersion != version {
			return nil, fmt.Errorf("schemas/%s: schema_version %q differs from %q in the other files", e, t.SchemaVersion, version)
		}
		for _, f := range t.Fields {
			switch f.Type {
			case TypeString, TypeInteger, TypeNumber, TypeDate, TypeArray:
			default:
				return nil, fmt.Errorf("schemas/%s: field %s: type %q is not supported", e, f.Name, f.Type)
			}
		}
		set[t.Name] = &t
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	ordered := append([]string(nil), Order...)
	sort.Strings(ordered)
	if strings.Join(names, ",") != strings.Join(ordered, ",") {
		return nil, fmt.Errorf("schemas: files %v do not match the table list %v", names, Order)
	}
	return set, nil
}

// Version is the schema_version shared by every schema file.
func (s Set) Version() string {
	for _, t := range s {
		return t.SchemaVersion
	}
	return ""
}

package changes

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/standpunten/standpunten/schemas"
)

// SchemaChangeKind names one kind of difference between two table schemas.
type SchemaChangeKind string

// The schema change kinds. A renamed column shows as one removed and one added column.
const (
	TableAdded           SchemaChangeKind = "table_added"            // minor
	TableRemoved         SchemaChangeKind = "table_removed"          // major
	ColumnAdded          SchemaChangeKind = "column_added"           // minor
	ColumnRemoved        SchemaChangeKind = "column_removed"         // major
	ColumnsReordered     SchemaChangeKind = "columns_reordered"      // major
	TypeChanged          SchemaChangeKind = "type_changed"           // major
	FormatChanged        SchemaChangeKind = "format_changed"         // major
	PrimaryKeyChanged    SchemaChangeKind = "primary_key_changed"    // major
	ForeignKeyAdded      SchemaChangeKind = "foreign_key_added"      // major
	ForeignKeyRemoved    SchemaChangeKind = "foreign_key_removed"    // major
	MissingValuesChanged SchemaChangeKind = "missing_values_changed" // major
	ConstraintTightened  SchemaChangeKind = "constraint_tightened"   // major
	ConstraintLoosened   SchemaChangeKind = "constraint_loosened"    // minor
	MetadataChanged      SchemaChangeKind = "metadata_changed"       // patch
)

// SchemaChange is one difference between the old and the new schema of a table.
type SchemaChange struct {
	Table  string           `json:"table"`
	Column string           `json:"column,omitempty"` // empty for table-level changes
	Kind   SchemaChangeKind `json:"kind"`
	Item   string           `json:"item,omitempty"` // what changed: "required", "enum", "description", …
	Old    string           `json:"old,omitempty"`
	New    string           `json:"new,omitempty"`
	Level  Level            `json:"level"`
	Text   string           `json:"text"` // one human sentence naming the table and column
}

// diffSchemas lists the differences between two schema sets, table by table in table order,
// column by column in the new column order.
func diffSchemas(old, new schemas.Set) []SchemaChange {
	var out []SchemaChange
	for _, name := range tableNames(old, new) {
		o, n := old[name], new[name]
		switch {
		case o == nil:
			out = append(out, SchemaChange{Table: name, Kind: TableAdded, Level: LevelMinor,
				Text: fmt.Sprintf("Table %s added (%d columns).", name, len(n.Fields))})
		case n == nil:
			out = append(out, SchemaChange{Table: name, Kind: TableRemoved, Level: LevelMajor,
				Text: fmt.Sprintf("Table %s removed.", name)})
		default:
			out = append(out, diffTable(name, o, n)...)
		}
	}
	return out
}

func diffTable(name string, o, n *schemas.Table) []SchemaChange {
	var out []SchemaChange
	add := func(c SchemaChange) {
		c.Table = name
		out = append(out, c)
	}
	if o.SchemaVersion != n.SchemaVersion {
		add(SchemaChange{Kind: MetadataChanged, Item: "schema_version", Old: o.SchemaVersion, New: n.SchemaVersion, Level: LevelPatch,
			Text: fmt.Sprintf("Table %s: schema_version %s → %s.", name, o.SchemaVersion, n.SchemaVersion)})
	}
	if o.Description != n.Description {
		add(SchemaChange{Kind: MetadataChanged, Item: "description", Old: o.Description, New: n.Description, Level: LevelPatch,
			Text: fmt.Sprintf("Table %s: description changed.", name)})
	}
	for _, f := range o.Fields {
		if n.FieldIndex(f.Name) < 0 {
			add(SchemaChange{Column: f.Name, Kind: ColumnRemoved, Old: f.Type, Level: LevelMajor,
				Text: fmt.Sprintf("Column %s.%s removed.", name, f.Name)})
		}
	}
	var oldOrder, newOrder []string
	for _, f := range o.Fields {
		if n.FieldIndex(f.Name) >= 0 {
			oldOrder = append(oldOrder, f.Name)
		}
	}
	for _, f := range n.Fields {
		i := o.FieldIndex(f.Name)
		if i < 0 {
			add(SchemaChange{Column: f.Name, Kind: ColumnAdded, New: f.Type, Level: LevelMinor,
				Text: fmt.Sprintf("Column %s.%s added (%s).", name, f.Name, f.Type)})
			continue
		}
		newOrder = append(newOrder, f.Name)
		for _, c := range diffField(o.Fields[i], f) {
			switch c.Kind {
			case ConstraintTightened:
				c.Text += " (constraint tightened)"
			case ConstraintLoosened:
				c.Text += " (constraint loosened)"
			}
			c.Text = fmt.Sprintf("Column %s.%s: %s.", name, f.Name, c.Text)
			add(c)
		}
	}
	if !slices.Equal(oldOrder, newOrder) {
		add(SchemaChange{Kind: ColumnsReordered, Old: strings.Join(oldOrder, ", "), New: strings.Join(newOrder, ", "), Level: LevelMajor,
			Text: fmt.Sprintf("Table %s: columns reordered (%s → %s).", name, strings.Join(oldOrder, ", "), strings.Join(newOrder, ", "))})
	}
	if !slices.Equal(o.PrimaryKey, n.PrimaryKey) {
		ok, nk := strings.Join(o.PrimaryKey, ", "), strings.Join(n.PrimaryKey, ", ")
		add(SchemaChange{Kind: PrimaryKeyChanged, Old: ok, New: nk, Level: LevelMajor,
			Text: fmt.Sprintf("Table %s: primary key (%s) → (%s).", name, ok, nk)})
	}
	oldFK, newFK := fkStrings(name, o.ForeignKeys), fkStrings(name, n.ForeignKeys)
	for _, k := range oldFK {
		if !slices.Contains(newFK, k) {
			add(SchemaChange{Kind: ForeignKeyRemoved, Old: k, Level: LevelMajor,
				Text: fmt.Sprintf("Table %s: foreign key %s removed.", name, k)})
		}
	}
	for _, k := range newFK {
		if !slices.Contains(oldFK, k) {
			add(SchemaChange{Kind: ForeignKeyAdded, New: k, Level: LevelMajor,
				Text: fmt.Sprintf("Table %s: foreign key %s added.", name, k)})
		}
	}
	if !slices.Equal(o.MissingValues, n.MissingValues) {
		ov, nv := quoteList(o.MissingValues), quoteList(n.MissingValues)
		add(SchemaChange{Kind: MissingValuesChanged, Old: ov, New: nv, Level: LevelMajor,
			Text: fmt.Sprintf("Table %s: missingValues [%s] → [%s].", name, ov, nv)})
	}
	return out
}

// fkStrings writes each foreign key as "a, b → table(c, d)", in schema order.
func fkStrings(table string, fks []schemas.ForeignKey) []string {
	out := make([]string, len(fks))
	for i, k := range fks {
		res := k.Reference.Resource
		if res == "" {
			res = table
		}
		out[i] = fmt.Sprintf("%s → %s(%s)", strings.Join(k.Fields, ", "), res, strings.Join(k.Reference.Fields, ", "))
	}
	return out
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// diffField compares one column present in both schemas.
func diffField(o, n schemas.Field) []SchemaChange {
	col := n.Name
	var out []SchemaChange
	change := func(kind SchemaChangeKind, item, ov, nv, what string) {
		lvl := LevelMajor
		switch kind {
		case ConstraintLoosened:
			lvl = LevelMinor
		case MetadataChanged:
			lvl = LevelPatch
		}
		out = append(out, SchemaChange{Column: col, Kind: kind, Item: item, Old: ov, New: nv, Level: lvl, Text: what})
	}
	// Texts are completed with the table and column by diffTable.
	if o.Type != n.Type {
		change(TypeChanged, "type", o.Type, n.Type, fmt.Sprintf("type %s → %s", o.Type, n.Type))
	}
	if o.Format != n.Format {
		change(FormatChanged, "format", orDefault(o.Format), orDefault(n.Format), fmt.Sprintf("format %s → %s", orDefault(o.Format), orDefault(n.Format)))
	}
	oc, nc := o.Constraints, n.Constraints
	switch {
	case !oc.Required && nc.Required:
		change(ConstraintTightened, "required", "false", "true", "now required (no nulls)")
	case oc.Required && !nc.Required:
		change(ConstraintLoosened, "required", "true", "false", "no longer required (may be null)")
	}
	switch {
	case !oc.Unique && nc.Unique:
		change(ConstraintTightened, "unique", "false", "true", "now unique")
	case oc.Unique && !nc.Unique:
		change(ConstraintLoosened, "unique", "true", "false", "no longer unique")
	}
	switch {
	case len(oc.Enum) == 0 && len(nc.Enum) > 0:
		change(ConstraintTightened, "enum", "", quoteList(nc.Enum), fmt.Sprintf("values restricted to %s", quoteList(nc.Enum)))
	case len(oc.Enum) > 0 && len(nc.Enum) == 0:
		change(ConstraintLoosened, "enum", quoteList(oc.Enum), "", "enum removed (any value allowed)")
	default:
		var gone, added []string
		for _, v := range oc.Enum {
			if !slices.Contains(nc.Enum, v) {
				gone = append(gone, v)
			}
		}
		for _, v := range nc.Enum {
			if !slices.Contains(oc.Enum, v) {
				added = append(added, v)
			}
		}
		if len(gone) > 0 {
			change(ConstraintTightened, "enum", quoteList(gone), "", fmt.Sprintf("enum %s %s removed", plural(len(gone), "value", "values"), quoteList(gone)))
		}
		if len(added) > 0 {
			change(ConstraintLoosened, "enum", "", quoteList(added), fmt.Sprintf("enum %s %s added", plural(len(added), "value", "values"), quoteList(added)))
		}
	}
	switch {
	case oc.Pattern == nc.Pattern:
	case oc.Pattern == "":
		change(ConstraintTightened, "pattern", "", nc.Pattern, fmt.Sprintf("pattern %s added", nc.Pattern))
	case nc.Pattern == "":
		change(ConstraintLoosened, "pattern", oc.Pattern, "", fmt.Sprintf("pattern %s removed", oc.Pattern))
	default:
		change(ConstraintTightened, "pattern", oc.Pattern, nc.Pattern, fmt.Sprintf("pattern %s → %s", oc.Pattern, nc.Pattern))
	}
	ol, nl := int64(0), int64(0)
	if oc.MinLength != nil {
		ol = int64(*oc.MinLength)
	}
	if nc.MinLength != nil {
		nl = int64(*nc.MinLength)
	}
	switch {
	case nl > ol:
		change(ConstraintTightened, "minLength", strconv.FormatInt(ol, 10), strconv.FormatInt(nl, 10), fmt.Sprintf("minLength raised %d → %d", ol, nl))
	case nl < ol:
		change(ConstraintLoosened, "minLength", strconv.FormatInt(ol, 10), strconv.FormatInt(nl, 10), fmt.Sprintf("minLength lowered %d → %d", ol, nl))
	}
	switch {
	case oc.Minimum == nil && nc.Minimum == nil:
	case oc.Minimum == nil:
		change(ConstraintTightened, "minimum", "", strconv.FormatInt(*nc.Minimum, 10), fmt.Sprintf("minimum %d added", *nc.Minimum))
	case nc.Minimum == nil:
		change(ConstraintLoosened, "minimum", strconv.FormatInt(*oc.Minimum, 10), "", fmt.Sprintf("minimum %d removed", *oc.Minimum))
	case *nc.Minimum > *oc.Minimum:
		change(ConstraintTightened, "minimum", strconv.FormatInt(*oc.Minimum, 10), strconv.FormatInt(*nc.Minimum, 10), fmt.Sprintf("minimum raised %d → %d", *oc.Minimum, *nc.Minimum))
	case *nc.Minimum < *oc.Minimum:
		change(ConstraintLoosened, "minimum", strconv.FormatInt(*oc.Minimum, 10), strconv.FormatInt(*nc.Minimum, 10), fmt.Sprintf("minimum lowered %d → %d", *oc.Minimum, *nc.Minimum))
	}
	if o.Title != n.Title {
		change(MetadataChanged, "title", o.Title, n.Title, fmt.Sprintf("title %q → %q", o.Title, n.Title))
	}
	if o.Description != n.Description {
		change(MetadataChanged, "description", o.Description, n.Description, "description changed")
	}
	return out
}

func orDefault(format string) string {
	if format == "" {
		return "default"
	}
	return format
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

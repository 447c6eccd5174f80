package changes

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/schemas"
)

// Snapshot is one state of the dataset: the table schemas and every table's rows as canonical
// cells (see package publish), in the column order of the table's schema. A snapshot with no
// tables stands for "no previous release".
//
// Tables holds rows in memory. A snapshot read by Load holds there every table but the Streamed
// ones, whose rows Rows reads from the folder's Parquet file each time, one record batch in
// memory; Len gives every table's row count either way.
type Snapshot struct {
	Schemas schemas.Set
	Tables  map[string][][]any

	dir  string         // the folder the streamed tables are read from
	lens map[string]int // rows of the streamed tables, from the Parquet footers
}

// Streamed are the tables Load does not read into memory: those that grow with the corpus, by
// rows (passages) or by documents (one or a few rows each). The small tables (parties,
// elections) are held.
var Streamed = map[string]bool{"passages": true, "documents": true, "document_parties": true, "scores": true}

// Empty reports whether the snapshot holds no tables (no previous release).
func (s *Snapshot) Empty() bool { return s == nil || len(s.Schemas) == 0 }

// Rows yields the rows of a table in file order: from memory when Tables holds them, else from
// its Parquet file; nothing for a table the snapshot does not have.
func (s *Snapshot) Rows(table string) iter.Seq2[[]any, error] {
	if rows, ok := s.Tables[table]; ok || s.lens == nil {
		return publish.MemTables{table: rows}.Rows(table)
	}
	if _, ok := s.lens[table]; !ok {
		return publish.MemTables{}.Rows(table)
	}
	return publish.ScanParquet(publish.Path(s.dir, publish.FormatParquet, table), s.Schemas[table])
}

// Columns is Rows reading only the named columns of a streamed table (the other cells are
// nil); a table held in memory yields its rows whole.
func (s *Snapshot) Columns(table string, names ...string) iter.Seq2[[]any, error] {
	if _, ok := s.Tables[table]; ok || s.lens == nil {
		return s.Rows(table)
	}
	if _, ok := s.lens[table]; !ok {
		return s.Rows(table)
	}
	return publish.ScanParquetColumns(publish.Path(s.dir, publish.FormatParquet, table), s.Schemas[table], names)
}

// Len is the number of rows of a table (0 for a table the snapshot does not have).
func (s *Snapshot) Len(table string) int {
	if rows, ok := s.Tables[table]; ok {
		return len(rows)
	}
	return s.lens[table]
}

// Load reads the Parquet file of every table in set from dir/parquet/<table>.parquet: the
// Streamed tables only as far as their row counts, the others whole. A table whose schema is in
// set but whose file is missing is an error naming the file.
func Load(dir string, set schemas.Set) (*Snapshot, error) {
	s := &Snapshot{Schemas: set, Tables: make(map[string][][]any, len(set)), dir: dir, lens: map[string]int{}}
	for _, name := range tableNames(set, nil) {
		path := publish.Path(dir, publish.FormatParquet, name)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, model.Classified(model.ErrInput, &model.SourceError{
				File: path,
				Msg:  fmt.Sprintf("table %s is missing", name),
				Hint: "the folder is not a complete build or release; rebuild it or point to the right folder",
			})
		}
		if Streamed[name] {
			n, err := publish.ParquetRows(path)
			if err != nil {
				return nil, fmt.Errorf("changes: load %s: %w", dir, err)
			}
			s.lens[name] = int(n)
			continue
		}
		rows, err := publish.ReadParquet(path, set[name])
		if err != nil {
			return nil, fmt.Errorf("changes: load %s: %w", dir, err)
		}
		s.Tables[name] = rows
	}
	return s, nil
}

// SchemasOf returns the table schemas of a build or release folder: those in the Parquet
// resources (named <table>-parquet) of dir/datapackage.json when that file exists, else the
// schemas embedded in package schemas.
func SchemasOf(dir string) (schemas.Set, error) {
	path := filepath.Join(dir, publish.DataPackageFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return schemas.Load()
	}
	if err != nil {
		return nil, fmt.Errorf("changes: read %s: %w", path, err)
	}
	var pkg struct {
		Resources []struct {
			Name   string          `json:"name"`
			Format string          `json:"format"`
			Schema json.RawMessage `json:"schema"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		return nil, model.Classified(model.ErrInput, &model.SourceError{File: path, Msg: err.Error(), Hint: "the data package descriptor is not valid JSON"})
	}
	set := schemas.Set{}
	for i, r := range pkg.Resources {
		table, ok := strings.CutSuffix(r.Name, "-parquet")
		if !ok {
			continue
		}
		if len(r.Schema) == 0 {
			return nil, model.Classified(model.ErrInput, &model.SourceError{File: path, Msg: fmt.Sprintf("resource %d (%s) has no schema object", i, r.Name)})
		}
		var t schemas.Table
		if err := json.Unmarshal(r.Schema, &t); err != nil {
			return nil, model.Classified(model.ErrInput, &model.SourceError{File: path, Msg: fmt.Sprintf("resource %d (%s): schema: %v", i, r.Name, err)})
		}
		if t.Name != table {
			return nil, model.Classified(model.ErrInput, &model.SourceError{File: path, Msg: fmt.Sprintf("resource %d (%s): schema name %q does not match the resource name", i, r.Name, t.Name)})
		}
		if _, dup := set[table]; dup {
			return nil, model.Classified(model.ErrInput, &model.SourceError{File: path, Msg: fmt.Sprintf("resource %d: a second resource %s", i, r.Name)})
		}
		set[table] = &t
	}
	if len(set) == 0 {
		return nil, model.Classified(model.ErrInput, &model.SourceError{File: path, Msg: "no Parquet resources (named <table>-parquet)", Hint: "the descriptor does not describe a release of this dataset"})
	}
	return set, nil
}

// tableNames lists the tables of one or two schema sets: those in schemas.Order first, in
// that order, then any others sorted by name.
func tableNames(a, b schemas.Set) []string {
	seen := map[string]bool{}
	var names []string
	for _, n := range schemas.Order {
		if a[n] != nil || b[n] != nil {
			names = append(names, n)
			seen[n] = true
		}
	}
	var rest []string
	for _, set := range []schemas.Set{a, b} {
		for n := range set {
			if !seen[n] {
				rest = append(rest, n)
				seen[n] = true
			}
		}
	}
	sort.Strings(rest)
	return append(names, rest...)
}

package publish

import (
	"os"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/internal/parquetgo"
)

// readParquetGo reads a Parquet table with github.com/parquet-go/parquet-go, a reader
// independent of the Arrow library that wrote it (see internal/parquetgo), so the tests check
// arrow-go's output against a second implementation rather than against itself.
var readParquetGo readFunc = parquetgo.Read

// fileMeta is what the tests check in a Parquet footer, as parquet-go reads it.
type fileMeta struct {
	createdBy string
	kv        map[string]string
	codec     string
	rowGroups []int64
}

func parquetGoMeta(t *testing.T, path string) fileMeta {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	st, err := f.Stat()
	require.NoError(t, err)
	pf, err := parquet.OpenFile(f, st.Size())
	require.NoError(t, err)
	md := pf.Metadata()
	m := fileMeta{createdBy: md.CreatedBy, kv: map[string]string{}}
	for _, kv := range md.KeyValueMetadata {
		m.kv[kv.Key] = kv.Value
	}
	for _, rg := range md.RowGroups {
		m.rowGroups = append(m.rowGroups, rg.NumRows)
		for _, cc := range rg.Columns {
			m.codec = cc.MetaData.Codec.String()
		}
	}
	return m
}

// arrowSchemaOfFile is the Arrow schema the Arrow reader finds in a Parquet file.
func arrowSchemaOfFile(t *testing.T, path string) *arrow.Schema {
	t.Helper()
	pf, err := file.OpenParquetFile(path, false)
	require.NoError(t, err)
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	require.NoError(t, err)
	s, err := fr.Schema()
	require.NoError(t, err)
	return s
}

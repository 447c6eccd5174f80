package gencorpus

import (
	"bytes"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/stretchr/testify/require"
)

// dictionaryPages writes texts as one zstd-compressed string column of one row group with the
// Parquet writer's default dictionary settings (dictionary encoding on, the default dictionary page
// limit; with compression the writer falls back only when the dictionary outgrows that limit) and
// returns the page kinds and encodings of its column chunk, as "DATA_PAGE/PLAIN" and the like.
func dictionaryPages(t *testing.T, texts []string) []string {
	t.Helper()
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues(texts, nil)
	arr := b.NewArray()
	defer arr.Release()
	sch := arrow.NewSchema([]arrow.Field{{Name: "text", Type: arrow.BinaryTypes.String}}, nil)
	rec := array.NewRecordBatch(sch, []arrow.Array{arr}, int64(len(texts)))
	defer rec.Release()
	tbl := array.NewTableFromRecords(sch, []arrow.RecordBatch{rec})
	defer tbl.Release()
	var buf bytes.Buffer
	props := parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(int64(len(texts))), parquet.WithCompression(compress.Codecs.Zstd))
	require.NoError(t, pqarrow.WriteTable(tbl, &buf, int64(len(texts)), props, pqarrow.DefaultWriterProps()))
	r, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	defer r.Close()
	require.Equal(t, 1, r.NumRowGroups())
	cc, err := r.MetaData().RowGroup(0).ColumnChunk(0)
	require.NoError(t, err)
	var out []string
	for _, s := range cc.EncodingStats() {
		out = append(out, s.PageType.String()+"/"+s.Encoding.String())
	}
	return out
}

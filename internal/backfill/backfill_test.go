package backfill_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/internal/backfill"
	"github.com/twinwatch/twinwatch/parser/gazetteer"
	"github.com/twinwatch/twinwatch/twin"
)

var gaz = sync.OnceValues(gazetteer.Load)

func g(t testing.TB) *gazetteer.Gazetteer {
	t.Helper()
	gz, err := gaz()
	require.NoError(t, err)
	return gz
}

var seen = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

const head = "ru_place\tru_place_en\tcn_place\tcn_place_en\tlevel\ttype\testablished\tsource_url\tnote\n"

func TestReferenceList(t *testing.T) {
	res := loadReference(t, g(t), seen)
	require.Equal(t, 187, res.Rows)
	require.Equal(t, res.Rows, len(res.Observations)+len(res.Bad), "every row is loaded or reported")
	undated, intent := 0, 0
	for _, o := range res.Observations {
		require.NoError(t, o.Validate())
		require.Equal(t, twin.OriginReference, o.Origin, "backfilled agreements never alert")
		require.Equal(t, "reference", o.Source)
		require.True(t, strings.HasPrefix(o.URL, "http"), o.URL)
		require.Equal(t, seen, o.SeenAt)
		if o.Established.IsZero() {
			undated++
		}
		if o.Status == twin.Intent {
			intent++
			require.Equal(t, 0.3, o.Confidence)
		}
	}
	require.Equal(t, undated, res.Undated)
	require.Equal(t, 1, intent, "the one `unknown` row")
	for _, b := range res.Bad {
		require.Contains(t, b.Reason, "not in the gazetteer", "line %d", b.Line)
	}
	// the first pair of the list: Saint Petersburg – Shanghai, 1988-12-15
	first := res.Observations[0]
	require.Equal(t, "1988-12-15", first.Established.String())
	require.Equal(t, twin.City, first.Places[0].Kind)
	require.Equal(t, "Shanghai", first.Places[1].NameEN)
}

func TestBadRowsReported(t *testing.T) {
	in := head +
		"Хабаровск\tKhabarovsk\t哈尔滨市\tHarbin\tcity-city\ttwin\t1993-05-17\thttps://a.example/1\t\n" + // line 2 good
		"Хабаровск\tKhabarovsk\t哈尔滨市\tHarbin\tcity-town\ttwin\t1993\thttps://a.example/2\t\n" + // 3 level
		"Хабаровск\tKhabarovsk\t哈尔滨市\tHarbin\tcity-city\tsister\t1993\thttps://a.example/3\t\n" + // 4 type
		"Хабаровск\tKhabarovsk\t哈尔滨市\tHarbin\tcity-city\ttwin\t1993-13\thttps://a.example/4\t\n" + // 5 date
		"Хабаровск\tKhabarovsk\t哈尔滨市\tHarbin\tcity-city\ttwin\t1993\tftp://a.example/5\t\n" + // 6 url
		"Нигдеград\tNowhere\t哈尔滨市\tHarbin\tcity-city\ttwin\t1993\thttps://a.example/6\t\n" + // 7 place
		"Хабаровск\tKhabarovsk\t哈尔滨市\n" + // 8 fields
		"Хабаровск\tKhabarovsk\t哈尔滨市\tHarbin\tcity-city\ttwin\t1993-05-17\thttps://a.example/1\tagain\n" + // 9 duplicate
		"\n" +
		"Хабаровск\tKhabarovsk\t哈尔滨市\tHarbin\tcity-city\tpartner\t\thttps://a.example/7\tUNCERTAIN\n" // 11 good, undated
	res, err := backfill.Load(strings.NewReader(in), backfill.TSV, g(t), seen)
	require.NoError(t, err)
	require.Len(t, res.Observations, 2)
	require.Equal(t, 1, res.Undated)
	require.Equal(t, 0.8, res.Observations[1].Confidence)
	require.Equal(t, 9, res.Rows)
	var lines []int
	reasons := map[int]string{}
	for _, b := range res.Bad {
		lines = append(lines, b.Line)
		reasons[b.Line] = b.Reason
	}
	require.Equal(t, []int{3, 4, 5, 6, 7, 8, 9}, lines)
	require.Contains(t, reasons[3], "level")
	require.Contains(t, reasons[4], "type")
	require.Contains(t, reasons[5], "established")
	require.Contains(t, reasons[6], "source_url")
	require.Contains(t, reasons[7], "not in the gazetteer")
	require.Contains(t, reasons[8], "fields")
	require.Contains(t, reasons[9], "duplicate of line 2")
}

func TestCSVEqualsTSV(t *testing.T) {
	raw, err := os.ReadFile(referenceFile)
	require.NoError(t, err)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, l := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
		require.NoError(t, w.Write(strings.Split(l, "\t")))
	}
	w.Flush()
	fromTSV, err := backfill.Load(bytes.NewReader(raw), backfill.TSV, g(t), seen)
	require.NoError(t, err)
	fromCSV, err := backfill.Load(&buf, backfill.CSV, g(t), seen)
	require.NoError(t, err)
	require.Equal(t, fromTSV, fromCSV)
	require.Equal(t, backfill.CSV, backfill.FormatOf("x/Relations.CSV"))
	require.Equal(t, backfill.TSV, backfill.FormatOf("x/relations.tsv"))
}

func TestCSVBadRowKeepsGoing(t *testing.T) {
	in := strings.ReplaceAll(head, "\t", ",") +
		"Хабаровск,Khabarovsk,哈尔滨市,Harbin,city-city,twin,1993,https://a.example/1,\"a, quoted note\"\n" +
		"Хабаровск,Khabarovsk,\"哈尔滨市,Harbin,city-city,twin,1993,https://a.example/2,\n"
	res, err := backfill.Load(strings.NewReader(in), backfill.CSV, g(t), seen)
	require.NoError(t, err)
	require.Len(t, res.Observations, 1)
	require.Len(t, res.Bad, 1)
	require.Equal(t, 3, res.Bad[0].Line)
}

func TestHeaderRequired(t *testing.T) {
	_, err := backfill.Load(strings.NewReader("ru_place\tcn_place\nA\tB\n"), backfill.TSV, g(t), seen)
	require.ErrorIs(t, err, backfill.ErrHeader)
	_, err = backfill.Load(strings.NewReader(""), backfill.CSV, g(t), seen)
	require.ErrorIs(t, err, backfill.ErrHeader)
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(head+"a\tb\tc\td\tcity-city\ttwin\t1990\thttps://x.example/\t\n"), false)
	f.Add([]byte(strings.ReplaceAll(head, "\t", ",")+"a,\"b\n,c"), true)
	f.Fuzz(func(t *testing.T, data []byte, isCSV bool) {
		format := backfill.TSV
		if isCSV {
			format = backfill.CSV
		}
		rows, bad, err := backfill.Read(bytes.NewReader(data), format)
		if err != nil {
			return
		}
		res := backfill.Build(rows, g(t), seen)
		require.Equal(t, len(rows), len(res.Observations)+len(res.Bad))
		_ = bad
		for _, o := range res.Observations {
			require.NoError(t, o.Validate())
		}
	})
}

// BenchmarkLoad reads and maps the whole reference list (gazetteer loaded once).
func BenchmarkLoad(b *testing.B) {
	raw, err := os.ReadFile(referenceFile)
	require.NoError(b, err)
	gz := g(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := backfill.Load(bytes.NewReader(raw), backfill.TSV, gz, seen); err != nil {
			b.Fatal(err)
		}
	}
}

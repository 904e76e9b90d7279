package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/twinwatch/twinwatch/parser"
	"github.com/twinwatch/twinwatch/twin"
)

// Langs are the report's rows, in print order; "all" sums the others.
var langs = []string{"ru", "zh", "en", "all"}

// GoldPlace is a place as gold.jsonl writes it.
type GoldPlace struct {
	RU      string `json:"ru"`
	ZH      string `json:"zh"`
	EN      string `json:"en"`
	Country string `json:"country"`
	Kind    string `json:"kind"`
}

// GoldAgreement is one labelled agreement.
type GoldAgreement struct {
	A           GoldPlace `json:"a"`
	B           GoldPlace `json:"b"`
	Relation    string    `json:"relation"`
	Status      string    `json:"status"`
	Established string    `json:"established"`
}

// GoldEvent is one labelled event.
type GoldEvent struct {
	A        GoldPlace `json:"a"`
	B        GoldPlace `json:"b"`
	Category string    `json:"category"`
	Date     string    `json:"date"`
}

// GoldPage is one line of gold.jsonl.
type GoldPage struct {
	Page       string          `json:"page"`
	URL        string          `json:"url"`
	Lang       string          `json:"lang"`
	Published  string          `json:"published"`
	Agreements []GoldAgreement `json:"agreements"`
	Events     []GoldEvent     `json:"events"`
	Notes      string          `json:"notes"`
}

// PRF counts matches for precision, recall and F1.
type PRF struct{ TP, FP, FN int }

// P is the precision (1 when nothing was predicted).
func (s PRF) P() float64 { return ratio(s.TP, s.TP+s.FP) }

// R is the recall (1 when nothing was expected).
func (s PRF) R() float64 { return ratio(s.TP, s.TP+s.FN) }

// F1 is the harmonic mean of P and R.
func (s PRF) F1() float64 {
	p, r := s.P(), s.R()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (s *PRF) add(o PRF) { s.TP += o.TP; s.FP += o.FP; s.FN += o.FN }

// Acc counts correct answers out of a total.
type Acc struct{ OK, N int }

// Rate is OK/N (1 when N is 0).
func (a Acc) Rate() float64 { return ratio(a.OK, a.N) }

func (a *Acc) add(o Acc) { a.OK += o.OK; a.N += o.N }
func (a *Acc) count(ok bool) {
	a.N++
	if ok {
		a.OK++
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Scores are the numbers of one language row.
type Scores struct {
	Pages       int
	Agreements  PRF // matched on (pair, relation), relation errors count as matches
	Signed      PRF // only status signed, on either side
	Relation    Acc // on matched agreements
	Status      Acc
	Year        Acc // year of established equal (both empty counts as equal)
	EstStrict   Acc
	EstLenient  Acc
	Events      PRF // matched on (pair, category)
	DateStrict  Acc // event date on matched events
	DateLenient Acc
	Published   Acc
}

func (s *Scores) add(o Scores) {
	s.Pages += o.Pages
	s.Agreements.add(o.Agreements)
	s.Signed.add(o.Signed)
	s.Relation.add(o.Relation)
	s.Status.add(o.Status)
	s.Year.add(o.Year)
	s.EstStrict.add(o.EstStrict)
	s.EstLenient.add(o.EstLenient)
	s.Events.add(o.Events)
	s.DateStrict.add(o.DateStrict)
	s.DateLenient.add(o.DateLenient)
	s.Published.add(o.Published)
}

// Report is the result of Run: Scores per language ("ru", "zh", "en" and
// "all") and the per-page differences that explain them.
type Report struct {
	ByLang map[string]*Scores
	Pages  []PageResult
}

// All returns the "all" row.
func (r *Report) All() *Scores { return r.ByLang["all"] }

// PageResult lists one page's mistakes as readable lines ("FP agreement ...").
type PageResult struct {
	Page     string
	Lang     string
	Scores   Scores
	Mistakes []string
}

// LoadGold reads corpusDir/gold.jsonl. Every malformed line is an error
// naming its line number.
func LoadGold(corpusDir string) ([]GoldPage, error) {
	f, err := os.Open(filepath.Join(corpusDir, "gold.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("eval: open gold: %w", err)
	}
	defer f.Close()
	var pages []GoldPage
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var g GoldPage
		if err := json.Unmarshal(line, &g); err != nil {
			return nil, fmt.Errorf("eval: gold.jsonl line %d: %w", n, err)
		}
		if g.Page == "" {
			return nil, fmt.Errorf("eval: gold.jsonl line %d: no page", n)
		}
		pages = append(pages, g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: read gold: %w", err)
	}
	return pages, nil
}

// Run parses every page of the corpus in corpusDir with p, scores it against
// gold.jsonl and prints a table to w (with every page's mistakes when
// verbose). The page's URL and language from gold are passed as a source's
// configuration would pass them; the publication date is left to the parser.
func Run(corpusDir string, p *parser.Parser, verbose bool, w io.Writer) (*Report, error) {
	gold, err := LoadGold(corpusDir)
	if err != nil {
		return nil, err
	}
	rep := &Report{ByLang: map[string]*Scores{}}
	for _, l := range langs {
		rep.ByLang[l] = &Scores{}
	}
	for _, g := range gold {
		body, err := os.ReadFile(filepath.Join(corpusDir, filepath.FromSlash(g.Page)))
		if err != nil {
			return nil, fmt.Errorf("eval: page %s: %w", g.Page, err)
		}
		obs, doc, err := p.ParseInput(parser.Input{Body: body, URL: g.URL, Lang: g.Lang, Source: "eval"})
		if err != nil {
			return nil, fmt.Errorf("eval: parse %s: %w", g.Page, err)
		}
		published := ""
		if doc != nil {
			published = doc.Published.String()
		}
		for _, o := range obs {
			if !o.Published.IsZero() {
				published = o.Published.String()
				break
			}
		}
		pr := ScorePage(g, obs, published)
		rep.Pages = append(rep.Pages, pr)
		if _, ok := rep.ByLang[g.Lang]; !ok {
			rep.ByLang[g.Lang] = &Scores{}
		}
		rep.ByLang[g.Lang].add(pr.Scores)
		rep.ByLang["all"].add(pr.Scores)
	}
	if w != nil {
		Print(w, rep, verbose)
	}
	return rep, nil
}

// ScorePage scores one page's observations against its gold line.
func ScorePage(g GoldPage, obs []twin.Observation, published string) PageResult {
	pr := PageResult{Page: g.Page, Lang: g.Lang}
	s := &pr.Scores
	s.Pages = 1
	miss := func(format string, args ...any) { pr.Mistakes = append(pr.Mistakes, fmt.Sprintf(format, args...)) }

	var ags, evs []twin.Observation
	for _, o := range obs {
		switch o.Type {
		case twin.KindAgreement:
			ags = append(ags, o)
		case twin.KindEvent:
			evs = append(evs, o)
		}
	}

	// Agreements: equal relation first, then same pair with another relation.
	goldUsed := make([]bool, len(g.Agreements))
	predGold := make([]int, len(ags))
	for i := range predGold {
		predGold[i] = -1
	}
	for pass := 0; pass < 2; pass++ {
		for i, o := range ags {
			if predGold[i] >= 0 {
				continue
			}
			for j, ga := range g.Agreements {
				if goldUsed[j] || !SamePlace(ga.A, o.Places[0]) || !SamePlace(ga.B, o.Places[1]) {
					continue
				}
				if pass == 0 && ga.Relation != string(o.Relation) {
					continue
				}
				goldUsed[j], predGold[i] = true, j
				break
			}
		}
	}
	for i, o := range ags {
		j := predGold[i]
		if j < 0 {
			s.Agreements.FP++
			if o.Status == twin.Signed {
				s.Signed.FP++
			}
			miss("FP agreement %s–%s %s/%s %s | %s", o.Places[0].NameEN, o.Places[1].NameEN, o.Relation, o.Status, o.Established, short(o.Evidence))
			continue
		}
		ga := g.Agreements[j]
		s.Agreements.TP++
		est := o.Established.String()
		s.Relation.count(ga.Relation == string(o.Relation))
		s.Status.count(ga.Status == string(o.Status))
		s.Year.count(year(ga.Established) == year(est))
		s.EstStrict.count(ga.Established == est)
		s.EstLenient.count(lenient(ga.Established, est))
		switch {
		case ga.Status == "signed" && o.Status == twin.Signed:
			s.Signed.TP++
		case ga.Status == "signed":
			s.Signed.FN++
		case o.Status == twin.Signed:
			s.Signed.FP++
		}
		if ga.Relation != string(o.Relation) || ga.Status != string(o.Status) || ga.Established != est {
			miss("DIFF agreement %s–%s gold %s/%s %q got %s/%s %q | %s", ga.A.EN, ga.B.EN, ga.Relation, ga.Status, ga.Established,
				o.Relation, o.Status, est, short(o.Evidence))
		}
	}
	for j, ga := range g.Agreements {
		if !goldUsed[j] {
			s.Agreements.FN++
			if ga.Status == "signed" {
				s.Signed.FN++
			}
			miss("FN agreement %s–%s %s/%s %q", ga.A.EN, ga.B.EN, ga.Relation, ga.Status, ga.Established)
		}
	}

	// Events on (pair, category).
	evUsed := make([]bool, len(g.Events))
	for _, o := range evs {
		found := -1
		for j, ge := range g.Events {
			if !evUsed[j] && ge.Category == string(o.Category) && SamePlace(ge.A, o.Places[0]) && SamePlace(ge.B, o.Places[1]) {
				found = j
				break
			}
		}
		if found < 0 {
			s.Events.FP++
			miss("FP event %s–%s %s %s | %s", o.Places[0].NameEN, o.Places[1].NameEN, o.Category, o.Date, short(o.Evidence))
			continue
		}
		evUsed[found] = true
		ge := g.Events[found]
		s.Events.TP++
		d := o.Date.String()
		s.DateStrict.count(ge.Date == d)
		s.DateLenient.count(lenient(ge.Date, d))
		if ge.Date != d {
			miss("DIFF event %s–%s %s gold %q got %q", ge.A.EN, ge.B.EN, ge.Category, ge.Date, d)
		}
	}
	for j, ge := range g.Events {
		if !evUsed[j] {
			s.Events.FN++
			miss("FN event %s–%s %s %q", ge.A.EN, ge.B.EN, ge.Category, ge.Date)
		}
	}
	s.Published.count(g.Published == published)
	if g.Published != published {
		miss("published gold %q got %q", g.Published, published)
	}
	return pr
}

func short(s string) string {
	r := []rune(s)
	if len(r) > 90 {
		return string(r[:90]) + "…"
	}
	return s
}

func year(d string) string {
	if len(d) >= 4 {
		return d[:4]
	}
	return d
}

func lenient(gold, got string) bool {
	if gold == "" || got == "" {
		return gold == got
	}
	return strings.HasPrefix(gold, got) || strings.HasPrefix(got, gold)
}

// SamePlace reports whether the gold place g and the predicted place p are the
// same place: same country and kind, and any of the three names equal after
// normalisation.
func SamePlace(g GoldPlace, p twin.Place) bool {
	if g.Country != string(p.Country) || (g.Kind != "" && g.Kind != string(p.Kind)) {
		return false
	}
	if g.RU != "" && p.NameRU != "" && normRU(g.RU) == normRU(p.NameRU) {
		return true
	}
	if g.EN != "" && p.NameEN != "" && normEN(g.EN) == normEN(p.NameEN) {
		return true
	}
	if g.ZH != "" && p.NameZH != "" {
		a, b := normZH(g.ZH), normZH(p.NameZH)
		if a == b || stripZH(a) == stripZH(b) {
			return true
		}
	}
	return false
}

func normRU(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "ё", "е")
}

func normEN(s string) string {
	if i := strings.Index(s, ","); i >= 0 {
		s = s[:i]
	}
	return strings.ToLower(strings.TrimSpace(s))
}

func normZH(s string) string {
	s = strings.TrimSpace(s)
	for _, suf := range []string{"市", "省"} {
		if strings.HasSuffix(s, suf) && len([]rune(s)) > 2 {
			s = strings.TrimSuffix(s, suf)
		}
	}
	return s
}

func stripZH(s string) string {
	for _, suf := range []string{"自治区", "自治州", "自治县", "县", "区"} {
		if strings.HasSuffix(s, suf) && len([]rune(s)) > len([]rune(suf))+1 {
			return strings.TrimSuffix(s, suf)
		}
	}
	return s
}

// Print writes the report as a table, then (verbose) each page's mistakes.
func Print(w io.Writer, r *Report, verbose bool) {
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "lang\tpages\tagr P\tagr R\tagr F1\tsigned P\tsigned R\tsigned F1\trelation\tstatus\tyear\test strict\test lenient\tevent P\tevent R\tevent F1\tev date\tpublished\t")
	keys := make([]string, 0, len(r.ByLang))
	for k := range r.ByLang {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return order(keys[i]) < order(keys[j]) })
	for _, k := range keys {
		s := r.ByLang[k]
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n",
			k, s.Pages, s.Agreements.P(), s.Agreements.R(), s.Agreements.F1(), s.Signed.P(), s.Signed.R(), s.Signed.F1(),
			s.Relation.Rate(), s.Status.Rate(), s.Year.Rate(), s.EstStrict.Rate(), s.EstLenient.Rate(),
			s.Events.P(), s.Events.R(), s.Events.F1(), s.DateLenient.Rate(), s.Published.Rate())
	}
	tw.Flush()
	a := r.ByLang["all"]
	fmt.Fprintf(w, "agreements tp=%d fp=%d fn=%d; signed tp=%d fp=%d fn=%d; events tp=%d fp=%d fn=%d\n",
		a.Agreements.TP, a.Agreements.FP, a.Agreements.FN, a.Signed.TP, a.Signed.FP, a.Signed.FN, a.Events.TP, a.Events.FP, a.Events.FN)
	if !verbose {
		return
	}
	for _, p := range r.Pages {
		if len(p.Mistakes) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s (%s)\n", p.Page, p.Lang)
		for _, m := range p.Mistakes {
			fmt.Fprintf(w, "    %s\n", m)
		}
	}
}

func order(lang string) int {
	for i, l := range langs {
		if l == lang {
			return i
		}
	}
	return len(langs) - 1
}

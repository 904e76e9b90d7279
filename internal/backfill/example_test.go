package backfill_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/twinwatch/twinwatch/internal/backfill"
	"github.com/twinwatch/twinwatch/parser/gazetteer"
)

func ExampleLoad() {
	g, err := gazetteer.Load()
	if err != nil {
		panic(err)
	}
	list := "ru_place,ru_place_en,cn_place,cn_place_en,level,type,established,source_url,note\n" +
		"Хабаровск,Khabarovsk,哈尔滨市,Harbin,city-city,twin,1993-06-15,https://example.org/a,\n" +
		"Благовещенск,Blagoveshchensk,黑河市,Heihe,city-city,twin,,https://example.org/b,undated\n" +
		"Нигдеград,Nowhere,黑河市,Heihe,city-city,twin,2001,https://example.org/c,\n"
	res, err := backfill.Load(strings.NewReader(list), backfill.CSV, g, time.Now())
	if err != nil {
		panic(err)
	}
	for _, o := range res.Observations {
		fmt.Printf("%s – %s %s %q origin=%s\n", o.Places[0].NameEN, o.Places[1].NameEN, o.Relation, o.Established.String(), o.Origin)
	}
	fmt.Println("undated:", res.Undated)
	for _, b := range res.Bad {
		fmt.Println(b)
	}
	// Output:
	// Khabarovsk – Harbin twin "1993-06-15" origin=reference
	// Blagoveshchensk – Heihe twin "" origin=reference
	// undated: 1
	// line 4: Russian place "Нигдеград / Nowhere" not in the gazetteer
}

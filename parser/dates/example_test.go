package dates_test

import (
	"fmt"

	"github.com/twinwatch/twinwatch/parser/dates"
	"github.com/twinwatch/twinwatch/twin"
)

func ExampleFind() {
	text := "Вчера мэры подписали соглашение; города дружат с 1993 года. © 2024"
	for _, m := range dates.Find(text, "ru", twin.MustDate("2025-08-19")) {
		fmt.Printf("%q %s relative=%v\n", text[m.Start:m.End], m.Date, m.Relative)
	}
	// Output:
	// "Вчера" 2025-08-18 relative=true
	// "1993 года" 1993 relative=false
}

func ExampleParseOne() {
	for _, s := range []string{"1993年6月28日", "16 июля 1991 г.", "May 14, 1995", "2025-06-30T16:20:00+03:00", "1973", "—"} {
		d, ok := dates.ParseOne(s, "")
		fmt.Println(d, ok)
	}
	// Output:
	// 1993-06-28 true
	// 1991-07-16 true
	// 1995-05-14 true
	// 2025-06-30 true
	// 1973 true
	//  false
}

package gazetteer_test

import (
	"fmt"

	"github.com/twinwatch/twinwatch/parser/gazetteer"
)

func Example() {
	g, err := gazetteer.Load()
	if err != nil {
		panic(err)
	}
	for _, m := range g.Find("Делегация Уфы посетила Цицикар; 吉林省吉林市; Kirin.") {
		fmt.Printf("%s -> %s (%s) exact=%v\n", m.Surface, m.Place.NameRU, m.Place.Kind, m.Exact)
	}
	fmt.Println(gazetteer.Palladius("shuang ya shan"))
	// Output:
	// Уфы -> Уфа (city) exact=false
	// Цицикар -> Цицикар (city) exact=true
	// 吉林省 -> Цзилинь (region) exact=true
	// 吉林市 -> Цзилинь (city) exact=true
	// Kirin -> Цзилинь (city) exact=true
	// Шуанъяшань
}

package places

// Federal districts of Russia, by the English names used in the table.
const (
	Central        = "Central"
	Northwestern   = "Northwestern"
	Southern       = "Southern"
	NorthCaucasian = "North Caucasian"
	Volga          = "Volga"
	Ural           = "Ural"
	Siberian       = "Siberian"
	FarEastern     = "Far Eastern"
)

// FederalDistricts lists the 8 districts in their official order.
var FederalDistricts = []string{Central, Northwestern, Southern, NorthCaucasian, Volga, Ural, Siberian, FarEastern}

// subjectDistrict maps the ISO 3166-2 code of each of the 89 federal
// subjects (as the gazetteer codes them) to its federal district.
func subjectDistrict() map[string]string {
	m := map[string]string{}
	add := func(d string, codes ...string) {
		for _, c := range codes {
			m[c] = d
		}
	}
	add(Central, "RU-BEL", "RU-BRY", "RU-VLA", "RU-VOR", "RU-IVA", "RU-KLU", "RU-KOS", "RU-KRS", "RU-LIP",
		"RU-MOS", "RU-MOW", "RU-ORL", "RU-RYA", "RU-SMO", "RU-TAM", "RU-TVE", "RU-TUL", "RU-YAR")
	add(Northwestern, "RU-KR", "RU-KO", "RU-ARK", "RU-NEN", "RU-VLG", "RU-KGD", "RU-LEN", "RU-SPE", "RU-MUR",
		"RU-NGR", "RU-PSK")
	add(Southern, "RU-AD", "RU-KL", "RU-KDA", "RU-AST", "RU-VGG", "RU-ROS",
		"UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65") // Crimea, Sevastopol, Donetsk, Luhansk, Zaporozhye, Kherson
	add(NorthCaucasian, "RU-DA", "RU-IN", "RU-KB", "RU-KC", "RU-SE", "RU-CE", "RU-STA")
	add(Volga, "RU-BA", "RU-ME", "RU-MO", "RU-TA", "RU-UD", "RU-CU", "RU-PER", "RU-KIR", "RU-NIZ", "RU-ORE",
		"RU-PNZ", "RU-SAM", "RU-SAR", "RU-ULY")
	add(Ural, "RU-KGN", "RU-SVE", "RU-TYU", "RU-KHM", "RU-YAN", "RU-CHE")
	add(Siberian, "RU-AL", "RU-TY", "RU-KK", "RU-ALT", "RU-KYA", "RU-IRK", "RU-KEM", "RU-NVS", "RU-OMS", "RU-TOM")
	add(FarEastern, "RU-BU", "RU-SA", "RU-ZAB", "RU-KAM", "RU-PRI", "RU-KHA", "RU-AMU", "RU-MAG", "RU-SAK",
		"RU-YEV", "RU-CHU")
	return m
}

// FederalDistrict returns the federal district of a Russian federal subject
// given its ISO 3166-2 code, or "" for an unknown code.
func FederalDistrict(code string) string { return subjectDistrict()[code] }

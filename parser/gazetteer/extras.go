package gazetteer

// This file holds the hand-made knowledge the data files lack: extra
// (historical, Wade–Giles, colloquial) names, names that are also common
// words or surnames, foreign places that share a name with a Russian or
// Chinese one, and traditional→simplified characters not learnt from the data.

// extraName attaches more names to a place found by one of its known names.
type extraName struct {
	country string // "RU" or "CN"
	kind    string // "city" or "region"; "" for any
	known   string // a name the place already has (any script)
	names   []string
}

// extraNames are names the data lacks: old postal and Wade–Giles spellings,
// Chinese transliterations of Russian cities, colloquial Russian region names.
var extraNames = []extraName{
	{"CN", "city", "延吉", []string{"Yenki", "Yenchi", "Yen-chi", "Яньцзи"}},
	{"CN", "city", "吉林", []string{"Kirin", "Kirin City", "Гирин"}},
	{"CN", "region", "吉林省", []string{"Kirin Province", "Цзилинь", "Гирин"}},
	{"CN", "city", "重庆", []string{"Chungking", "Chung-king", "Чунцин"}},
	{"CN", "city", "营口", []string{"Yingkow", "Newchwang"}},
	{"CN", "city", "青岛", []string{"Tsingtao", "Tsingtau", "Циндао"}},
	{"CN", "city", "丹东", []string{"Antung", "An-tung", "Аньдун", "安东"}},
	{"CN", "city", "大连", []string{"Dairen", "Dalny", "Port Dalny", "Дальний"}},
	{"CN", "city", "沈阳", []string{"Mukden", "Мукден", "Fengtien"}},
	{"CN", "city", "北京", []string{"Peking", "Peiping"}},
	{"CN", "city", "南京", []string{"Nanking"}},
	{"CN", "city", "广州", []string{"Canton", "Кантон"}},
	{"CN", "city", "天津", []string{"Tientsin"}},
	{"CN", "city", "哈尔滨", []string{"Harbin", "Kharbin"}},
	{"CN", "city", "齐齐哈尔", []string{"Tsitsihar"}},
	{"CN", "city", "长春", []string{"Hsinking", "Changchun"}},
	{"CN", "city", "乌鲁木齐", []string{"Tihwa", "Urumchi", "Урумчи"}},
	{"CN", "city", "呼和浩特", []string{"Kweisui", "Huhehot", "Huhhot", "Хух-Хото", "Хухэхаотэ"}},
	{"CN", "city", "厦门", []string{"Amoy"}},
	{"CN", "city", "福州", []string{"Foochow"}},
	{"CN", "city", "杭州", []string{"Hangchow"}},
	{"CN", "city", "苏州", []string{"Soochow"}},
	{"CN", "city", "西安", []string{"Sian", "Hsian", "Xian", "Сиань"}},
	{"CN", "city", "成都", []string{"Chengtu"}},
	{"CN", "city", "满洲里", []string{"Manchouli", "Manchuria Station"}},
	{"CN", "city", "二连浩特", []string{"Erlianhaote", "Erlian"}},
	{"CN", "city", "乌兰察布", []string{"Wulanchabu", "Уланьчабу"}},
	{"CN", "city", "呼伦贝尔", []string{"Hulun Buir", "Hulunbeier"}},
	{"CN", "city", "黑河", []string{"Aigun", "Aihui"}},
	{"CN", "city", "绥芬河", []string{"Pogranichnaya", "Suifenho"}},
	{"CN", "region", "四川", []string{"Szechwan", "Szechuan", "Sichuan Province"}},
	{"CN", "region", "江苏", []string{"Kiangsu"}},
	{"CN", "region", "浙江", []string{"Chekiang"}},
	{"CN", "region", "广东", []string{"Kwangtung"}},
	{"CN", "region", "山东", []string{"Shantung"}},
	{"CN", "region", "辽宁", []string{"Liaoning", "Fengtien Province"}},
	{"CN", "region", "黑龙江", []string{"Heilungkiang", "Хэйлунцзян", "Хейлунцзян"}},
	{"CN", "region", "新疆维吾尔自治区", []string{"Sinkiang", "Синьцзян", "Xinjiang Uyghur Autonomous Region", "新疆自治区"}},
	{"CN", "region", "内蒙古自治区", []string{"Inner Mongolia Autonomous Region", "Nei Menggu", "Внутренняя Монголия", "ВМАР"}},
	{"CN", "region", "甘肃", []string{"Kansu"}},
	{"CN", "region", "湖南", []string{"Hunan Province"}},
	{"CN", "city", "芷江侗族自治县", []string{"Zhijiang Dong Autonomous County", "Zhijiang County", "Чжицзян-Дунский автономный уезд", "Чжицзян"}},
	{"CN", "city", "湘西土家族苗族自治州", []string{"Xiangxi Tujia and Miao Autonomous Prefecture", "Сянси-Туцзя-Мяоский автономный округ", "Сянси-Туцзя-Мяоский автономный округ"}},
	{"RU", "city", "Владивосток", []string{"弗拉迪沃斯托克", "符拉迪沃斯托克", "海參崴"}},
	{"RU", "city", "Хабаровск", []string{"哈巴羅夫斯克", "伯力", "Хабаровск"}},
	{"RU", "city", "Благовещенск", []string{"海蘭泡", "布拉戈維申斯克"}},
	{"RU", "city", "Тверь", []string{"Kalinin", "Калинин"}},
	{"RU", "city", "Сестрорецк", []string{"谢斯特罗列茨克", "谢斯特罗列茨克市政区"}},
	{"RU", "city", "Санкт-Петербург", []string{"Ленинград", "Петроград", "Петербург", "СПб", "С.-Петербург", "Санкт-Петербург", "Leningrad", "Petrograd", "St. Petersburg", "St Petersburg", "Saint-Petersburg", "Питер", "列宁格勒", "聖彼得堡"}},
	{"RU", "city", "Петропавловск-Камчатский", []string{"Петропавловск"}},
	{"RU", "city", "Екатеринбург", []string{"Свердловск", "Sverdlovsk"}},
	{"RU", "city", "Нижний Новгород", []string{"Горький", "Gorky"}},
	{"RU", "city", "Самара", []string{"Куйбышев", "Kuybyshev"}},
	{"RU", "city", "Тольятти", []string{"Togliatti", "Tolyatti", "陶里亚蒂"}},
	{"RU", "city", "Калининград", []string{"Königsberg", "Кёнигсберг"}},
	{"RU", "city", "Улан-Удэ", []string{"Верхнеудинск"}},
	{"RU", "city", "Пермь", []string{"Молотов"}},
	{"RU", "region", "Республика Бурятия", []string{"Бурятия", "Buryat Republic"}},
	{"RU", "region", "Республика Саха", []string{"Якутия", "Республика Саха (Якутия)", "萨哈（雅库特）共和国", "Yakutia", "Sakha (Yakutia)"}},
	{"RU", "region", "Республика Башкортостан", []string{"Башкирия", "Bashkiria"}},
	{"RU", "region", "Республика Татарстан", []string{"Татария"}},
	{"RU", "region", "Приморский край", []string{"Приморье", "Primorye", "Primorsky Territory", "Primorsky Krai"}},
	{"RU", "region", "Хабаровский край", []string{"Khabarovsk Territory", "Хабаровский Край"}},
	{"RU", "region", "Забайкальский край", []string{"Забайкалье", "Transbaikalia", "Zabaikalsky Krai"}},
	{"RU", "region", "Амурская область", []string{"Приамурье", "Amur Region"}},
	{"RU", "region", "Московская область", []string{"Подмосковье"}},
	{"RU", "region", "Кемеровская область", []string{"Кузбасс", "Kuzbass"}},
	{"RU", "region", "Республика Крым", []string{"Крым"}},
	{"RU", "region", "Камчатский край", []string{"Камчатка"}},
	{"RU", "region", "Чукотский автономный округ", []string{"Чукотка"}},
	{"RU", "region", "Ямало-Ненецкий автономный округ", []string{"Ямал"}},
	{"RU", "region", "Ханты-Мансийский автономный округ", []string{"Югра", "Ханты-Мансийский автономный округ — Югра"}},
	{"RU", "region", "Республика Северная Осетия", []string{"Северная Осетия — Алания", "Республика Северная Осетия — Алания"}},
	{"RU", "region", "Республика Тува", []string{"Тува"}},
	{"RU", "region", "Республика Хакассия", []string{"Республика Хакасия"}},
	{"RU", "region", "Республика Коми", []string{"Коми"}},
	{"RU", "region", "Еврейская автономная область", []string{"ЕАО", "Jewish Autonomous Region"}},
}

// extraPlaces are places that neither data file has.
var extraPlaces = []struct {
	id, country, kind, ru, zh, en, region string
	names                                 []string
}{
	{"x:qingdao-west-coast", "CN", "city", "Западное побережье (Циндао)", "青岛西海岸新区", "Qingdao West Coast New Area", "Shandong",
		[]string{"西海岸新区", "青岛西海岸", "West Coast New Area", "Qingdao West Coast", "Западное побережье Циндао",
			"новый район Западное побережье", "Новый район Западное побережье Циндао"}},
}

// commonWordsRU are Russian place names (folded: lower case, е for ё) that
// are also common words, given names or surnames. Their mentions are
// Ambiguous: the extractor must see context before taking them as places.
var commonWordsRU = []string{
	"находка", "мирный", "мирное", "орел", "шахты", "бор", "луга", "дно", "остров", "клин", "грязи",
	"зима", "пласт", "гай", "кола", "тара", "мама", "хор", "прогресс", "свободный", "светлый", "ясный",
	"радужный", "полярный", "лесной", "заречный", "советский", "октябрьский", "первомайский", "южный",
	"северный", "восточный", "солнечный", "майский", "прохладный", "изобильный", "донской",
	"пограничный", "грозный", "кедровый", "кировский", "приморский", "железнодорожный", "озерный",
	"надежда", "победа", "искра", "дружба", "мир", "заря", "восток", "энергетик", "строитель",
	"горняк", "юбилейный", "владимир", "артем", "александров", "дмитров", "ковров", "ершов",
	"киров", "пушкин", "королев", "жуковский", "чехов", "лермонтов", "гагарин", "ломоносов",
	"чайковский", "кропоткин", "циолковский", "дзержинский", "пугачев", "арсеньев", "смидович",
	"вяземский", "суворов", "жуков", "ефремов", "маркс", "энгельс", "белинский", "глазов", "балашов",
	"калинин", "шилка", "алдан", "аргун", "камень", "большой камень", "лиски", "фокино", "кузнецк",
	"калач", "павлово", "шахтерск", "зеленый", "белая", "красный", "сокол", "ветер", "бабушкин",
	"советск", "фрязино", "мичуринск", "салават", "ленинск", "ленинский", "березовский", "сосновый бор",
	"ясногорск", "знаменск", "свободы", "анна", "ольга", "вера", "славянка", "синьхуа", "русский", "новый", "родина", "слава", "мечта", "дружный", "озерск", "снежинск", "мирный", "нерюнгри",
}

// commonWordsLatin are English or pinyin forms that are common words or
// given names; mentions are Ambiguous.
var commonWordsLatin = []string{
	"gay", "bor", "ob", "mama", "asha", "ali", "dali", "kola", "nice", "hope", "mirny", "zima",
	"dno", "plast", "ostrov", "klin", "luga", "tara", "orel", "eagle", "mir", "pushkin", "korolev",
	"chekhov", "kirov", "vladimir", "marks", "engels", "sokol", "artem", "hami", "bole", "yi",
	"he", "an", "ning", "heng", "long", "tongue", "she", "yu", "yan", "bei", "shan", "lu", "de",
	"ta", "ai", "mei", "lin", "wen", "ping", "ping an", "sheng", "zhong shan", "zhongshan", "sanhe",
	"china", "xinhua", "anna", "olga", "ussuri", "amur", "yalu", "progress", "pobeda", "nadezhda", "gorki", "grozny", "lesnoy", "sovetsky",
}

// commonWordsHan are Han short names that are ordinary words in Chinese text
// (合作 "cooperation", 友谊 "friendship", 东方 "east"). A bare mention is
// not recognised; the name with its suffix (合作市, 友谊县) still is.
var commonWordsHan = []string{
	"东方", "开放", "和平", "永安", "长安", "合作", "友谊", "富裕", "安宁", "龙井", "中山", "太平",
	"新华", "前进", "红星", "胜利", "团结", "光明", "建设", "民主", "新民", "大同", "安康", "平安",
	"朝阳", "向阳", "东风", "红旗", "阳光", "青年", "先锋", "江南", "江北", "河东", "河西", "城关",
	"城中", "城东", "城西", "城南", "城北", "中心", "市中", "新区", "郊区", "城区", "矿区", "新城",
	"发展", "交通", "人民", "文化", "万年", "吉利", "长寿", "富民", "兴业", "宁安", "安全", "丰收",
	"铁力", "金山", "长城", "海城", "新市", "公安", "通道", "大方", "方正", "安定", "同心", "清水",
	"白山", "黑山", "青山", "东山", "西山", "南山", "北山", "江山", "高平", "平原", "延长", "凤凰",
	"华容", "宁乡", "永和", "和政", "正定", "平和", "大通", "长乐", "大安", "安福", "福安", "永康",
	"乐业", "自由", "启动", "联合", "桥头", "余家", "友好", "东城", "西城", "南城", "北城", "新村", "开发", "经济", "国际", "世界", "工业", "农业", "商业", "金融", "科学", "大学", "中央", "地区", "新兴", "振兴", "和谐", "繁荣", "兴隆", "永利", "光荣", "北方", "南方", "西方", "中国", "中华", "全国", "国家", "地方", "上海合作",
}

// genericDivisions are county-level division names that are generic words.
var genericDivisions = []string{
	"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "城区", "郊区", "矿区", "市中区",
	"城关区", "城中区", "城东区", "城西区", "城南区", "城北区", "新区", "开发区", "高新区", "经济开发区",
}

// foreignHan are Japanese, Korean, Mongolian and Taiwanese places written in
// Han characters. A gazetteer name equal to one of them is Ambiguous (if it
// is the place's own name) or dropped (if it is only an alternate name).
var foreignHan = []string{
	"东京", "大阪", "京都", "横滨", "名古屋", "神户", "札幌", "福冈", "仙台", "广岛", "长崎", "函馆",
	"新潟", "静冈", "冈山", "熊本", "鹿儿岛", "金泽", "富山", "秋田", "青森", "松山", "高松", "德岛",
	"高知", "大分", "宫崎", "那霸", "北九州", "千叶", "埼玉", "川崎", "姬路", "奈良", "和歌山", "岐阜",
	"福井", "福山", "丰田", "滨松", "长野", "松本", "山形", "盛冈", "水户", "宇都宫", "前桥", "甲府",
	"鸟取", "松江", "山口", "下关", "佐贺", "稚内", "旭川", "钏路", "小樽", "舞鹤", "敦贺", "境港",
	"鹤冈", "酒田", "米子", "大津", "宫古", "八户", "首尔", "汉城", "釜山", "仁川", "大邱", "大田",
	"蔚山", "水原", "昌原", "春川", "江陵", "木浦", "丽水", "全州", "清州", "浦项", "庆州", "济州",
	"安山", "束草", "乌兰巴托", "乔巴山", "额尔登特", "达尔汗", "扎门乌德", "苏赫巴托尔", "台北",
	"台中", "台南", "高雄", "基隆", "新竹", "嘉义", "桃园", "花莲", "台东", "屏东", "宜兰", "彰化",
	"南投", "苗栗", "云林", "澎湖", "香港", "澳门", "平壤", "新义州", "罗先", "清津", "咸兴",
	"阿拉木图", "塔什干", "比什凯克", "明斯克", "基辅",
}

// foreignNames are non-Han names of places outside Russia and China that a
// Russian or Chinese place shares; mentions are Ambiguous.
var foreignNames = []string{
	"moscow", "saint petersburg", "st. petersburg", "petersburg", "odessa", "одесса", "brest", "брест",
	"витебск", "гомель", "могилев", "гродно", "киев", "харьков", "светлогорск", "svetlogorsk",
	"славянск", "дзержинск", "кировск", "красноармейск", "первомайск", "петропавловск", "аксай",
	"paris", "париж", "berlin", "берлин", "london", "лондон", "rome", "рим", "vienna", "вена",
	"sofia", "софия", "athens", "troy", "троя", "hamburg", "гамбург", "ulan bator", "улан-батор",
	"darkhan", "дархан", "erdenet", "эрдэнэт", "choibalsan", "чойбалсан", "anyang", "анян",
	"kobe", "кобе", "osaka", "осака", "niigata", "ниигата", "sapporo", "саппоро", "hakodate", "хакодате",
	"busan", "пусан", "incheon", "инчхон", "улан-батор", "ulaanbaatar", "ulan bator", "улан-батора", "улан-баторе", "altay", "алтай", "altai",
}

// tradSimp are traditional→simplified characters for place names that the
// data's own traditional alternates may not teach.
const tradSimp = "羅罗亞亚爾尔蘭兰濱滨東东島岛陽阳龍龙門门區区縣县維维華华夫夫爾尔斯斯" +
	"諾诺闊阔薩萨遼辽寧宁黑黑瀋沈長长慶庆貝贝倫伦廣广紹绍寶宝雲云漢汉灣湾臺台" +
	"湯汤撫抚順顺盧卢瑪玛齊齐鄂鄂葉叶鐵铁嶺岭綏绥蘇苏徹彻鮮鲜烏乌魯鲁張张" +
	"蒙蒙內内勝胜園园豐丰鄉乡鎮镇莊庄參参崴崴海海納纳達达裡里裏里萊莱陝陕" +
	"興兴開开爾尔頓顿邊边疆疆瑞瑞濟济賓宾槍枪觀观寶宝鞏巩義义彌弥圖图們们" +
	"瓊琼連连錦锦營营盤盘遠远峽峡陰阴寧宁衛卫駐驻馬马鄭郑貴贵陽阳襄襄樂乐" +
	"餘余溫温靈灵聖圣彼彼堡堡薩萨倫伦雅雅庫库茨茨剋克爾尔罕罕捷捷琳琳堡堡" +
	"喀喀什什讓让謝谢諾诺夫夫維维奇奇麥麦羅罗沃沃赫赫塔塔維维爾尔藝艺術术" +
	"邁迈貿贸會会議议協协劃划圍围歐欧俄俄國国聯联盟盟紀纪念念戰战鬥斗"

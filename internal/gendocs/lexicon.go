package main

import "strings"

// county is a county-level division with its GB/T 2260 code (the 3rd–8th characters of a credit
// code).
type county struct{ name, code string }

// prefecture is one of Tibet's seven prefecture-level divisions: its name, the folder slug of the
// corpus (appNN_<slug>), its counties, and the 自治区级 parks whose 管委会 may recommend instead of
// the 经信局 (第十五条).
type prefecture struct {
	name, short, slug string
	counties          []county
	parks             []string
}

var prefectures = []prefecture{
	{"拉萨市", "拉萨", "lhasa", []county{{"城关区", "540102"}, {"堆龙德庆区", "540103"}, {"达孜区", "540104"},
		{"林周县", "540121"}, {"当雄县", "540122"}, {"尼木县", "540123"}, {"曲水县", "540124"}, {"墨竹工卡县", "540127"}},
		[]string{"拉萨经济技术开发区管理委员会", "曲水雅江工业园区管理委员会", "拉萨高新技术产业开发区管理委员会"}},
	{"日喀则市", "日喀则", "shigatse", []county{{"桑珠孜区", "540202"}, {"南木林县", "540221"}, {"江孜县", "540222"},
		{"定日县", "540223"}, {"萨迦县", "540224"}, {"拉孜县", "540225"}, {"亚东县", "540233"}, {"吉隆县", "540234"}},
		[]string{"日喀则经济开发区管理委员会"}},
	{"昌都市", "昌都", "chamdo", []county{{"卡若区", "540302"}, {"江达县", "540321"}, {"贡觉县", "540322"},
		{"类乌齐县", "540323"}, {"丁青县", "540324"}, {"察雅县", "540325"}, {"八宿县", "540326"}},
		[]string{"昌都经济开发区管理委员会"}},
	{"林芝市", "林芝", "nyingchi", []county{{"巴宜区", "540402"}, {"工布江达县", "540421"}, {"墨脱县", "540423"},
		{"波密县", "540424"}, {"察隅县", "540425"}, {"朗县", "540426"}},
		[]string{"林芝高新技术产业园区管理委员会"}},
	{"山南市", "山南", "shannan", []county{{"乃东区", "540502"}, {"扎囊县", "540521"}, {"贡嘎县", "540522"},
		{"桑日县", "540523"}, {"琼结县", "540524"}, {"曲松县", "540525"}, {"错那市", "540530"}},
		[]string{"山南经济开发区管理委员会"}},
	{"那曲市", "那曲", "nagqu", []county{{"色尼区", "540602"}, {"嘉黎县", "540621"}, {"比如县", "540622"},
		{"聂荣县", "540623"}, {"安多县", "540624"}, {"申扎县", "540625"}, {"班戈县", "540627"}},
		[]string{"那曲高新技术产业园区管理委员会"}},
	{"阿里地区", "阿里", "ngari", []county{{"普兰县", "542521"}, {"札达县", "542522"}, {"噶尔县", "542523"},
		{"日土县", "542524"}, {"革吉县", "542525"}, {"改则县", "542526"}},
		[]string{"阿里地区狮泉河工业园区管理委员会"}},
}

// The 经济和信息化局 of a prefecture.
func (p prefecture) bureau() string { return p.name + "经济和信息化局" }

// People. Tibetan names are built of two-character parts: one part (达娃), two (扎西顿珠), three
// (格桑次仁多吉) or four (土登格桑次仁多吉); Han names have one- or two-character surnames.
var (
	tibetanParts = []string{"扎西", "次仁", "顿珠", "卓玛", "格桑", "多吉", "旺堆", "平措", "达瓦", "尼玛", "拉巴",
		"普布", "边巴", "索朗", "旺姆", "央金", "德吉", "白玛", "洛桑", "丹增", "曲珍", "次旦", "旦增", "阿旺",
		"罗布", "强巴", "群培", "益西", "赤列", "土登", "仁增", "贡觉", "拉姆", "措姆", "巴桑", "朗杰", "米玛",
		"嘎玛", "欧珠", "加措", "琼达", "桑珠", "拉珍", "卓嘎", "玉珍", "曲吉", "次珍", "达娃", "顿旦"}
	hanSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
		"林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁", "邓",
		"许", "沈", "曾", "彭", "吕", "苏", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶"}
	hanCompound = []string{"欧阳", "司马", "上官", "诸葛", "皇甫", "令狐"}
	hanGiven    = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
		"明", "超", "秀", "霞", "平", "刚", "英", "华", "玉", "萍", "红", "建", "文", "辉", "宁", "海", "鹏", "雪",
		"晓", "燕", "立", "新", "志", "国", "春", "梅", "亮", "斌", "波", "云", "飞", "宇", "浩", "婷", "嘉", "欣"}
)

// person returns a name of 2 to 8 characters.
func (g *rng) person() string {
	if g.chance(0.6) {
		n := 1 + pickW(g, 15, 50, 22, 13)
		parts := sample(g, tibetanParts, n)
		return strings.Join(parts, "")
	}
	switch pickW(g, 30, 60, 10) {
	case 0:
		return pick(g, hanSurnames) + pick(g, hanGiven)
	case 1:
		return pick(g, hanSurnames) + pick(g, hanGiven) + pick(g, hanGiven)
	}
	return pick(g, hanCompound) + pick(g, hanGiven) + pick(g, hanGiven)
}

// longTibetan returns a Tibetan name of 6 or 8 characters.
func (g *rng) longTibetan() string {
	return strings.Join(sample(g, tibetanParts, 3+g.intn(2)), "")
}

// Words of organisation names.
var (
	brands = []string{"雪域", "珠峰", "圣地", "高原", "净土", "格桑", "吉祥", "雅江", "岗坚", "象雄", "念青", "羌塘",
		"唐古拉", "工布", "藏源", "天湖", "雪莲", "布达拉", "冈底斯", "喜马拉雅", "雄巴", "德庆"}
	// Tibetan place names that appear in the middle of names (a street, a lake, a town).
	tibetanPlaces = []string{"八廓街", "羊八井", "纳木错", "羊卓雍措", "巴松措", "色季拉", "米拉山", "雅砻", "江孜",
		"亚东", "吉隆", "樟木", "当雄", "嘉黎", "冈仁波齐", "扎什伦布", "哲蚌", "罗布林卡", "药王山", "拉鲁"}
	streets = []string{"中山南路", "北京中路", "北京东路", "江苏路", "林廓北路", "金珠西路", "德吉路", "扎基路",
		"色拉路", "朵森格路", "宇拓路", "藏热路", "江苏大道", "上海中路", "福建路", "广东路", "吉林路", "阳光大道"}
	// Cities outside Tibet, for names such as 北京那曲路科技有限公司.
	outerCities  = []string{"北京", "成都", "上海", "重庆", "西宁", "广州", "天津", "南京"}
	tibetanRoads = []string{"那曲路", "拉萨路", "日喀则路", "林芝路", "山南路", "昌都路", "阿里路", "西藏路"}
	businesses   = []string{"商贸", "科技", "信息技术", "企业管理咨询", "电子商务", "人力资源服务", "财税服务",
		"文化传播", "检验检测技术", "创业服务", "产业发展服务", "知识产权服务", "会计服务", "数字科技", "供应链管理"}
	companySuffix = []string{"有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司"}
	lessorBiz     = []string{"商贸", "物业管理", "置业", "房地产开发", "资产经营管理", "实业", "投资"}
	partnerBiz    = []string{"律师事务所", "会计师事务所", "检验检测有限公司", "知识产权代理有限公司", "融资担保有限公司",
		"科技服务有限公司", "人力资源有限公司", "税务师事务所有限公司"}
	banks = []string{"中国建设银行西藏分行", "中国农业银行西藏分行", "中国银行西藏分行", "西藏银行", "中国工商银行西藏分行",
		"中国邮政储蓄银行西藏分行", "拉萨农村商业银行"}
	auditFirms = []string{"西藏高原正信会计师事务所（特殊普通合伙）", "西藏雪域会计师事务所有限公司", "中审众环会计师事务所（特殊普通合伙）西藏分所",
		"西藏德信会计师事务所有限责任公司", "信永中和会计师事务所（特殊普通合伙）拉萨分所", "西藏鑫瑞联合会计师事务所（普通合伙）",
		"大华会计师事务所（特殊普通合伙）西藏分所"}
)

// orgType is the legal form of the applicant; it decides the registration document (营业执照 or a
// 法人证书), the credit code's first two characters and some wordings.
type orgType int

const (
	company      orgType = iota // 企业, 营业执照, 91
	institution                 // 事业单位, 事业单位法人证书, 12
	association                 // 社会团体, 社会团体法人登记证书, 51
	privateNonEn                // 民办非企业单位, 民办非企业单位登记证书, 52
)

func (t orgType) nature() string {
	return [...]string{"企业", "事业单位", "社会团体", "民办非企业单位"}[t]
}

func (t orgType) codePrefix() string { return [...]string{"91", "12", "51", "52"}[t] }

// applicantName invents an applicant's name for its type and prefecture. Several patterns put a
// Tibetan place name or a street in the middle of the name, where a reader that cuts names at
// place names would break them.
func (g *rng) applicantName(t orgType, p prefecture, c county) string {
	biz := pick(g, businesses)
	suf := pick(g, companySuffix)
	switch t {
	case institution:
		switch g.intn(4) {
		case 0:
			return p.name + strings.TrimSuffix(strings.TrimSuffix(c.name, "区"), "县") + "中小企业服务中心"
		case 1:
			return p.name + "中小企业公共服务中心"
		case 2:
			return p.name + pick(g, tibetanPlaces) + "创业孵化基地管理中心"
		}
		return p.name + c.name + "就业创业服务中心"
	case association:
		switch g.intn(3) {
		case 0:
			return p.name + "中小企业协会"
		case 1:
			return "西藏" + pick(g, tibetanPlaces) + "商会"
		}
		return p.short + pick(g, []string{"电子商务", "软件和信息服务业", "民族手工业", "青年企业家"}) + "协会"
	case privateNonEn:
		switch g.intn(3) {
		case 0:
			return p.short + pick(g, brands) + "企业发展研究院"
		case 1:
			return "西藏" + pick(g, tibetanPlaces) + "创业服务中心"
		}
		return p.name + pick(g, tibetanPlaces) + "职业技能培训学校"
	}
	switch pickW(g, 20, 20, 15, 25, 20) {
	case 0:
		return "西藏" + pick(g, brands) + biz + suf
	case 1:
		return p.short + pick(g, streets) + biz + suf // 拉萨中山南路商贸有限公司
	case 2:
		return pick(g, outerCities) + pick(g, tibetanRoads) + biz + suf // 北京那曲路科技有限公司
	case 3:
		return p.short + pick(g, tibetanPlaces) + biz + suf // 拉萨纳木错文化传播有限公司
	}
	return "西藏" + pick(g, tibetanPlaces) + pick(g, brands) + biz + suf
}

// otherOrg invents a third party's name (a lessor, a partner, a neighbour in a list).
func (g *rng) otherOrg(p prefecture) string {
	switch g.intn(6) {
	case 0:
		return p.name + pick(g, brands) + pick(g, lessorBiz) + "有限公司"
	case 1:
		return pick(g, []string{"中国移动通信集团西藏有限公司", "中国电信股份有限公司西藏分公司", "西藏高争建材股份有限公司",
			"四川省成都市人民政府", "青海省西宁市人民政府"}) + "驻" + p.short + "办事处"
	case 2:
		return pick(g, outerCities) + pick(g, tibetanRoads) + pick(g, businesses) + "有限公司"
	case 3:
		return p.short + pick(g, streets) + pick(g, lessorBiz) + "有限公司"
	case 4:
		return p.name + "国有资产经营管理有限公司"
	}
	return "西藏" + pick(g, tibetanPlaces) + pick(g, lessorBiz) + "有限责任公司"
}

// neighbour invents another applicant-like name of the prefecture, for recognition lists.
func (g *rng) neighbour(p prefecture) string {
	t := company
	if g.chance(0.2) {
		t = orgType(1 + g.intn(3))
	}
	return g.applicantName(t, p, pick(g, p.counties))
}

// Label lexicon: the wordings a field's label takes on different forms. The first is the most
// common; generators pick among them.
var labels = map[string][]string{
	"org_name":      {"名称", "企业名称", "单位名称", "机构名称", "申报单位", "运营单位", "申报单位名称"},
	"credit_code":   {"统一社会信用代码", "社会信用代码", "统一社会信用代码（注册号）", "信用代码"},
	"legal_rep":     {"法定代表人", "法人代表", "负责人", "法定代表人（负责人）", "单位负责人"},
	"established":   {"成立日期", "成立时间", "注册日期", "设立日期", "注册时间"},
	"total_assets":  {"资产总额", "总资产", "资产总计", "上年末资产总额"},
	"staff_total":   {"从业人员", "服务人员", "员工总数", "从事为中小企业服务的人员", "服务团队人数"},
	"staff_qual":    {"大专及以上学历和中级及以上技术职称专业人员", "其中：大专以上学历或中级以上职称人员", "专业技术人员（大专及以上/中级及以上职称）", "具有大专及以上学历、中级及以上职称人员"},
	"smes_last":     {"服务中小企业数量", "年服务中小企业", "服务企业数", "服务中小企业"},
	"satisfaction":  {"用户满意度", "服务满意度", "客户满意度", "企业满意度"},
	"partners":      {"集聚服务机构", "合作服务机构", "聚集服务机构数", "集聚各类服务机构"},
	"public_share":  {"公益性服务或低收费服务占比", "公益性（低收费）服务比例", "低收费及公益服务占服务总量比例", "公益性服务占比"},
	"trainees":      {"培训人次", "年培训人次", "累计培训", "培训服务人次"},
	"events":        {"服务活动次数", "开展服务活动", "组织服务活动", "服务活动场次"},
	"address":       {"住所", "地址", "注册地址", "经营场所", "办公地址"},
	"capital":       {"注册资本", "注册资金"},
	"contact":       {"联系人", "联 系 人", "经办人"},
	"phone":         {"联系电话", "电话", "手机"},
	"nature":        {"单位性质", "机构性质", "单位类型"},
	"recommender":   {"推荐单位", "推荐部门", "推荐机关"},
	"platform_name": {"平台名称", "示范平台名称", "服务平台名称"},
}

func (g *rng) label(key string) string { return pick(g, labels[key]) }

// Function names of 第十三条, in order, with their FIELDS.md value.
var functionNames = []struct{ key, zh string }{
	{"information", "信息服务"}, {"technology", "技术服务"}, {"startup", "创业服务"},
	{"training", "培训服务"}, {"financing", "融资服务"},
}

func functionZh(key string) string {
	for _, f := range functionNames {
		if f.key == key {
			return f.zh
		}
	}
	return key
}

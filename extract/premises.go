package extract

import (
	"regexp"
	"sort"
	"strings"

	"shenbao/extract/normalize"
)

// ---- leases and property certificates ----

var (
	situatedRE = regexp.MustCompile(`(?:坐落于|坐落在|位于)([^，。；,;:：\n]{4,80}?)(?:的房屋|的房产|的商铺|的写字楼|的办公|的厂房|的房|房屋|\(以下|，|。)`)
	areaRE     = regexp.MustCompile(`(宗地|土地|占地|分摊|套内|建筑|使用|租赁|出租|房屋)?面积(?:为|是|共|约|合计|共计)?[:：]?[ ]*(\d[\d,]*(?:\.\d+)?)[ ]*(?:平方米|平米|平方|㎡|m2|m²|M2)`)
)

// findArea returns the building area in text: 建筑面积 before 使用/租赁面积 before a bare 面积;
// land areas (宗地, 土地, 占地, 分摊) are not premises.
func (d *document) findArea() (string, evidence, bool) {
	f := d.flow()
	best, bestScore := -1, 0
	ms := areaRE.FindAllStringSubmatchIndex(f.text, -1)
	for i, m := range ms {
		score := 1
		if m[2] >= 0 {
			switch f.text[m[2]:m[3]] {
			case "建筑":
				score = 3
			case "宗地", "土地", "占地", "分摊":
				score = 0
			default:
				score = 2
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return "", evidence{}, false
	}
	m := ms[best]
	v, ok := normalize.Area(f.text[m[4]:m[5]])
	if !ok {
		return "", evidence{}, false
	}
	return normalize.FormatNumber(v), f.evidence(d, m[4], m[1]), true
}

func readLease(d *document, fs *fieldSet, _ Options) {
	// The parties as introduced at the head of the contract, else as they sign at its foot.
	lessor := label{alts: []string{"出租方", "出租人", "甲方"}, skip: []string{"盖章", "签字", "签章"}, atStart: true}
	lessee := label{alts: []string{"承租方", "承租人", "乙方"}, skip: []string{"盖章", "签字", "签章"}, atStart: true}
	for pass := 0; pass < 2; pass++ {
		if v, ev, ok := d.lookupOrg(lessor, pParty); ok {
			fs.set("lessor", v, ev)
		}
		if v, ev, ok := d.lookupOrg(lessee, pParty); ok {
			fs.set("lessee", v, ev)
			fs.set("org_name", v, ev)
		}
		lessor.skip, lessee.skip = nil, nil
	}
	if v, ev, ok := d.flowFind(situatedRE, 1); ok && hanShare(v) > 0.5 {
		fs.set("premises_address", normalize.Name(v), ev)
	} else if v, ev, ok := d.lookupAddress(lbl("房屋坐落", "坐落地址", "房屋地址", "租赁地址", "坐落", "地址")); ok {
		fs.set("premises_address", v, ev)
	}
	if v, ev, ok := d.findArea(); ok {
		fs.set("premises_area_m2", v, ev)
	} else if v, ev, ok := d.lookup(lbArea, pArea); ok {
		fs.set("premises_area_m2", v, ev) // 面积(㎡) over or beside a bare number
	} else if v, ev, ok := d.headerValue("面积", pArea); ok {
		fs.set("premises_area_m2", v, ev)
	}
	// The term: the first two dates after 租赁期限 (read approximately), joined by 至.
	f := d.flow()
	rs, bo := f.runes()
	var starts []int
	for _, kw := range []string{"租赁期限", "租赁期间", "租期", "期限"} {
		p := []rune(kw)
		for _, h := range approxFind(rs, p, maxErrors(len(p))) {
			starts = append(starts, h.end)
		}
	}
	sort.Ints(starts)
	for _, st := range starts {
		from := bo[st]
		end := min(len(f.text), from+240)
		seg := f.text[from:end]
		var ds []normalize.DateMatch
		for _, m := range normalize.FindDates(seg) {
			if m.Value != normalize.LongTerm {
				ds = append(ds, m)
			}
		}
		if len(ds) < 2 || !strings.ContainsAny(seg[ds[0].End:ds[1].Start], "至到-~—～") {
			continue
		}
		fs.set("lease_start", ds[0].Value, f.evidence(d, from+ds[0].Start, from+ds[0].End))
		fs.set("lease_end", ds[1].Value, f.evidence(d, from+ds[1].Start, from+ds[1].End))
		break
	}
}

func readProperty(d *document, fs *fieldSet, _ Options) {
	if v, ev, ok := d.lookupOrg(lbl("权利人", "房屋所有权人", "所有权人", "产权人", "土地使用权人"), pParty); ok {
		fs.set("org_name", v, ev)
		fs.set("lessee", v, ev)
	}
	if v, ev, ok := d.lookupAddress(lbl("坐落", "房屋坐落", "坐落地址", "房地坐落")); ok {
		fs.set("premises_address", v, ev)
	}
	if v, ev, ok := d.findArea(); ok {
		fs.set("premises_area_m2", v, ev)
	} else if v, ev, ok := d.lookup(lbArea, pArea); ok {
		fs.set("premises_area_m2", v, ev)
	} else if v, ev, ok := d.headerValue("建筑面积", pArea); ok {
		fs.set("premises_area_m2", v, ev) // 房屋所有权证: a table, 建筑面积(㎡) over its value
	}
}

func pArea(l *line, from int, _ string) (string, evidence, bool) {
	c, s, e := cell(l, from)
	if v, ok := normalize.Area(c); ok && v > 0 {
		return normalize.FormatNumber(v), l.span(s, e), true
	}
	return "", evidence{}, false
}

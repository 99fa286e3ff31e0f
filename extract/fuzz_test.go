package extract

import (
	"testing"

	"shenbao/doc"
)

// FuzzExtract feeds arbitrary text (lines, cells) to Extract: it must never panic, and what it
// returns must keep the doc.Field contract.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"营业执照\n名称 西藏某某科技有限公司\n注册资本 500万元\n营业期限 2017年02月22日至\n长期",
		"资产负债表\n项 目 年初数 期末数\n资产总计 1 120.00 150.25\n负债合计 — —",
		"出租方（甲方：\n承租方(\n租赁期限自2021年12月04日起至",
		"平台服务功能 □信息服务 √",
		"统一社会信用代码 9154O102MA6TKJPG5T",
		"（（（（：：：",
		"关于认定“”的通知\n文件",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := textPage(1, s)
		p2 := textPage(2, s)
		p2.Seals = []doc.Box{{X0: 1, Y0: 1, X1: 5, Y1: 5}}
		r := ExtractWith([]doc.Page{p, p2}, Options{Applicant: []string{s}})
		for _, fl := range r.Fields {
			if e := checkField(fl, 2); e != "" {
				t.Errorf("%q: %s", s, e)
			}
		}
		Classify([]doc.Page{p})
	})
}

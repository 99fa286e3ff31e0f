package checklist

import "testing"

func TestNearMiss(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"昌都雅著人力资源服务有限公司", "昌都雅砻人力资源服务有限公司", true}, // one misread glyph
		{"那曲芜塘创业服务有限公司", "那曲羌塘创业服务有限公司", true},
		{"西藏珠峰财税服务有限公司", "西藏珠峰财税服务有限责任公司", false}, // words left out: a real difference
		{"西藏甲公司", "西藏乙公司", true},
		{"昌都雅人力资源服务有限公司", "昌都雅砻人力资源服务有限公司", true}, // a glyph dropped
		{"昌都雅袭人力资源服务有限公司", "昌都雅人力资源服务有限公司", true}, // misread against dropped
		{"昌都雅袭人力资源服务有限公司", "昌都人力资源服务有限公司", false}, // two dropped
		{"拉萨某中心", "拉萨市某中心", false},                // short names: a word is a word
		{"西藏甲乙丙信息技术公司", "西藏甲乙丙信息技术有限公司", false},   // two added
		{"西藏甲乙公司", "西藏丙丁公司", false},               // two of six differ
		{"同一名称", "同一名称", false},
		{"", "", false},
	} {
		if got := nearMiss(normName(tc.a), normName(tc.b)); got != tc.want {
			t.Errorf("nearMiss(%s, %s) = %v; want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

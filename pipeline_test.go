package main

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"shenbao/extract"
	"shenbao/ocr"
)

// Our own documents, in layouts the dev corpus does not have (testdata/documents), read end to end by
// the default reader and extraction: a 事业单位法人证书 set in a serif font with its labels in another
// order, a lease that says 出租人/承租人 and dates 2023.03.01, and phone photos of both.
func TestOwnDocuments(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pool := ocr.NewPool(ocr.PoolConfig{Command: []string{exe, workerCommand}, Workers: 2, PageTimeout: 2 * time.Minute})
	defer pool.Close()
	certificate := map[string]string{
		"credit_code": "12540100MB1234567W", "org_name": "拉萨市高原科技创新服务中心", "legal_representative": "德吉卓玛",
		"registered_capital_yuan": "2300000", "operating_term_end": "2029-08-31",
		"premises_address": "西藏自治区拉萨市堆龙德庆区羊达街道创新路8号",
	}
	lease := map[string]string{
		"lessor": "西藏雅江实业有限公司", "lessee": "山南市泽当创业孵化服务有限公司", "premises_area_m2": "268.5",
		"lease_start": "2023-03-01", "lease_end": "2026-02-28",
	}
	for _, tc := range []struct {
		file, kind string
		want       map[string]string
	}{
		{"certificate.png", "legal_person_certificate", certificate},
		{"IMG_certificate_photo.jpg", "legal_person_certificate", certificate},
		{"lease.png", "premises_lease", lease},
		{"IMG_lease_photo.jpg", "premises_lease", lease},
	} {
		t.Run(tc.file, func(t *testing.T) {
			r := readFile(context.Background(), pool, "testdata/documents/"+tc.file, extract.Options{})
			if r.err != nil {
				t.Fatal(r.err)
			}
			if r.res.Kind != tc.kind {
				t.Errorf("kind %s; want %s", r.res.Kind, tc.kind)
			}
			got := map[string]string{}
			for _, f := range r.res.Fields {
				got[f.Name] = fmt.Sprint(f.Value)
			}
			for name, want := range tc.want {
				if got[name] != want {
					t.Errorf("%s = %q; want %q", name, got[name], want)
				}
			}
		})
	}
}

package main

import (
	"fmt"
	"os/exec"
	"strings"
)

// fontInfo is a CJK font the pages may be set in. dev marks the families the dev corpus already
// uses; the others are drawn more often.
type fontInfo struct {
	id, family string
	dev        bool
	serif      bool
}

var fontTable = []fontInfo{
	{"ukai", "AR PL UKai CN", false, true},
	{"uming", "AR PL UMing CN", false, true},
	{"zenhei", "WenQuanYi Zen Hei", false, false},
	{"microhei", "WenQuanYi Micro Hei", false, false},
	{"zenhei-sharp", "WenQuanYi Zen Hei Sharp", false, false},
	{"droid", "Droid Sans Fallback", false, false},
	{"noto-serif", "Noto Serif CJK SC", true, true},
	{"noto-sans", "Noto Sans CJK SC", true, false},
}

// installedFonts filters the table to the families fontconfig knows (all of them when fc-list is
// missing, for then nothing can be told).
func installedFonts() []fontInfo {
	out, err := exec.Command("fc-list", ":lang=zh", "family").Output()
	if err != nil {
		return fontTable
	}
	have := string(out)
	var fs []fontInfo
	for _, f := range fontTable {
		if strings.Contains(have, f.family) {
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 {
		return fontTable
	}
	return fs
}

// look is how a document is printed and captured.
type look struct {
	font, head fontInfo
	size       float64 // base font size, CSS px
	lineHeight float64
	padX, padY int
	letter     float64 // letter spacing of the body, em
	scale      float64 // device pixels per CSS px (2 ≈ 192 dpi on A4)
	mode       string  // scan, phone, clean, screen
	grey       bool
	quality    int    // JPEG quality
	turn       int    // degrees clockwise the finished image is turned (0, 90, 180, 270)
	format     string // jpg, png, pdf, tif
}

// drawLook chooses fonts, sizes and capture for a document. format "" lets the kind's usual formats
// decide (formats, weighted).
func (g *rng) drawLook(fonts []fontInfo, formats []string, weights []float64) look {
	var w []float64
	for _, f := range fonts {
		if f.dev {
			w = append(w, 0.5)
		} else {
			w = append(w, 1)
		}
	}
	l := look{font: fonts[pickW(g, w...)]}
	l.head = l.font
	if g.chance(0.45) {
		l.head = fonts[pickW(g, w...)]
	}
	l.size = g.betweenF(14.5, 18.5)
	l.lineHeight = g.betweenF(1.45, 1.9)
	l.padX = g.between(60, 95)
	l.padY = g.between(55, 90)
	if g.chance(0.3) {
		l.letter = g.betweenF(0.02, 0.08)
	}
	l.format = formats[pickW(g, weights...)]
	l.mode = []string{"scan", "phone", "clean"}[pickW(g, 55, 30, 15)]
	if l.format == "pdf" && l.mode == "phone" && g.chance(0.5) {
		l.mode = "scan"
	}
	l.scale = g.betweenF(1.7, 2.4)
	if l.mode == "phone" {
		l.scale = g.betweenF(1.5, 1.9)
	}
	l.grey = l.mode == "scan" && g.chance(0.22)
	if l.format == "tif" {
		l.grey = true
		l.mode = "scan"
	}
	l.quality = g.between(40, 85)
	if l.format != "pdf" && g.chance(0.045) {
		l.turn = pick(g, []int{90, 180, 270})
	}
	return l
}

func (l look) describe() string {
	s := fmt.Sprintf("%s/%s %.1fpx ×%.2f %s", l.font.id, l.head.id, l.size, l.scale, l.mode)
	if l.grey {
		s += " grey"
	}
	if l.turn != 0 {
		s += fmt.Sprintf(" turned %d°", l.turn)
	}
	return s
}

// pageCSS is the style sheet of every A4 page.
const pageCSS = `
html,body{margin:0;padding:0;background:#fff}
#pg{position:relative;width:794px;height:1123px;box-sizing:border-box;overflow:hidden;color:#161616}
#ct{position:relative}
.h1{font-size:1.75em;text-align:center;font-weight:bold;margin:.35em 0 .55em;letter-spacing:.08em}
.h2{font-size:1.15em;font-weight:bold;margin:.55em 0 .3em}
.h3{font-weight:bold;margin:.4em 0 .2em}
.center{text-align:center}.right{text-align:right}.small{font-size:.82em}
.big{font-size:2.3em;text-align:center;font-weight:bold;letter-spacing:.25em;margin:.3em 0}
p{margin:.25em 0;text-indent:2em;text-align:justify}
.kv{margin:.22em 0}
table{border-collapse:collapse;width:100%;margin:.35em 0}
table.grid td,table.grid th{border:1px solid #222;padding:.25em .4em;vertical-align:middle}
table.grid th{font-weight:normal;text-align:center}
table.plain td,table.plain th{padding:.2em .3em;border:none;text-align:left;font-weight:normal}
td.lab{white-space:nowrap;vertical-align:top;width:1%;padding-right:1em}
table.fin td,table.fin th{border:1px solid #333;padding:.12em .3em;font-size:.86em}
table.fin td.n{text-align:right;font-family:inherit}
table.lb th{font-size:.78em;color:#333}
.vert{writing-mode:vertical-rl;text-orientation:upright;letter-spacing:.18em;width:1.6em}
.sa{position:relative;display:inline-block;width:0;height:0;vertical-align:baseline}
.seal{position:absolute;mix-blend-mode:multiply;opacity:.88;pointer-events:none}
.sig{font-family:'AR PL UKai CN',cursive;font-size:1.45em;color:#1b2340;display:inline-block;transform:rotate(-4deg);margin:0 .3em}
.red{color:#c8161d}
.redhead{color:#c8161d;font-size:2.1em;text-align:center;font-weight:bold;letter-spacing:.12em;margin:.6em 0 .2em}
.redline{border-top:2.5px solid #c8161d;margin:.3em 0 .8em}
.box{border:3px double #8a6d2b;padding:1.2em}
.photo{background:linear-gradient(135deg,#777,#bbb 40%,#999 70%,#666);height:170px;margin:.5em 0 .2em}
.foot{position:absolute;bottom:0;left:0;right:0}
`

// fitScript shrinks the page's font until its content fits the page, and tells whether it does.
const fitScript = `(function(){
 const pg=document.getElementById('pg'), ct=document.getElementById('ct');
 if(!ct) return true;
 const limit=()=>pg.getBoundingClientRect().bottom-parseFloat(getComputedStyle(pg).paddingBottom);
 const bottom=()=>{let b=0;for(const el of ct.children){if(el.classList.contains('foot'))continue;b=Math.max(b,el.getBoundingClientRect().bottom)}return b};
 let fs=parseFloat(getComputedStyle(pg).fontSize);
 while(bottom()>limit()+0.5 && fs>8.5){fs-=0.5;pg.style.fontSize=fs+'px'}
 return bottom()<=limit()+0.5;
})()`

// pageHTML writes one page as a standalone HTML document.
func pageHTML(p *page, l look) string {
	var sb strings.Builder
	sb.WriteString(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>`)
	sb.WriteString(pageCSS)
	w, h := 794, 1123
	if p.width > 0 {
		w, h = p.width, p.height
	}
	fmt.Fprintf(&sb, `#pg{width:%dpx;height:%dpx;padding:%dpx %dpx;font-family:'%s',sans-serif;font-size:%.1fpx;line-height:%.2f;letter-spacing:%.2fem}`,
		w, h, l.padY, l.padX, l.font.family, l.size, l.lineHeight, l.letter)
	fmt.Fprintf(&sb, `.h1,.h2,.redhead,.big{font-family:'%s',sans-serif}`, l.head.family)
	if p.screen {
		fmt.Fprintf(&sb, `#pg{padding:0;font-family:'%s',sans-serif;letter-spacing:0}`, l.font.family)
	}
	sb.WriteString(p.css)
	sb.WriteString(`</style></head><body><div id="pg"`)
	if p.bodyStyle != "" {
		fmt.Fprintf(&sb, ` style="%s"`, p.bodyStyle)
	}
	sb.WriteString(`><div id="ct">`)
	sb.WriteString(p.body.String())
	sb.WriteString(`</div></div></body></html>`)
	return sb.String()
}

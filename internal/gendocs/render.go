package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

// defaultChromium is where Debian's chromium package (scripts/deps.sh --test) puts the browser.
const defaultChromium = "/usr/bin/chromium"

// browser renders pages with one headless Chromium kept open for the whole run (starting one per
// page, as `chromium --screenshot` does, costs seconds each).
type browser struct {
	ctx    context.Context
	cancel func()
	dir    string
	n      int
}

func newBrowser(path string) (*browser, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("chromium: %w", err)
	}
	dir, err := os.MkdirTemp("", "gendocs-")
	if err != nil {
		return nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.WindowSize(800, 1200),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	b := &browser{ctx: ctx, dir: dir, cancel: func() {
		cctx, ccancel := context.WithTimeout(ctx, 15*time.Second)
		defer ccancel()
		chromedp.Cancel(cctx)
		cancel()
		cancelAlloc()
		os.RemoveAll(dir)
	}}
	if err := chromedp.Do(ctx); err != nil { // starts the browser, bound to ctx
		b.cancel()
		return nil, fmt.Errorf("start chromium: %w", err)
	}
	return b, nil
}

func (b *browser) Close() { b.cancel() }

// errOverflow says a page's content did not fit its page even at the smallest font: the sidecar
// would list text that is not on the image.
var errOverflow = errors.New("page content does not fit")

// shot renders the HTML at width×height CSS px and scale device pixels per px.
func (b *browser) shot(htmlText string, width, height int, scale float64) (*image.RGBA, error) {
	b.n++
	path := filepath.Join(b.dir, fmt.Sprintf("p%d.html", b.n))
	if err := os.WriteFile(path, []byte(htmlText), 0o644); err != nil {
		return nil, err
	}
	defer os.Remove(path)
	ctx, cancel := context.WithTimeout(b.ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(int64(width), int64(height), chromedp.EmulateScale(scale)),
		chromedp.Navigate("file://"+path),
	); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(()=>`+fitScript+`)`, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	if !fits {
		return nil, errOverflow
	}
	data, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba, nil
}

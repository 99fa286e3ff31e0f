package main

import (
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"time"

	"shenbao/ocr/ppocr"
)

func main() {
	r, err := ppocr.New(ppocr.Config{})
	if err != nil {
		panic(err)
	}
	defer r.Close()
	for _, p := range os.Args[1:] {
		f, _ := os.Open(p)
		img, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			panic(err)
		}
		t := time.Now()
		lines, err := r.Read(img)
		if err != nil {
			panic(err)
		}
		fmt.Println(p, time.Since(t))
		for _, l := range lines {
			fmt.Printf("%v %.2f %s\n", l.Box, l.Words[0].Confidence, l.Text())
		}
		for _, d := range []int{0, 90, 180, 270} {
			t = time.Now()
			deg, c := r.Orientation(ppocr.Rotate(img, d))
			fmt.Println("turned", d, "->", deg, c, time.Since(t))
		}
	}
}

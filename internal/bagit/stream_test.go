package bagit

import (
	"io"
	"runtime"
	"testing"
)

const (
	bigSize  = 64 << 20 // the payload streamed through
	heapCap  = 16 << 20 // bound on heap growth and on bytes allocated meanwhile
	sampleAt = 4 << 20  // heap is sampled each time this many bytes have been generated
)

// genReader yields n deterministic bytes without holding them, sampling the
// heap as it goes.
type genReader struct {
	n, off   int64
	baseline uint64 // HeapInuse before the run
	peak     uint64 // highest HeapInuse - baseline seen
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.off >= g.n {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), g.n-g.off)]
	for i := range p {
		p[i] = byte((g.off + int64(i)) % 251)
	}
	before := g.off / sampleAt
	g.off += int64(len(p))
	if g.off/sampleAt != before {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > g.baseline {
			g.peak = max(g.peak, ms.HeapInuse-g.baseline)
		}
	}
	return len(p), nil
}

// measure runs f and returns the bytes it allocated (TotalAlloc growth); gen's
// peak holds the highest heap growth seen while f read from gen.
func measure(gen *genReader, f func()) (allocated uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gen.baseline = ms.HeapInuse
	start := ms.TotalAlloc
	f()
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc - start
}

// countWriter discards what it is given and counts it.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func TestWriterStreams(t *testing.T) {
	gen := &genReader{n: bigSize}
	out := &countWriter{}
	allocated := measure(gen, func() {
		w := NewWriter(out, "big", nil)
		if err := w.Add("scan.bin", bigSize, modTime, gen); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	})
	if out.n < bigSize {
		t.Fatalf("wrote %d bytes; want at least %d", out.n, bigSize)
	}
	t.Logf("write %d MiB: allocated %d KiB, peak heap growth %d KiB", bigSize>>20, allocated>>10, gen.peak>>10)
	if allocated >= heapCap || gen.peak >= heapCap {
		t.Errorf("writing a %d-byte payload allocated %d bytes, heap grew by up to %d; want both < %d",
			bigSize, allocated, gen.peak, heapCap)
	}
}

func TestValidateStreams(t *testing.T) {
	gen := &genReader{n: bigSize}
	var rep *Report
	allocated := measure(gen, func() {
		pr, pw := io.Pipe()
		go func() {
			w := NewWriter(pw, "big", []Tag{{"Bagging-Date", "2026-12-01"}})
			err := w.Add("scan.bin", bigSize, modTime, gen)
			if err == nil {
				err = w.Close()
			}
			pw.CloseWithError(err)
		}()
		var err error
		rep, err = Validate(pr)
		if err != nil {
			t.Error(err)
		}
		pr.Close()
	})
	if rep == nil {
		t.FailNow()
	}
	if !rep.Valid() || rep.PayloadOctets != bigSize || rep.PayloadFiles != 1 {
		t.Errorf("Validate: problems %v, payload %d.%d; want valid, %d.1", rep.Problems, rep.PayloadOctets, rep.PayloadFiles, bigSize)
	}
	t.Logf("write+validate %d MiB: allocated %d KiB, peak heap growth %d KiB", bigSize>>20, allocated>>10, gen.peak>>10)
	if allocated >= heapCap || gen.peak >= heapCap {
		t.Errorf("writing and validating a %d-byte payload allocated %d bytes, heap grew by up to %d; want both < %d",
			bigSize, allocated, gen.peak, heapCap)
	}
}

package main

import (
	"math/rand/v2"
	"time"
)

// rng is the one source of randomness of an application: every choice of names, figures, layouts,
// fonts and degradations is drawn from it, so that a seed gives the same folders every time. Each
// application has its own stream (seed, application number), so application 3 is the same whether
// 4 or 40 are generated.
type rng struct{ r *rand.Rand }

func newRNG(seed int64, stream uint64) *rng {
	return &rng{rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15^stream))}
}

// fork returns an independent stream for a sub-task (the pixels of one page), so that adding a
// choice in one document does not shift every later one.
func (g *rng) fork() *rng { return &rng{rand.New(rand.NewPCG(g.r.Uint64(), g.r.Uint64()))} }

func (g *rng) intn(n int) int { return g.r.IntN(n) }

// between returns an integer in [lo, hi].
func (g *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

// betweenF returns a float in [lo, hi).
func (g *rng) betweenF(lo, hi float64) float64 { return lo + g.r.Float64()*(hi-lo) }

func (g *rng) chance(p float64) bool { return g.r.Float64() < p }

func (g *rng) norm() float64 { return g.r.NormFloat64() }

func pick[T any](g *rng, xs []T) T { return xs[g.r.IntN(len(xs))] }

// pickW picks an index by weight.
func pickW(g *rng, weights ...float64) int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	x := g.r.Float64() * sum
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func shuffle[T any](g *rng, xs []T) {
	g.r.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
}

// sample returns n distinct elements of xs in random order.
func sample[T any](g *rng, xs []T, n int) []T {
	c := append([]T(nil), xs...)
	shuffle(g, c)
	return c[:min(n, len(c))]
}

// date returns a date between lo and hi inclusive.
func (g *rng) date(lo, hi time.Time) time.Time {
	days := int(hi.Sub(lo).Hours() / 24)
	if days <= 0 {
		return lo
	}
	return lo.AddDate(0, 0, g.intn(days+1))
}

func ymd(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

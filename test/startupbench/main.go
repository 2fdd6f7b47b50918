// Command startupbench compares the whole-process time of two commands with paired runs:
// A and B alternate (ABAB…, after a warm-up), so that load from other processes on a shared
// machine falls on both alike. It prints each command's median and the median of the
// per-pair ratios A/B. test/startup-bench.sh runs it on `sbs-tui inspect` and golang-jwt's
// `jwt -show`.
//
//	startupbench [-n 400] [-warmup 30] -a "cmd args…" -b "cmd args…"
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 400, "pairs to run")
	warm := flag.Int("warmup", 30, "unmeasured pairs first")
	a := flag.String("a", "", "command A (split on spaces)")
	b := flag.String("b", "", "command B (split on spaces)")
	flag.Parse()
	if *a == "" || *b == "" {
		fmt.Fprintln(os.Stderr, "usage: startupbench -a 'cmd …' -b 'cmd …'")
		os.Exit(2)
	}
	runOnce := func(args []string) time.Duration {
		cmd := exec.Command(args[0], args[1:]...)
		start := time.Now()
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", strings.Join(args, " "), err)
			os.Exit(1)
		}
		return time.Since(start)
	}
	argsA, argsB := strings.Fields(*a), strings.Fields(*b)
	for i := 0; i < *warm; i++ {
		runOnce(argsA)
		runOnce(argsB)
	}
	var ta, tb, ratio []float64
	for i := 0; i < *n; i++ {
		// Alternate which goes first, so neither always runs right after the other.
		var da, db time.Duration
		if i%2 == 0 {
			da, db = runOnce(argsA), runOnce(argsB)
		} else {
			db, da = runOnce(argsB), runOnce(argsA)
		}
		ta = append(ta, ms(da))
		tb = append(tb, ms(db))
		ratio = append(ratio, float64(da)/float64(db))
	}
	fmt.Printf("A  %-60s median %.2f ms  p10 %.2f ms\n", trim(*a), median(ta), pct(ta, 10))
	fmt.Printf("B  %-60s median %.2f ms  p10 %.2f ms\n", trim(*b), median(tb), pct(tb, 10))
	fmt.Printf("A/B  median of %d paired ratios %.2f×  (ratio of medians %.2f×)\n", *n, median(ratio), median(ta)/median(tb))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func trim(s string) string {
	if len(s) > 60 {
		return "…" + s[len(s)-59:]
	}
	return s
}

func median(v []float64) float64 { return pct(v, 50) }

func pct(v []float64, p int) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

//go:build !unix

package main

import "time"

// cpuTime is unknown here; the per-CPU-second rates then read 0.
func cpuTime() time.Duration { return 0 }

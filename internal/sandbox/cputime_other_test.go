//go:build !unix

package sandbox

import "time"

// cpuTime is unknown here; the CPU-time metrics then read 0.
func cpuTime() time.Duration { return 0 }

// Package faults is the sandbox's fault injection: the middleware that applies the stored
// rules (latency, errors, throttling, dropped connections) to matching requests, and the
// control API that adds, lists and clears them.
package faults

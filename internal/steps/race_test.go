//go:build race

package steps

const raceEnabled = true

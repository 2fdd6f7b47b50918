// Command sbs-tui walks software vendors through Altinn system-user onboarding with
// Maskinporten, as a terminal wizard and as headless commands. It runs against a built-in
// sandbox by default and against the real test and production hosts through configuration.
// The commands are in internal/cli.
package main

import (
	"os"

	"github.com/sbs-tui/sbs-tui/internal/cli/root"
)

func main() { os.Exit(root.Main()) }

package supportcmd_test

import (
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
)

// TestHelpSpeaksBokmål: with --lang nb the command's help comes from the bokmål catalogue.
func TestHelpSpeaksBokmål(t *testing.T) {
	clitest.Isolate(t)
	clitest.HelpInBokmal(t, []string{"support", "report"}, "clitools.support.report_long", "clitools.support.flag_har", "clitools.support.flag_out")
}

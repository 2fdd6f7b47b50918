package wizardcmd_test

import (
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
)

// TestHelpSpeaksBokmål: with --lang nb the command's help comes from the bokmål catalogue.
func TestHelpSpeaksBokmål(t *testing.T) {
	clitest.Isolate(t)
	clitest.HelpInBokmal(t, []string{"wizard"}, "clitools.wizard.long", "clitools.wizard.flag_fresh", "clitools.wizard.flag_cast")
}

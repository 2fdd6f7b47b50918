package supportcmd_test

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestHelpSpeaksBokmål: with --lang nb the command's help comes from the bokmål catalogue.
func TestHelpSpeaksBokmål(t *testing.T) {
	clitest.Isolate(t)
	nb, en := i18n.MustNew(i18n.NB), i18n.MustNew(i18n.EN)
	args := append([]string{"--lang", "nb"}, strings.Fields("support report")...)
	r := clitest.Run(t, "", append(args, "--help")...)
	for _, id := range []string{"clitools.support.report_long", "clitools.support.flag_har", "clitools.support.flag_out"} {
		first := strings.SplitN(nb.T(id), "\n", 2)[0]
		if r.Code != 0 || !strings.Contains(r.Stdout, first) || strings.Contains(r.Stdout, strings.SplitN(en.T(id), "\n", 2)[0]) {
			t.Errorf("%v --help lacks %s %q:\n%s", args, id, first, r.Stdout)
		}
	}
}

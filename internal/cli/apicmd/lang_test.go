package apicmd_test

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestAPICommandsSpeakBokmal: with --lang nb, call's and clients' help and usage errors come
// from the bokmål catalogue.
func TestAPICommandsSpeakBokmal(t *testing.T) {
	clitest.Isolate(t)
	nb := i18n.MustNew(i18n.NB)
	clitest.HelpInBokmal(t, []string{"call"}, "clirequest.call.flag.headers")
	clitest.HelpInBokmal(t, []string{"clients", "list"}, "clirequest.clients.flag.org")
	if r := clitest.Run(t, "", "--lang", "nb", "call", "/x"); r.Code != 2 || !strings.Contains(r.Stderr, nb.T("clirequest.call.need_org")) {
		t.Fatalf("call without --systemuser-org in nb: %+v", r)
	}
}

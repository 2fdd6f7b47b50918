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
	nb, en := i18n.MustNew(i18n.NB), i18n.MustNew(i18n.EN)
	r := clitest.Run(t, "", "--lang", "nb", "call", "--help")
	if r.Code != 0 || !strings.Contains(r.Stdout, nb.T("clirequest.call.flag.headers")) || strings.Contains(r.Stdout, en.T("clirequest.call.flag.headers")) {
		t.Fatalf("call --help in nb: %+v", r)
	}
	if r := clitest.Run(t, "", "--lang", "nb", "clients", "list", "--help"); r.Code != 0 || !strings.Contains(r.Stdout, nb.T("clirequest.clients.flag.org")) {
		t.Fatalf("clients list --help in nb: %+v", r)
	}
	if r := clitest.Run(t, "", "--lang", "nb", "call", "/x"); r.Code != 2 || !strings.Contains(r.Stderr, nb.T("clirequest.call.need_org")) {
		t.Fatalf("call without --systemuser-org in nb: %+v", r)
	}
}

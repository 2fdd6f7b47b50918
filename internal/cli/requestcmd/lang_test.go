package requestcmd_test

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestRequestCommandsSpeakBokmal: with --lang nb the request commands' help, usage errors and
// human output come from the bokmål catalogue (none of the English), and --json stays English.
func TestRequestCommandsSpeakBokmal(t *testing.T) {
	_, _, _, cmd := clitest.WithSeedPageSystem(t)
	nb, en := i18n.MustNew(i18n.NB), i18n.MustNew(i18n.EN)

	clitest.HelpInBokmal(t, cmd("request", "create"), "clirequest.create.flag.org", "clirequest.create.flag.recreate", "clirequest.flag.json")
	if r := clitest.Run(t, "", cmd("--lang", "nb", "request", "create")...); r.Code != 2 || !strings.Contains(r.Stderr, nb.T("clirequest.create.need_system_org")) {
		t.Fatalf("usage error in nb: %+v", r)
	}

	r := clitest.Run(t, "", cmd("--lang", "nb", "request", "create", "--system", "974761076_skatt_demo_system", "--org", "313367002", "--package", "skattegrunnlag")...)
	if r.Code != 0 || !strings.Contains(r.Stdout, nb.T("clirequest.send_confirm_url")) || !strings.Contains(r.Stdout, nb.T("clirequest.label.party")+"  ") ||
		strings.Contains(r.Stdout, en.T("clirequest.send_confirm_url")) {
		t.Fatalf("request create in nb: %+v", r)
	}
	var req struct{ ID string }
	clitest.Decode(t, clitest.Run(t, "", cmd("--lang", "nb", "request", "status", "--json", firstField(r.Stdout))...), &req)
	if req.ID == "" {
		t.Fatalf("request status --json: no id")
	}
	st := clitest.Run(t, "", cmd("--lang", "nb", "request", "status", req.ID)...)
	if st.Code != 0 || !strings.Contains(st.Stdout, nb.T("clirequest.label.status")) || !strings.Contains(st.Stdout, "Fortsatt New?") {
		t.Fatalf("request status in nb: %+v", st)
	}
	if d := clitest.Run(t, "", cmd("--lang", "nb", "request", "delete", req.ID)...); d.Code != 0 || !strings.Contains(d.Stdout, nb.T("clirequest.delete.request_done", "ID", req.ID)) {
		t.Fatalf("request delete in nb: %+v", d)
	}
}

// firstField is the value on the first line of a printed request ("id           <id>").
func firstField(out string) string {
	line, _, _ := strings.Cut(out, "\n")
	f := strings.Fields(line)
	if len(f) < 2 {
		return ""
	}
	return f[1]
}

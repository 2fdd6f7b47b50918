package inspectcmd_test

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestInspectAndTokenSpeakBokmaal: under --lang nb the help of inspect and token and the
// human report of inspect are the catalogue's bokmål, not English.
func TestInspectAndTokenSpeakBokmaal(t *testing.T) {
	clitest.Isolate(t)
	nb, en := i18n.MustNew(i18n.NB), i18n.MustNew(i18n.EN)
	for cmd, ids := range map[string][]string{
		"inspect": {"cliinspect.inspect.flag_verify", "cliinspect.inspect.flag_strict"},
		"token":   {"cliinspect.token.flag_json", "cliinspect.flag.systemuser_org", "cliinspect.flag.external_ref"},
	} {
		clitest.HelpInBokmal(t, []string{cmd}, append(ids, "cliinspect."+cmd+".long")...) // the long help's first line too
	}

	cfg, _ := clitest.StartSandbox(t)
	g := clitest.Run(t, "", "--config", cfg, "grant")
	if g.Code != 0 {
		t.Fatalf("grant: %+v", g)
	}
	r := clitest.Run(t, g.Stdout, "--config", cfg, "--lang", "nb", "inspect", "-")
	if r.Code != 0 {
		t.Fatalf("inspect - --lang nb: %+v", r)
	}
	for _, id := range []string{"cliinspect.kind.grant", "cliinspect.report.valid", "cliinspect.report.sig_unverified",
		"cliinspect.report.grant_checks", "cliinspect.report.grant_ok", "cliinspect.report.findings"} {
		if !strings.Contains(r.Stdout, nb.T(id)) {
			t.Errorf("inspect --lang nb lacks %s %q:\n%s", id, nb.T(id), r.Stdout)
		}
	}
	if strings.Contains(r.Stdout, en.T("cliinspect.report.grant_checks")) || strings.Contains(r.Stdout, "expires in") {
		t.Errorf("inspect --lang nb still has English:\n%s", r.Stdout)
	}
	// A usage error reads in bokmål too.
	r = clitest.Run(t, "", "--lang", "nb", "token", "--external-ref", "x")
	if r.Code != 2 || !strings.Contains(r.Stderr, nb.T("cliinspect.flag.external_ref_needs_org")) {
		t.Errorf("token --external-ref x --lang nb: %+v", r)
	}
}

// TestExplainBodyErrorsInBokmaal: a body explain cannot read is refused in bokmål (the
// explain.ParseBody rule from the catalogue), in English with --json.
func TestExplainBodyErrorsInBokmaal(t *testing.T) {
	clitest.Isolate(t)
	nb := i18n.MustNew(i18n.NB)
	r := clitest.Run(t, `{"foo": 1}`, "--lang", "nb", "explain", "-")
	want := nb.T("explain.cmd.cannot_explain", "Err", nb.T("domain.body.unknown_shape"))
	if r.Code == 0 || !strings.Contains(r.Stderr, want) {
		t.Errorf("explain - --lang nb with an unknown body: %+v, want %q", r, want)
	}
	j := clitest.Run(t, `{"foo": 1}`, "--lang", "nb", "explain", "-", "--json")
	if j.Code == 0 || !strings.Contains(j.Stdout, "not an error body") {
		t.Errorf("explain - --json stays English: %+v", j)
	}
}

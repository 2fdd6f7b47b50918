package sandboxcmd_test

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestSandboxSpeaksBokmål: with --lang nb the sandbox's help and its human output come from
// the bokmål catalogue (the sandbox's HTTP answers stay English); --json stays English.
func TestSandboxSpeaksBokmål(t *testing.T) {
	clitest.Isolate(t)
	nb := i18n.MustNew(i18n.NB)
	dir := t.TempDir()

	clitest.HelpInBokmal(t, []string{"sandbox"}, "clitools.sandbox.short", "clitools.sandbox.faults.short", "clitools.sandbox.orgs.short")
	sub := clitest.HelpInBokmal(t, []string{"sandbox", "approve"}, "clitools.sandbox.approve.flag_all", "clitools.sandbox.flag.json")
	if !strings.Contains(sub.Stdout, "# én forespørsel") {
		t.Errorf("sandbox approve --help --lang nb lacks its bokmål example:\n%s", sub.Stdout)
	}

	r := clitest.Run(t, "", "--lang", "nb", "sandbox", "faults", "list", "--data", dir)
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != nb.T("clitools.sandbox.faults.none") {
		t.Errorf("faults list --lang nb: %+v", r)
	}
	r = clitest.Run(t, "", "--lang", "nb", "sandbox", "faults", "add", "--kind", "latency", "--delay", "1s", "--times", "2", "--data", dir)
	if want := nb.N("clitools.sandbox.faults.on", 2, "Method", nb.T("clitools.sandbox.faults.any_method"), "Path", "/"); r.Code != 0 || !strings.Contains(r.Stdout, want) {
		t.Errorf("faults add --lang nb: %+v, want %q", r, want)
	}
	r = clitest.Run(t, "", "--lang", "nb", "sandbox", "faults", "clear", "--data", dir)
	if want := nb.N("clitools.sandbox.faults.cleared", 1); r.Code != 0 || strings.TrimSpace(r.Stdout) != want || want != "fjernet 1 feilregel" {
		t.Errorf("faults clear --lang nb: %+v, want %q", r, want)
	}
	r = clitest.Run(t, "", "--lang", "nb", "sandbox", "scope", "add", "acme:widgets.read", "--data", dir)
	if r.Code != 0 || !strings.Contains(r.Stdout, nb.T("clitools.sandbox.added")+"  acme:widgets.read") ||
		!strings.Contains(r.Stdout, nb.T("clitools.sandbox.scope.how_clients")) {
		t.Errorf("scope add --lang nb: %+v", r)
	}
	// A usage error speaks bokmål too.
	r = clitest.Run(t, "", "--lang", "nb", "sandbox", "approve", "--data", dir)
	if r.Code != 2 || !strings.Contains(r.Stderr, nb.T("clitools.sandbox.approve.need_id")) {
		t.Errorf("approve without an id --lang nb: %+v", r)
	}
	// --json is for programs: English.
	r = clitest.Run(t, "", "--lang", "nb", "sandbox", "orgs", "add", "--count", "2", "--data", dir, "--json")
	if r.Code != 0 || !strings.Contains(r.Stdout, `"ok": true`) && !strings.Contains(r.Stdout, `"ok":true`) {
		t.Errorf("orgs add --json --lang nb: %+v", r)
	}
	r = clitest.Run(t, "", "--lang", "nb", "sandbox", "orgs", "add", "--count", "1", "--data", dir)
	if r.Code != 0 || !strings.Contains(r.Stdout, "La til 1 organisasjon (") {
		t.Errorf("orgs add --lang nb: %+v", r)
	}
}

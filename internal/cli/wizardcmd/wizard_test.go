package wizardcmd_test

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
)

// TestLineModeWizard runs the wizard without a terminal: the same steps as plain prompts
// (what ACCESSIBLE=1 and TERM=dumb get), answered from standard input.
func TestLineModeWizard(t *testing.T) {
	v := clitest.NewVendor(t)
	sys := clitest.SeedPageSystem(t, v.ClientID)
	answers := strings.Join([]string{
		"/no/such/file.json", // a wrong path is reported and asked again
		sys,
		"5762342",   // not an organisation number
		"313367002", //
		"",          // packages: the system's
		"",          // agent: suggested yes (client-only package)
		"",          // no external reference
		"y",         // approve as the customer
		"foo:bar",   // a scope Maskinporten refuses: explained and asked again (enter would keep it)
		"skatteetaten:innrapporteringboligselskap",
		"ikke en url", // not a URL: asked again
		"/nope/path",  // a 404: explained and asked again
		"/skatteetaten/api/sample/v1/whoami",
	}, "\n") + "\n"
	r := clitest.Run(t, answers, v.Args("wizard")...)
	if r.Code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.Code, r.Stdout, r.Stderr)
	}
	for _, want := range []string{
		"Step 1 of 8", "PASS metadata", "Step 2 of 8", "Step 4 of 8", "no such file",
		"System 974761076_skatt_demo_system: created", "must be exactly 9 digits", "That is Lystig Ærlig Tiger AS",
		"Status: Accepted", "MP-200", "Try again", "give an absolute http(s) URL", "HTTP 404", "signature verified", "HTTP 200 OK", "All eight steps are done",
	} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("line mode output lacks %q", want)
		}
	}
	if strings.Contains(r.Stdout, "\x1b[") {
		t.Error("line mode wrote escape sequences")
	}
}

// TestLineModeKeepsAnswers: after "Fix the problems and try again", enter keeps each answer,
// and isVisible defaults to no, as in the wizard's form.
func TestLineModeKeepsAnswers(t *testing.T) {
	v := clitest.NewVendor(t)
	answers := strings.Join([]string{
		"",                                       // no file: questions
		"974761076_linedemo",                     // id
		"Line demo",                              // name
		"A system made in line mode",             // description
		"regnskapsforer-med-signeringsrettighet", // a client-only package
		"",                                       // no rights
		"",                                       // client ids: the profile's
		"",                                       // no redirect URLs
		"y",                                      // visible: not allowed with a client package
		"", "", "", "", "", "", "", "",           // try again: every answer kept
		"", // visible: the default, no
	}, "\n") + "\n"
	r := clitest.Run(t, answers, "--config", v.Cfg, "wizard")
	for _, want := range []string{"Fix the problems and try again", "System id [974761076_linedemo]", "Name shown to customers [Line demo]",
		"System 974761076_linedemo: created", "Visible to customers in Altinn (no: only through your requests) (y/N)"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("line mode output lacks %q:\n%s", want, r.Stdout)
		}
	}
}

func TestWizardRejectsBadQRMode(t *testing.T) {
	clitest.Isolate(t)
	if r := clitest.Run(t, "", "wizard", "--qr", "sixel"); r.Code != 2 || !strings.Contains(r.Stderr, "--qr") {
		t.Fatalf("%+v", r)
	}
}

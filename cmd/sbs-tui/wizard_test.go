package main

import (
	"strings"
	"testing"
)

// TestLineModeWizard runs the wizard without a terminal: the same steps as plain prompts
// (what ACCESSIBLE=1 and TERM=dumb get), answered from standard input.
func TestLineModeWizard(t *testing.T) {
	isolate(t)
	cfg, sb := startSandbox(t)
	boot, _ := sb.Bootstrap()
	sys := seedPageSystem(t, boot.ClientID)
	answers := strings.Join([]string{
		"/no/such/file.json", // a wrong path is reported and asked again
		sys,
		"5762342",   // not an organisation number
		"313367002", //
		"",          // packages: the system's
		"",          // agent: suggested yes (client-only package)
		"",          // no external reference
		"y",         // approve as the customer
		"",          // scope: the profile's first skatteetaten scope
		"",          // URL: the sample API
	}, "\n") + "\n"
	r := runCLI(t, answers, "--config", cfg, "wizard")
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"Step 1 of 8", "PASS metadata", "Step 2 of 8", "Step 4 of 8", "no such file",
		"System 974761076_skatt_demo_system: created", "must be exactly 9 digits", "That is Lystig Ærlig Tiger AS",
		"Status: Accepted", "signature verified", "HTTP 200 OK", "All eight steps are done",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("line mode output lacks %q", want)
		}
	}
	if strings.Contains(r.stdout, "\x1b[") {
		t.Error("line mode wrote escape sequences")
	}
}

func TestWizardRejectsBadQRMode(t *testing.T) {
	isolate(t)
	if r := runCLI(t, "", "wizard", "--qr", "sixel"); r.code != 2 || !strings.Contains(r.stderr, "--qr") {
		t.Fatalf("%+v", r)
	}
}

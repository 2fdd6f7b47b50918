package e2e

import (
	"strings"
	"testing"
)

// A newcomer at 80×24 reaches step 8, presses t for Dialogporten (the customer's dialogs),
// t again for the Skatteetaten API, and quits; then `call dialogporten` and `doctor
// --systemuser-org` prove the scope from the command line, and a customer with nothing
// delegated gets the empty-list explanation.
func TestJourneyStep8Dialogporten(t *testing.T) {
	u := newUser(t)
	u.start(80, 24)
	u.toCallStep("t Dialogporten")
	u.press("t")
	s := u.see("HTTP 200 OK", "2 dialog(s) visible to the system user.", "Tilbakemelding på innrapportering boligselskap",
		"/altinn/dialogporten/api/v1/enduser/dialogs?party")
	fits(t, s, 80)
	u.press("?") // the full help names t's other target (the footer has no room for it after a call)
	u.see("t     Skatteetaten", "k     call for a client")
	u.press("?")
	u.press("t")
	fits(t, u.see("/skatteetaten/api/sample/v1/whoami", "Lystig Ærlig Tiger AS", "HTTP 200 OK"), 80)
	u.press("q")
	u.see("EXIT=0")

	out := u.cli("call", "dialogporten", "--systemuser-org", "313367002", "--no-color")
	if !strings.Contains(out, "HTTP 200 OK") || !strings.Contains(out, "• InProgress · Krav og betalinger (ske-krav-og-betalinger)") {
		t.Fatalf("call dialogporten:\n%s", out)
	}
	out = u.cli("doctor", "--systemuser-org", "313367002", "--no-color")
	if !strings.Contains(out, "✓ pass  dialogporten  GET dialogs for 313367002: HTTP 200, 2 dialog(s)") {
		t.Fatalf("doctor:\n%s", out)
	}
	id := strings.TrimSpace(u.cli("request", "create", "--system", "974761076_skatt_demo_system", "--org", "314000005", "--package", "skattegrunnlag", "-q"))
	u.cli("sandbox", "approve", id)
	out = u.cli("call", "dialogporten", "--systemuser-org", "314000005", "--no-color")
	if !strings.Contains(out, `"items": []`) || !strings.Contains(out, "The list is empty: the token works") {
		t.Fatalf("empty list:\n%s", out)
	}
}

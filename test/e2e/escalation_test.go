package e2e

import (
	"strings"
	"testing"
)

// A customer without the rights forwards the request to their Tilgangsstyrer (here `sandbox
// escalate` from a second process, as the approval page's «Ja, send videre»): at 80×24 step 6
// first says what to ask the customer, then, after p, that the request is forwarded and who
// approves it; approving it still ends on the token. `request status` (of this agent request) says
// the same.
func TestJourneyForwardedRequestUnderTmux(t *testing.T) {
	u := newUser(t)
	u.start(80, 24)
	u.toApprovalStep()
	u.see("Still New? Ask the customer", "p check now")
	id := u.savedRequestID()
	if out := u.cli("sandbox", "escalate", id); !strings.Contains(out, "stays New") {
		t.Fatalf("sandbox escalate: %s", out)
	}
	u.press("p")
	screen := u.see("Forwarded.", "Hovedadministrator or Daglig leder", "Status New")
	fits(t, screen, 80)
	if strings.Contains(screen, "Still New?") {
		t.Fatalf("both the waiting and the forwarded advice:\n%s", screen)
	}
	if out := u.cli("request", "status", id, "--agent"); !strings.Contains(out, "New (forwarded to the customer's Tilgangsstyrer)") {
		t.Fatalf("request status: %s", out)
	}
	u.press("a")
	u.see("7. Token for the system user", "[signature verified]")
}

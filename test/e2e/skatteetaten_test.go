package e2e

import (
	"strings"
	"testing"
)

// Step 8 at 80×24 with a URL for a party the (agent) system user does not act for: the
// sample API refuses as Skatteetaten does ({kode, melding, korrelasjonsid}, DAS-008), and the
// step explains it with what to do: the system user holds skattegrunnlag, which no client
// role gives, so the client must delegate it first, and no clients add (which could only fail)
// is offered; the URL typed back to the system user's own party answers.
func TestJourneyStep8SkatteetatenRefusal(t *testing.T) {
	u := newUser(t)
	u.start(80, 24)
	u.toCallStep("u edit URL")
	u.press("u")
	u.see("enter call this URL", "esc cancel the edit")
	u.press("C-u") // clear the field, as a person would before typing a path
	u.typeText("/skatteetaten/api/sample/v1/parties/313000001/status")
	u.press("Enter")
	s := u.see("HTTP 403 Forbidden", `"kode": "DAS-008"`, `"korrelasjonsid"`, "313000001 is not a client of this agent system user")
	fits(t, s, 80)
	if flat := strings.Join(strings.Fields(s), " "); !strings.Contains(flat, "no client role gives its package skattegrunnlag") ||
		!strings.Contains(flat, "must first delegate skattegrunnlag to 313367002") || strings.Contains(flat, "clients add") {
		t.Fatalf("the refusal does not say what makes the client possible:\n%s", s)
	}
	u.press("u")
	u.see("enter call this URL")
	u.press("C-u")
	u.typeText("/skatteetaten/api/sample/v1/parties/313367002/status")
	u.press("Enter")
	fits(t, u.see("HTTP 200 OK", "All eight steps are done"), 80)
}

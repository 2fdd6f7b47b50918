package e2e

import (
	"strings"
	"testing"
)

// Step 5 at 80×24: the customer's org number typed key by key, as a person types, then
// enter at once (the name lookup still running): the form moves its focus to the next
// field (the packages), as the footer's "enter next" says, and on to the agent question.
func TestJourneyStep5TypedOrgNumber(t *testing.T) {
	u := newUser(t)
	u.start(80, 24)
	u.toRequestStep()
	fits(t, u.see("┃ Customer's organisation number", "enter next"), 80)
	u.typeKeys("313367002")
	u.press("Enter")
	s := u.see("┃ Access packages to ask for", "313367002: Lystig Ærlig Tiger AS", "enter confirm")
	fits(t, s, 80)
	u.press("Enter")
	fits(t, u.see("Agent (client) system user?", "Required:"), 80)
}

// A newcomer's system from the form with a right and no access package: step 5 with the
// org number typed key by key, enter through every field as the footer says, and the
// standard request (for the system's right) is created; the form never sticks at
// "enter submit" behind an error about packages.
func TestJourneyStep5RightsOnlySystem(t *testing.T) {
	u := newUser(t)
	u.start(80, 24)
	u.toSystemStep()
	u.openSystemForm()
	u.typeKeys("demo")
	u.press("Enter")
	u.see("┃ Name (nb)")
	u.typeKeys("Demo")
	u.press("Enter")
	u.see("┃ Description (nb)")
	u.typeKeys("x")
	u.press("Enter")
	u.see("┃ Access packages")
	u.press("Enter") // none chosen
	u.see("┃ Rights (resource ids")
	u.typeText("ske-innrapportering-boligselskap") // the org number below is the one typed key by key
	u.enterUntil("┃ Visible to customers", 4)      // rights, client ids, redirect URLs
	u.press("Enter")
	u.see("JSON to send", "enter register or update")
	u.press("Enter")
	u.see("System 974761076_demo: created", "enter continue")
	u.press("Enter")
	fits(t, u.see("5. Ask the customer", "┃ Customer's organisation number", "enter next"), 80)
	u.typeKeys("313367002")
	u.press("Enter")
	u.see("┃ Access packages to ask for", "313367002: Lystig Ærlig Tiger AS")
	u.press("Enter") // no package: the system's right is asked for
	u.see("┃ Agent (client) system user?")
	u.press("Enter") // No: a standard request
	s := u.see("┃ External reference (optional)")
	if strings.Contains(s, "no access package chosen") {
		t.Fatalf("a rights-only standard request was refused:\n%s", s)
	}
	u.press("Enter")
	u.see("┃ Redirect URL after the decision", "enter submit")
	u.press("Enter")
	fits(t, u.see("Created.", "Lystig Ærlig Tiger AS"), 80)
}

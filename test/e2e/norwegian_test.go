package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// opening is a message's first words: a long message wraps on screen.
func opening(s string) string {
	w := strings.Fields(s)
	return strings.Join(w[:min(len(w), 3)], " ")
}

// TestJourneyStandardFlowInBokmål: a newcomer whose locale is Norwegian (LANG=nb_NO.UTF-8,
// nothing else set) runs the whole flow at 80×24 in bokmål, from the catalogue's own texts:
// steps 1–3, the system imported and registered, the request, the customer's approval, the
// token and the API's answer; back through every step and forward again; each screen fits.
func TestJourneyStandardFlowInBokmål(t *testing.T) {
	nb := i18n.MustNew(i18n.NB)
	u := newUser(t)
	u.env = append(u.env, "LC_ALL=", "LC_MESSAGES=", "LANG=nb_NO.UTF-8")
	u.start(80, 24)

	title := func(n int, id string) string { return nb.T("ui.step_heading", "N", n, "Title", nb.T(id)) }
	fits(t, u.see(title(1, "page.env.title"), "✓ "+nb.T("steps.check.clock"), nb.T("steps.doctor.clock_ok", "Offset", nb.Duration(0), "Max", nb.Duration(5*time.Second))), 80)
	u.press("Enter")
	fits(t, u.see(title(2, "page.scopes.title"), nb.T("steps.doctor.scope_ok", "Seconds", 120)), 80)
	u.press("Enter")
	fits(t, u.see(title(3, "page.key.title")), 80)
	u.press("Enter")
	fits(t, u.see(title(4, "page.system.title"), opening(nb.T("page.system.choose"))), 80)

	u.press("i")
	u.see(nb.T("page.system.form.path"))
	u.typeText(u.system)
	u.press("Enter")
	fits(t, u.see(nb.T("page.system.json"), nb.T("page.system.key.register_or_update")), 80)
	u.press("Enter")
	fits(t, u.see(nb.T("page.system.result", "ID", "974761076_skatt_demo_system", "Action", nb.T("steps.register.action.created"))), 80)
	u.press("Enter")

	fits(t, u.see(title(5, "page.request.title"), nb.T("page.request.form.org")), 80)
	u.typeText("313367002")
	u.see("313367002: Lystig Ærlig Tiger AS")
	u.press("Enter")
	u.see(nb.T("page.request.form.packages"))
	u.press("Enter") // the system's packages, chosen already
	u.see(opening(nb.T("page.request.form.agent")))
	u.press("Enter", "Enter", "Enter") // agent (chosen for us), external reference, redirect URL
	fits(t, u.see(nb.T("page.request.created"), "Lystig Ærlig Tiger AS"), 80)
	u.press("Enter")

	fits(t, u.see(title(6, "page.approval.title"), opening(nb.T("page.approval.send_to"))), 80)
	u.press("a") // approve as the customer: the step moves on to the token by itself
	fits(t, u.see(title(7, "page.token.title"), nb.T("kit.inspector.verified"), nb.T("kit.inspector.valid")), 80)
	u.press("Enter")
	fits(t, u.see(title(8, "page.call.title"), "URL:"), 80)
	u.press("Enter")
	fits(t, u.see("HTTP 200 OK", nb.T("page.call.all_done"), nb.T("steps.call.token_reused")), 80)

	titles := []string{"page.env.title", "page.scopes.title", "page.key.title", "page.system.title",
		"page.request.title", "page.approval.title", "page.token.title", "page.call.title"}
	for i := 6; i >= 0; i-- {
		u.press("b")
		fits(t, u.see(title(i+1, titles[i])), 80)
	}
	for i := 1; i < 8; i++ {
		u.press("n")
		u.see(title(i+1, titles[i]))
	}
	u.see("HTTP 200 OK")
	u.press("q")
	u.see("EXIT=0")
}

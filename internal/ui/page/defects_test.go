package page

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// Step-level parts of the wizard's defect walks (the root's defects_test.go holds the rest).

// Defect 10 (polish): one client package is named "is a client package".
func TestRequestAdviceNamesAClientPackage(t *testing.T) {
	t.Parallel()
	r := openRequestForm(t, 78, 18)
	r.values.Packages = []string{"urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet"}
	if adv := r.agentAdvice(r.catalog()); !strings.Contains(adv, "is a client package") {
		t.Errorf("advice: %q", adv)
	}
}

// Defect 10 (polish): esc on a token call cancels it quietly.
func TestTokenCallCancelledQuietly(t *testing.T) {
	t.Parallel()
	w := uitest.NewWorld(t)
	tok := NewToken(w.EnvWith(w.Approved(t)), 6)
	tok.SetSize(78, 18)
	uitest.RunCmd(tok.Update, tok.Enter(), uitest.Quick)
	cmd := tok.request(true)
	uitest.StepKey(tok, "esc")
	for _, m := range uitest.Collect(cmd, uitest.Quick) {
		tok.Update(m)
	}
	if strings.Contains(tok.View(), "context canceled") || tok.Busy() {
		t.Errorf("cancelled call:\n%s", tok.View())
	}
}

// Step 8 takes a sandbox path as well as a URL, as the call command does (the walk got "give
// an absolute http(s) URL" for /skatteetaten/api/sample/v1/access).
func TestCallStepTakesASandboxPath(t *testing.T) {
	t.Parallel()
	w := uitest.NewWorld(t)
	s := NewCall(w.EnvWith(w.Approved(t)), 7)
	s.SetSize(78, 18)
	uitest.RunCmd(s.Update, s.Enter(), uitest.Quick)
	s.input.SetValue("/skatteetaten/api/sample/v1/whoami")
	uitest.RunCmd(s.Update, uitest.StepKey(s, "enter"), uitest.Quick)
	if s.err != nil || s.result == nil || s.result.Status != 200 {
		t.Fatalf("path call: %v %+v\n%s", s.err, s.result, s.View())
	}
}

// A client package leaves only Yes on the agent question: n (huh's "No, next field") keeps Yes,
// rather than letting the form go on to a request the server refuses with AUTH-00064.
func TestRequestAgentQuestionKeepsYesForClientPackages(t *testing.T) {
	t.Parallel()
	r := openRequestForm(t, 80, 22)
	for _, k := range append(strings.Split("313367002", ""), "enter", "enter") {
		uitest.Run(r.Update, uitest.Press(k), uitest.Quick)
	}
	if v := r.View(); !strings.Contains(v, "Agent (client) system user?") || !r.values.Agent {
		t.Fatalf("not at the agent question with Yes (agent=%v):\n%s", r.values.Agent, v)
	}
	uitest.Run(r.Update, uitest.Press("n"), uitest.Quick)
	if !r.values.Agent {
		t.Fatalf("n answered No for client packages:\n%s", r.View())
	}
}

// openRequestForm is step 5 at w×h with its form open, on a world with the seed system.
func openRequestForm(t *testing.T, w, h int) *requestStep {
	t.Helper()
	world := uitest.NewWorld(t)
	return enteredRequest(world.EnvWith(world.Registered()), w, h)
}

// enteredRequest is step 5 on env at w×h, entered and settled.
func enteredRequest(env *kit.Env, w, h int) *requestStep {
	r := NewRequest(env, 4)
	r.SetSize(w, h)
	uitest.RunCmd(r.Update, r.Enter(), uitest.Quick)
	return r
}

// When step 4 changes the system, step 5 asks for the changed system's packages: the old
// answers were the old system's, and keeping them made a package added in step 4 unselected,
// so the change request for it was never offered.
func TestRequestAfterTheSystemChangedAsksForItsPackages(t *testing.T) {
	t.Parallel()
	world := uitest.NewWorld(t)
	env := world.EnvWith(world.Approved(t))
	r := enteredRequest(env, 80, 40)
	var d altinn.SystemDefinition
	if err := json.Unmarshal([]byte(env.Flow.SystemJSON), &d); err != nil {
		t.Fatal(err)
	}
	d.AccessPackages = append(d.AccessPackages, altinn.PackageRef{URN: "urn:altinn:accesspackage:merverdiavgift"})
	b, _ := json.Marshal(d)
	env.Flow.SystemJSON = string(b) // what step 4 does on an update, before it invalidates step 5
	r.Reset()
	uitest.RunCmd(r.Update, r.Enter(), uitest.Quick)
	if v := r.View(); !strings.Contains(v, "✓ merverdiavgift") || len(env.Flow.RequestPackages) != 0 {
		t.Fatalf("after the system changed (request packages %v):\n%s", env.Flow.RequestPackages, v)
	}
}

// Step 5 shows the request's status as step 6 last read it: going back after the approval
// showed Status New.
func TestRequestShowsTheStatusStep6Read(t *testing.T) {
	t.Parallel()
	world := uitest.NewWorld(t)
	env := world.EnvWith(world.Requested(t))
	r := enteredRequest(env, 100, 40)
	if !strings.Contains(r.View(), "New") {
		t.Fatalf("a new request:\n%s", r.View())
	}
	env.Flow.Status = altinn.StatusAccepted // what step 6's poll records
	if v := r.View(); !strings.Contains(v, "Accepted") || strings.Contains(v, "Status    New") {
		t.Fatalf("after step 6 read Accepted:\n%s", v)
	}
}

// Step 7's external reference, changed from the request's, is warned of in the form: the
// token would fail with MP-303, whose first usual cause says the customer has not approved.
func TestTokenFormWarnsOfAnotherExternalRef(t *testing.T) {
	t.Parallel()
	w := uitest.NewWorld(t)
	env := w.EnvWith(w.Approved(t))
	tok := NewToken(env, 6)
	tok.SetSize(100, 40)
	uitest.RunCmd(tok.Update, tok.Enter(), uitest.Quick)
	if tok.refAdvice() != "" {
		t.Fatalf("advice for the request's own reference: %q", tok.refAdvice())
	}
	tok.ref = "wrong"
	if a := tok.refAdvice(); !strings.Contains(a, env.Flow.ExternalRef) || !strings.Contains(a, "MP-303") {
		t.Fatalf("advice for another reference: %q", a)
	}
	tok.org = "311000004" // another organisation's system user: no advice
	if a := tok.refAdvice(); a != "" {
		t.Fatalf("advice for another organisation: %q", a)
	}
	// A request without an external reference has the organisation number as its own.
	tok.org, env.Flow.ExternalRef = env.Flow.CustomerOrg, ""
	for ref, warned := range map[string]bool{"": false, env.Flow.CustomerOrg: false, "x": true} {
		tok.ref = ref
		if a := tok.refAdvice(); (a != "") != warned || (warned && !strings.Contains(a, env.Flow.CustomerOrg)) {
			t.Errorf("ref %q on a request without one: advice %q", ref, a)
		}
	}
}

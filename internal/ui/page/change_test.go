package page

import (
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
)

// Step 5's change path: the customer already has a system user for the system with fewer
// packages than now asked for, so step 5 offers a change request (k), and step 6 follows it
// and approves it as the customer in the sandbox, like a new request.
func TestRequestStepOffersAChangeRequest(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	ctx := h.Env.Base
	d := h.RegisterSystem(t, "974761076_change", "skattegrunnlag", "a-ordning")
	first, err := steps.CreateRequest(ctx, h.Env.Session, steps.RequestParams{SystemID: d.ID, OrgNo: "313367002", Packages: []string{"skattegrunnlag"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.SB.Approve(first.Request.ID); err != nil {
		t.Fatal(err)
	}

	s := NewRequest(h.Env, 4)
	s.SetSize(80, 22)
	s.values = reqValues{SystemID: d.ID, Org: "313367002", Packages: []string{"urn:altinn:accesspackage:skattegrunnlag", "urn:altinn:accesspackage:a-ordning"}}
	uitest.RunCmd(s.Update, s.submit(""), 2*time.Second)
	v := s.View()
	if s.plan == nil || !strings.Contains(v, "Would add    a-ordning") || !uitest.Offers(s, "k", "ask for the change") || s.Done() {
		t.Fatalf("plan view:\n%s", v)
	}
	if acts := s.Actions(); len(acts) == 0 || acts[0].Key.Help().Key != "k" {
		t.Fatalf("footer: %v", acts)
	}
	uitest.RunCmd(s.Update, uitest.StepKey(s, "k"), 2*time.Second)
	fl := h.Env.Flow
	if !s.Done() || !fl.Change || fl.Status != altinn.StatusNew || !strings.Contains(fl.ConfirmURL, "/changerequest?id="+fl.RequestID) {
		t.Fatalf("after k: done=%v flow=%+v\n%s", s.Done(), fl, s.View())
	}
	if !strings.Contains(s.View(), "Change request created") {
		t.Fatalf("view:\n%s", s.View())
	}

	a := NewApproval(h.Env, 5)
	a.SetSize(80, 22)
	// uitest.Wait (300 ms) drops the once-a-second countdown ticks, so the run ends.
	uitest.RunCmd(a.Update, a.Enter(), uitest.Wait)
	if a.status != altinn.StatusNew {
		t.Fatalf("status %q: %s", a.status, a.View())
	}
	uitest.RunCmd(a.Update, uitest.StepKey(a, "a"), uitest.Wait)
	if !a.Done() || !strings.Contains(a.View(), "has the new packages") {
		t.Fatalf("after approving:\n%s", a.View())
	}
	cr, err := h.Env.Session.Altinn().GetChangeRequest(ctx, fl.RequestID)
	if err != nil || cr.Status != altinn.StatusAccepted {
		t.Fatalf("%+v %v", cr, err)
	}

	// Asking again for what the system user now has needs nothing: it is ready for the token.
	s2 := NewRequest(h.Env, 4)
	s2.SetSize(80, 22)
	s2.values = s.values
	uitest.RunCmd(s2.Update, s2.submit(""), 2*time.Second)
	if !s2.Done() || h.Env.Flow.Change || h.Env.Flow.RequestID != first.Request.ID || !strings.Contains(s2.View(), "everything asked for") {
		t.Fatalf("nothing to change: %+v\n%s", h.Env.Flow, s2.View())
	}
}

// Step 8 for an agent system user: a client's resource answers 403 until the facilitator adds
// the client, and the step says so with the fix.
func TestCallStepExplainsAMissingClient(t *testing.T) {
	t.Parallel()
	h, s, id := agentCallStep(t, "974761076_agent", 80, 22, nil)
	s.input.SetValue(h.Env.Session.Env.Skatteetaten + "api/sample/v1/parties/314000005/status")
	uitest.RunCmd(s.Update, uitest.StepKey(s, "enter"), 2*time.Second)
	v := s.View()
	if s.result == nil || s.result.Status != 403 || !strings.Contains(strings.Join(strings.Fields(v), " "), "the facilitator must add this client to the system user in Altinn") {
		t.Fatalf("view:\n%s", v)
	}
	if err := h.SB.AddClient(id, "314000005"); err != nil {
		t.Fatal(err)
	}
	uitest.RunCmd(s.Update, uitest.StepKey(s, "enter"), 2*time.Second)
	if !s.Done() {
		t.Fatalf("after adding the client:\n%s", s.View())
	}
}

// Step 8 asks an agent system user's caller for the client (k): a number that breaks MOD11 is
// refused next to the field and stays typed; a client the facilitator added answers 200, one
// it did not answers 403 with the fix.
func TestCallStepAsksForTheClient(t *testing.T) {
	t.Parallel()
	_, s, _ := agentCallStep(t, "974761076_agentclient", 80, 22, func(h *uitest.Harness, id string) {
		if err := h.SB.AddClient(id, "313000001"); err != nil {
			t.Fatal(err)
		}
	})
	if !strings.Contains(s.View(), "k calls for one") {
		t.Fatalf("no client hint:\n%s", s.View())
	}
	uitest.StepKey(s, "k")
	if !s.Capturing() {
		t.Fatal("k did not focus the client field")
	}
	for _, r := range "313000002" {
		s.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	uitest.StepKey(s, "enter")
	if v := s.View(); !strings.Contains(v, "client organisation number") || !strings.Contains(v, "313000002") || !s.client.Focused() {
		t.Fatalf("bad number not refused next to the field:\n%s", v)
	}
	s.client.SetValue("314000005")
	uitest.RunCmd(s.Update, uitest.StepKey(s, "enter"), 2*time.Second)
	if v := strings.Join(strings.Fields(s.View()), " "); s.result == nil || s.result.Status != 403 || !strings.Contains(v, "the facilitator must add this client to the system user in Altinn") {
		t.Fatalf("other org:\n%s", s.View())
	}
	uitest.StepKey(s, "k")
	s.client.SetValue("313000001")
	uitest.RunCmd(s.Update, uitest.StepKey(s, "enter"), 2*time.Second)
	if s.result == nil || s.result.Status != 200 || !s.Done() || !strings.Contains(s.input.Value(), "/parties/313000001/status") {
		t.Fatalf("delegated client: %+v\n%s", s.result, s.View())
	}
}

// The answer's line outlives the token: once its expiry has passed it says "expired … ago",
// not "expires … ago".
func TestCallStepSaysWhenTheTokenHasExpired(t *testing.T) {
	t.Parallel()
	h, s, _ := agentCallStep(t, "974761076_expiry", 100, 30, nil)
	uitest.RunCmd(s.Update, uitest.StepKey(s, "enter"), 2*time.Second)
	if s.result == nil || s.result.Status != 200 || !strings.Contains(s.View(), "expires in") {
		t.Fatalf("first call:\n%s", s.View())
	}
	h.Clock.Add(s.result.TokenExpiry.Sub(h.Clock.Now()) + 12*time.Second)
	if v := s.View(); !strings.Contains(v, "expired 12s ago") || strings.Contains(v, "expires 12s ago") {
		t.Fatalf("after the expiry:\n%s", v)
	}
}

// agentCallStep is step 8 at w×h on the flow of Rask Regnskap AS's approved agent system user
// for systemID; before runs on the harness first (adding a client).
func agentCallStep(t *testing.T, systemID string, w, h int, before func(*uitest.Harness, string)) (*uitest.Harness, *callStep, string) {
	t.Helper()
	hr := uitest.NewHarness(t)
	r := hr.ApprovedAccountantSystemUser(t, systemID)
	if before != nil {
		before(hr, r.Request.ID)
	}
	fl := hr.Env.Flow
	fl.CustomerOrg, fl.Agent, fl.RequestID, fl.Status = "311000004", true, r.Request.ID, altinn.StatusAccepted
	s := NewCall(hr.Env, 7)
	s.SetSize(w, h)
	s.Enter()
	return hr, s, r.Request.ID
}

// approvedCallStep is step 8 at width×30, entered, on an approved standard request.
func approvedCallStep(t *testing.T, w *uitest.World, width int) *callStep {
	s := NewCall(w.EnvWith(w.Approved(t)), 7)
	s.SetSize(width, 30)
	s.Enter()
	return s
}

// t to Dialogporten's list and t back returns to the URL the user set, not the default.
func TestCallStepDialogportenAndBackKeepsTheURL(t *testing.T) {
	t.Parallel()
	w := uitest.NewWorld(t)
	s := approvedCallStep(t, w, 100)
	custom := w.H.Env.Session.Env.Skatteetaten + "api/sample/v1/access"
	s.input.SetValue(custom)
	uitest.RunCmd(s.Update, uitest.StepKey(s, "enter"), 2*time.Second)
	uitest.RunCmd(s.Update, uitest.StepKey(s, "t"), 2*time.Second)
	if !steps.IsDialogportenURL(s.input.Value()) {
		t.Fatalf("t: %q", s.input.Value())
	}
	uitest.RunCmd(s.Update, uitest.StepKey(s, "t"), 2*time.Second)
	if s.input.Value() != custom {
		t.Fatalf("t back: %q, want %q", s.input.Value(), custom)
	}
}

// After t the URL is shown whole at 80 columns, wrapped, not as the field's window on it (which
// showed "ttp://…" or its middle); u then edits at its end, so ctrl+u clears it.
func TestCallStepShowsTheWholeURLAndEditsAtItsEnd(t *testing.T) {
	t.Parallel()
	s := approvedCallStep(t, uitest.NewWorld(t), 80)
	uitest.RunCmd(s.Update, uitest.StepKey(s, "t"), 2*time.Second)
	u := s.input.Value()
	if flat := strings.Join(strings.Fields(strings.ReplaceAll(s.View(), "\n", "")), ""); !strings.Contains(flat, u) {
		t.Fatalf("the URL %s is not shown whole:\n%s", u, s.View())
	}
	uitest.StepKey(s, "u")
	s.Update(uitest.Press("ctrl+u"))
	s.Update(uitest.Press("X"))
	if s.input.Value() != "X" {
		t.Fatalf("u then ctrl+u X gave %q", s.input.Value())
	}
}

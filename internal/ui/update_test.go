package ui

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
)

// wait bounds how long a test waits for a command's answer: the harness's Tick never fires, so
// only real calls (the sandbox on loopback) and animations remain, and a loaded machine can
// make a call slower than a short window (the CI failure of TestNavigationAndHelp).
const wait = 10 * time.Second

func sized(a *App, w, h int) {
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
}

// upd adapts App.Update to run().
func upd(a *App) func(tea.Msg) tea.Cmd {
	return func(m tea.Msg) tea.Cmd { _, c := a.Update(m); return c }
}

func TestFirstScreenAt80x24(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := New(h.env, nil)
	sized(a, 80, 24)
	runCmd(upd(a), a.Init(), wait) // the environment check
	screen := a.View()
	if !strings.Contains(screen, "SANDBOX") || !strings.Contains(screen, "✓ clock") {
		t.Fatalf("first screen:\n%s", screen)
	}
	if n := len(strings.Split(screen, "\n")); n != 24 {
		t.Fatalf("%d lines, want 24:\n%s", n, screen)
	}
	for _, line := range strings.Split(screen, "\n") {
		if w := len([]rune(line)); w > 80 {
			t.Fatalf("line wider than 80 (%d): %q", w, line)
		}
	}
	golden(t, "env-80x24", screen)
	if !a.DoneSteps()[0] {
		t.Fatal("step 1 not marked done")
	}
}

func TestMinimumSizeScreen(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := New(h.env, nil)
	sized(a, 50, 15)
	if s := a.View(); !strings.Contains(s, "at least 60×20") || !strings.Contains(s, "50×15") {
		t.Fatalf("small screen: %q", s)
	}
}

func TestQuitAsksWhileBusy(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := New(h.env, nil)
	sized(a, 80, 24)
	a.Init() // starts the check: busy, and its result is never delivered here
	if !a.steps[0].Busy() {
		t.Fatal("step 1 is not busy after Init")
	}
	_, cmd := a.Update(press("ctrl+c"))
	if cmd != nil || !a.confirmQuit || !strings.Contains(a.View(), "Quit anyway? y quit • n stay") {
		t.Fatal("ctrl+c mid-call did not ask")
	}
	a.Update(press("n"))
	if a.confirmQuit || a.Quitting {
		t.Fatal("n did not cancel quitting")
	}
	a.Update(press("ctrl+c"))
	if _, cmd = a.Update(press("y")); cmd == nil || !a.Quitting {
		t.Fatal("y did not quit")
	}
}

func TestNavigationAndHelp(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := New(h.env, nil)
	sized(a, 100, 30)
	run(upd(a), press("n"), wait)
	if a.Current() != 1 {
		t.Fatalf("n: step %d", a.Current())
	}
	run(upd(a), press("b"), wait)
	if a.Current() != 0 {
		t.Fatalf("b: step %d", a.Current())
	}
	a.Update(press("?"))
	if !strings.Contains(a.View(), "next step") || !strings.Contains(a.View(), "ctrl+c") || !a.fullHelp {
		t.Fatal("? did not show full help")
	}
	// Single letters belong to a focused text field: on step 8, u edits the URL.
	a.goTo(7)
	a.Update(press("u"))
	if a.Current() != 7 || !a.steps[7].Capturing() {
		t.Fatalf("step 8 input not focused (step %d)", a.Current())
	}
	a.Update(press("q"))
	if a.Quitting {
		t.Fatal("q quit while typing a URL")
	}
}

func TestResumeRestoresFlowAndStep(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	saved := &Progress{Version: 1, Current: 5, Done: []bool{true, true, true, true, true, false, false, false},
		UpdatedAt: t0, Flow: Flow{SystemID: "974761076_x", RequestID: "r-1", CustomerOrg: "313367002", Status: "New", ConfirmURL: "http://x/altinn-ui/y"}}
	a := New(h.env, saved)
	sized(a, 80, 24)
	if a.Init() != nil || !strings.Contains(a.View(), "Resume where you left off?") || !strings.Contains(a.View(), "Request r-1 for 313367002") {
		t.Fatalf("resume screen:\n%s", a.View())
	}
	a.Update(press("r"))
	if a.Current() != 5 || h.env.Flow.RequestID != "r-1" || !a.DoneSteps()[4] {
		t.Fatalf("after resume: step %d, flow %+v", a.Current(), h.env.Flow)
	}
	// Nothing to resume when everything is done.
	all := &Progress{Done: []bool{true, true, true, true, true, true, true, true}}
	if New(h.env, all).resume != nil {
		t.Fatal("a finished run was offered for resuming")
	}
}

func TestEnvStepIgnoresStaleResults(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := newEnvStep(h.env, 0)
	s.SetSize(80, 20)
	s.check()
	s.check() // the first call is superseded
	if cmd := s.Update(checkedMsg{step: 0, seq: 1, checks: []steps.Check{{Name: "metadata", Verdict: steps.Fail}}}); cmd != nil || s.checks != nil {
		t.Fatal("a stale result was applied")
	}
	if s.Update(checkedMsg{step: 1, seq: 2, checks: []steps.Check{}}); s.checks != nil {
		t.Fatal("another step's result was applied")
	}
	cmd := s.Update(checkedMsg{step: 0, seq: 2, checks: []steps.Check{{Name: "metadata", Verdict: steps.Fail, Detail: "unreachable", Fix: "check the network"}}})
	if cmd != nil || s.Done() || !strings.Contains(s.View(), "check the network") {
		t.Fatalf("failed check: done=%v view=%s", s.Done(), s.View())
	}
	rechecked := false
	for _, m := range collect(stepKey(s, "r"), wait) {
		_, ok := m.(checkedMsg)
		rechecked = rechecked || ok
	}
	if !rechecked {
		t.Fatal("r did not re-check")
	}
}

func TestApprovalStepOutcomes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.env.Flow.RequestID, h.env.Flow.ConfirmURL, h.env.Flow.Agent = "r-1", h.env.Session.Env.AltinnApprovalUI+"x?id=r-1", true
	s := newApprovalStep(h.env, 5)
	s.SetSize(80, 20)
	s.pollWork.seq = 1
	s.pollWork.busy = true
	cmd := s.Update(pollResultMsg{seq: 1, req: &altinn.Request{ID: "r-1", Status: altinn.StatusRejected}})
	if cmd != nil || s.Done() || !strings.Contains(s.View(), "rejected") {
		t.Fatalf("rejected: %s", s.View())
	}
	msgs := collect(stepKey(s, "d"), wait)
	var gotGoto, gotRecreate bool
	for _, m := range msgs {
		switch m := m.(type) {
		case gotoStepMsg:
			gotGoto = m.step == 4
		case recreateRequestMsg:
			gotRecreate = true
		}
	}
	if !gotGoto || !gotRecreate {
		t.Fatalf("d did not go back and recreate: %v", msgs)
	}
	s.pollWork.seq, s.pollWork.busy = 2, true
	msgs = collect(s.Update(pollResultMsg{seq: 2, req: &altinn.Request{ID: "r-1", Status: altinn.StatusAccepted}}), wait)
	if len(msgs) != 1 || msgs[0] != (completedMsg{step: 5}) || !s.Done() {
		t.Fatalf("accepted while another step is shown: %v", msgs)
	}
	// On screen, an approval moves on to the token.
	s.accepted = false
	s.active = true
	s.pollWork.seq, s.pollWork.busy = 3, true
	msgs = collect(s.Update(pollResultMsg{seq: 3, req: &altinn.Request{ID: "r-1", Status: altinn.StatusAccepted}}), wait)
	if len(msgs) != 2 || (msgs[0] != (advanceMsg{}) && msgs[1] != (advanceMsg{})) {
		t.Fatalf("accepted on screen: %v", msgs)
	}
	// Keys work while a background check is in flight.
	s.accepted, s.status = false, altinn.StatusNew
	s.pollWork.busy = true
	stepKey(s, "c")
	s.pollWork.busy = false
	// Copying puts the URL on the clipboard.
	if len(h.copied) != 1 || h.copied[0] != h.env.Flow.ConfirmURL {
		t.Fatalf("copied = %v", h.copied)
	}
}

type explained struct{}

func (explained) Error() string { return "Maskinporten refused the token request with MP-303" }
func (explained) Explain() string {
	return "MP-303 … Usual causes and fixes:\n  1. not approved\n  2. externalRef"
}

func TestTokenStepShowsTheExplanation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := newTokenStep(h.env, 6)
	s.SetSize(80, 20)
	s.org, s.scope = "313367002", "skatteetaten:innrapporteringboligselskap"
	s.work.seq, s.work.busy = 1, true
	s.Update(tokenResultMsg{seq: 1, err: errors.Join(explained{})})
	v := s.View()
	if !strings.Contains(v, "Usual causes and fixes") || !strings.Contains(v, "externalRef") || s.Done() {
		t.Fatalf("view:\n%s", v)
	}
}

func TestSystemStepBlocksLocalProblems(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := newSystemStep(h.env, 3)
	s.SetSize(100, 40)
	s.Enter()
	s.values.ID, s.values.Name, s.values.Description = "974761076_demo", "Demo", "Demo"
	s.values.Packages = []string{"urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet"}
	s.values.Visible = true
	s.preview()
	if len(s.file.Problems) != 1 || s.file.Problems[0].Code != "AUTH.VLD-00018" {
		t.Fatalf("problems = %+v", s.file.Problems)
	}
	if cmd := stepKey(s, "enter"); cmd != nil {
		t.Fatal("enter registered a system with problems")
	}
	if !strings.Contains(s.View(), "isVisible") || !strings.Contains(s.View(), "Set isVisible to false") {
		t.Fatalf("view:\n%s", s.View())
	}
	// Editing keeps what was typed.
	stepKey(s, "e")
	if s.values.ID != "974761076_demo" || s.mode != sysForm {
		t.Fatal("edit lost the values")
	}
}

func TestInspectAppDecodesPastedToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tok, _, err := h.env.Session.Token(h.env.Base, tokenReq("digdir:dialogporten"))
	if err != nil {
		t.Fatal(err)
	}
	a := NewInspectApp(h.env, func(_ context.Context, _ string) (*steps.Session, error) { return h.env.Session, nil })
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	a.box.SetValue("Bearer " + tok.AccessToken)
	run(func(m tea.Msg) tea.Cmd { _, c := a.Update(m); return c }, press("ctrl+s"), 2*time.Second)
	if a.inspection == nil || !strings.Contains(a.View(), "[signature not verified]") {
		t.Fatalf("view:\n%s", a.View())
	}
	run(func(m tea.Msg) tea.Cmd { _, c := a.Update(m); return c }, press("v"), 2*time.Second)
	if !a.inspection.Verified || !strings.Contains(a.View(), "[signature verified]") {
		t.Fatalf("after v:\n%s", a.View())
	}
}

func TestKeyStepGeneratesAndProvisions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := newKeyStep(h.env, 2)
	s.SetSize(100, 30)
	s.Enter()
	if !s.keyOK() || !offers(s, "enter", "use this key") {
		t.Fatalf("configured key not offered:\n%s", s.View())
	}
	stepKey(s, "g")
	if s.generated == nil || !strings.Contains(s.View(), `"kty": "RSA"`) || strings.Contains(s.View(), `"d":`) {
		t.Fatalf("generate:\n%s", s.View())
	}
	if st, err := os.Stat(s.generated.PrivateKeyFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("private key file: %v %v", st, err)
	}
	stepKey(s, "c")
	if len(h.copied) != 1 || !strings.HasPrefix(h.copied[0], "[") {
		t.Fatalf("copied = %v", h.copied)
	}
	// u creates a client through the self-service API and switches the session to it.
	old := h.env.Session.Profile.ClientID
	runQueue(func(m tea.Msg) tea.Cmd { return s.Update(m) }, collect(stepKey(s, "u"), 5*time.Second), 5*time.Second)
	if s.prov == nil || h.env.Session.Profile.ClientID == old || !s.Done() {
		t.Fatalf("provision: %v\n%s", s.err, s.View())
	}
	if _, _, err := h.env.Session.Token(h.env.Base, tokenReq("digdir:dialogporten")); err != nil {
		t.Fatalf("token with the provisioned client: %v", err)
	}
}

func TestRequestStepSubmitsAndRecreates(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sys := h.systemFile(t)
	f, err := steps.ReadSystemFile(sys, h.env.Session.Catalog(h.env.Base), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := steps.RegisterSystem(h.env.Base, h.env.Session, f.Definition, false); err != nil {
		t.Fatal(err)
	}
	s := newRequestStep(h.env, 4)
	s.SetSize(100, 30)
	s.values = reqValues{SystemID: f.Definition.ID, Org: "313 367 002", Agent: true,
		Packages: []string{"urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet"}}
	update := func(m tea.Msg) tea.Cmd { return s.Update(m) }
	runCmd(update, s.lookup(), 5*time.Second)
	if got := s.note(); got != "313367002: Lystig Ærlig Tiger AS" {
		t.Fatalf("org description = %q", got)
	}
	runCmd(update, s.submit(""), 5*time.Second)
	if !s.Done() || h.env.Flow.RequestID == "" || h.env.Flow.CustomerOrg != "313367002" || !strings.Contains(s.View(), "Lystig Ærlig Tiger AS") {
		t.Fatalf("submit: %v\n%s", s.err, s.View())
	}
	first := h.env.Flow.RequestID
	if _, err := h.sb.Reject(first); err != nil {
		t.Fatal(err)
	}
	runCmd(update, s.submit(""), 5*time.Second) // Altinn returns the rejected request
	if s.Done() || !offers(s, "d", "delete and recreate") {
		t.Fatalf("rejected:\n%s", s.View())
	}
	runCmd(update, stepKey(s, "d"), 5*time.Second)
	if !s.Done() || h.env.Flow.RequestID == first {
		t.Fatalf("recreate: %v\n%s", s.err, s.View())
	}
}

func TestCallStepShowsReuse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := newCallStep(h.env, 7)
	s.SetSize(100, 30)
	h.env.Flow.CustomerOrg = "313367002"
	s.Enter()
	if s.Capturing() || !strings.Contains(s.input.Value(), "/skatteetaten/api/sample/v1/whoami") {
		t.Fatalf("default URL: %q", s.input.Value())
	}
	update := func(m tea.Msg) tea.Cmd { return s.Update(m) }
	runCmd(update, stepKey(s, "enter"), 5*time.Second)
	// No system user yet: Maskinporten's MP-303, explained in the step.
	if s.err == nil || !strings.Contains(s.View(), "MP-303") || s.Capturing() {
		t.Fatalf("without a system user:\n%s", s.View())
	}
	if offers(s, "h", "") {
		t.Fatal("headers offered without an answer")
	}
	stepKey(s, "u")
	if !s.Capturing() {
		t.Fatal("u did not focus the URL")
	}
}

// stepKey presses k on a step as the root model would: through its actions, or into its
// focused field.
func stepKey(s Step, k string) tea.Cmd {
	if cmd, ok := dispatch(s.Actions(), press(k)); ok {
		return cmd
	}
	if s.Capturing() {
		return s.Update(press(k))
	}
	return nil
}

// offers reports whether a step's help names key k (with desc, when given).
func offers(s Step, k, desc string) bool {
	for _, a := range s.Actions() {
		if a.key.Help().Key == k && (desc == "" || a.key.Help().Desc == desc) {
			return true
		}
	}
	return false
}

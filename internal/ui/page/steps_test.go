package page

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

func TestEnvStepIgnoresStaleResults(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	s := NewEnv(h.Env, 0)
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
	for _, m := range uitest.Collect(uitest.StepKey(s, "r"), uitest.Wait) {
		_, ok := m.(checkedMsg)
		rechecked = rechecked || ok
	}
	if !rechecked {
		t.Fatal("r did not re-check")
	}
}

func TestApprovalStepOutcomes(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	h.Env.Flow.RequestID, h.Env.Flow.ConfirmURL, h.Env.Flow.Agent = "r-1", h.Env.Session.Env.AltinnApprovalUI+"x?id=r-1", true
	s := NewApproval(h.Env, 5)
	s.SetSize(80, 20)
	s.pollWork.Seq = 1
	s.pollWork.Busy = true
	cmd := s.Update(pollResultMsg{seq: 1, req: &altinn.Request{ID: "r-1", Status: altinn.StatusRejected}})
	if cmd != nil || s.Done() || !strings.Contains(s.View(), "rejected") {
		t.Fatalf("rejected: %s", s.View())
	}
	msgs := uitest.Collect(uitest.StepKey(s, "d"), uitest.Wait)
	var gotGoto, gotRecreate bool
	for _, m := range msgs {
		switch m := m.(type) {
		case kit.GotoStepMsg:
			gotGoto = m.Step == 4
		case recreateRequestMsg:
			gotRecreate = true
		}
	}
	if !gotGoto || !gotRecreate {
		t.Fatalf("d did not go back and recreate: %v", msgs)
	}
	s.pollWork.Seq, s.pollWork.Busy = 2, true
	msgs = uitest.Collect(s.Update(pollResultMsg{seq: 2, req: &altinn.Request{ID: "r-1", Status: altinn.StatusAccepted}}), uitest.Wait)
	if len(msgs) != 1 || msgs[0] != (kit.CompletedMsg{Step: 5}) || !s.Done() {
		t.Fatalf("accepted while another step is shown: %v", msgs)
	}
	// On screen, an approval moves on to the token.
	s.accepted = false
	s.active = true
	s.pollWork.Seq, s.pollWork.Busy = 3, true
	msgs = uitest.Collect(s.Update(pollResultMsg{seq: 3, req: &altinn.Request{ID: "r-1", Status: altinn.StatusAccepted}}), uitest.Wait)
	if len(msgs) != 2 || (msgs[0] != (kit.AdvanceMsg{}) && msgs[1] != (kit.AdvanceMsg{})) {
		t.Fatalf("accepted on screen: %v", msgs)
	}
	// Keys work while a background check is in flight.
	s.accepted, s.status = false, altinn.StatusNew
	s.pollWork.Busy = true
	uitest.StepKey(s, "c")
	s.pollWork.Busy = false
	// Copying puts the URL on the clipboard.
	if len(h.Copied) != 1 || h.Copied[0] != h.Env.Flow.ConfirmURL {
		t.Fatalf("copied = %v", h.Copied)
	}
}

type explained struct{}

func (explained) Error() string { return "Maskinporten refused the token request with MP-303" }
func (explained) Explain() string {
	return "MP-303 … Usual causes and fixes:\n  1. not approved\n  2. externalRef"
}

func TestTokenStepShowsTheExplanation(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	s := NewToken(h.Env, 6)
	s.SetSize(80, 20)
	s.org, s.scope = "313367002", "skatteetaten:innrapporteringboligselskap"
	s.work.Seq, s.work.Busy = 1, true
	s.Update(tokenResultMsg{seq: 1, err: errors.Join(explained{})})
	v := s.View()
	if !strings.Contains(v, "Usual causes and fixes") || !strings.Contains(v, "externalRef") || s.Done() {
		t.Fatalf("view:\n%s", v)
	}
}

func TestSystemStepBlocksLocalProblems(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	s := NewSystem(h.Env, 3)
	s.SetSize(100, 40)
	s.Enter()
	s.values.ID, s.values.Name, s.values.Description = "974761076_demo", "Demo", "Demo"
	s.values.Packages = []string{"urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet"}
	s.values.Visible = true
	s.preview()
	if len(s.file.Problems) != 1 || s.file.Problems[0].Code != "AUTH.VLD-00018" {
		t.Fatalf("problems = %+v", s.file.Problems)
	}
	if cmd := uitest.StepKey(s, "enter"); cmd != nil {
		t.Fatal("enter registered a system with problems")
	}
	if !strings.Contains(s.View(), "isVisible") || !strings.Contains(s.View(), "Set isVisible to false") {
		t.Fatalf("view:\n%s", s.View())
	}
	// Editing keeps what was typed.
	uitest.StepKey(s, "e")
	if s.values.ID != "974761076_demo" || s.mode != sysForm {
		t.Fatal("edit lost the values")
	}
}

func TestKeyStepGeneratesAndProvisions(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	s := NewKey(h.Env, 2)
	s.SetSize(100, 30)
	s.Enter()
	if !s.keyOK() || !uitest.Offers(s, "enter", "use this key") {
		t.Fatalf("configured key not offered:\n%s", s.View())
	}
	uitest.StepKey(s, "g")
	if s.generated == nil || !strings.Contains(s.View(), `"kty": "RSA"`) || strings.Contains(s.View(), `"d":`) {
		t.Fatalf("generate:\n%s", s.View())
	}
	if !uitest.Offers(s, "enter", "keep the configured key") { // the new pair is not in use yet
		t.Fatalf("after g, enter does not say it keeps the configured key:\n%s", s.View())
	}
	if st, err := os.Stat(s.generated.PrivateKeyFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("private key file: %v %v", st, err)
	}
	uitest.StepKey(s, "c")
	if len(h.Copied) != 1 || !strings.HasPrefix(h.Copied[0], "[") {
		t.Fatalf("copied = %v", h.Copied)
	}
	// u creates a client through the self-service API and switches the session to it.
	old := h.Env.Session.Profile.ClientID
	uitest.RunQueue(func(m tea.Msg) tea.Cmd { return s.Update(m) }, uitest.Collect(uitest.StepKey(s, "u"), 5*time.Second), 5*time.Second)
	if s.prov == nil || h.Env.Session.Profile.ClientID == old || !s.Done() {
		t.Fatalf("provision: %v\n%s", s.err, s.View())
	}
	if _, _, err := h.Env.Session.Token(h.Env.Base, uitest.TokenReq("digdir:dialogporten")); err != nil {
		t.Fatalf("token with the provisioned client: %v", err)
	}
	// A second u asks first, and makes another client only when pressed again.
	made := h.Env.Session.Profile.ClientID
	if cmd := uitest.StepKey(s, "u"); cmd != nil || h.Env.Session.Profile.ClientID != made || !strings.Contains(s.View(), "Press u again") {
		t.Fatalf("a second u did not ask first:\n%s", s.View())
	}
	uitest.RunQueue(func(m tea.Msg) tea.Cmd { return s.Update(m) }, uitest.Collect(uitest.StepKey(s, "u"), 5*time.Second), 5*time.Second)
	if h.Env.Session.Profile.ClientID == made {
		t.Fatalf("u pressed again made no client: %v\n%s", s.err, s.View())
	}
	// It has the scope step 8's k lists an agent system user's clients with, too.
	if _, _, err := h.Env.Session.Token(h.Env.Base, uitest.TokenReq("altinn:accessmanagement/authorizedparties")); err != nil {
		t.Fatalf("the provisioned client lacks altinn:accessmanagement/authorizedparties: %v", err)
	}
}

func TestRequestStepSubmitsAndRecreates(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	sys := h.SystemFile(t)
	f, err := steps.ReadSystemFile(sys, h.Env.Session.Catalog(h.Env.Base), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := steps.RegisterSystem(h.Env.Base, h.Env.Session, f.Definition, false); err != nil {
		t.Fatal(err)
	}
	s := NewRequest(h.Env, 4)
	s.SetSize(100, 30)
	s.values = reqValues{SystemID: f.Definition.ID, Org: "313 367 002", Agent: true,
		Packages: []string{"urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet"}}
	update := func(m tea.Msg) tea.Cmd { return s.Update(m) }
	uitest.RunCmd(update, s.lookup(), 5*time.Second)
	if got := s.note(); got != "313367002: Lystig Ærlig Tiger AS" {
		t.Fatalf("org description = %q", got)
	}
	uitest.RunCmd(update, s.submit(""), 5*time.Second)
	if !s.Done() || h.Env.Flow.RequestID == "" || h.Env.Flow.CustomerOrg != "313367002" || !strings.Contains(s.View(), "Lystig Ærlig Tiger AS") {
		t.Fatalf("submit: %v\n%s", s.err, s.View())
	}
	first := h.Env.Flow.RequestID
	if _, err := h.SB.Reject(first); err != nil {
		t.Fatal(err)
	}
	uitest.RunCmd(update, s.submit(""), 5*time.Second) // Altinn returns the rejected request
	if s.Done() || !uitest.Offers(s, "d", "delete and recreate") {
		t.Fatalf("rejected:\n%s", s.View())
	}
	uitest.RunCmd(update, uitest.StepKey(s, "d"), 5*time.Second)
	if !s.Done() || h.Env.Flow.RequestID == first {
		t.Fatalf("recreate: %v\n%s", s.err, s.View())
	}
}

func TestCallStepShowsReuse(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	s := NewCall(h.Env, 7)
	s.SetSize(100, 30)
	h.Env.Flow.CustomerOrg = "313367002"
	s.Enter()
	if s.Capturing() || !strings.Contains(s.input.Value(), "/skatteetaten/api/sample/v1/whoami") {
		t.Fatalf("default URL: %q", s.input.Value())
	}
	update := func(m tea.Msg) tea.Cmd { return s.Update(m) }
	uitest.RunCmd(update, uitest.StepKey(s, "enter"), 5*time.Second)
	// No system user yet: Maskinporten's MP-303, explained in the step.
	if s.err == nil || !strings.Contains(s.View(), "MP-303") || s.Capturing() {
		t.Fatalf("without a system user:\n%s", s.View())
	}
	if uitest.Offers(s, "h", "") {
		t.Fatal("headers offered without an answer")
	}
	uitest.StepKey(s, "u")
	if !s.Capturing() {
		t.Fatal("u did not focus the URL")
	}
}

// Step 4's client id answer, left as Enter filled it in, follows the profile's client when
// step 3's u switches to a new one; one the user typed stays.
func TestSystemStepClientIDFollowsANewClient(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	s := NewSystem(h.Env, 3)
	s.Enter()
	old := h.Env.Session.Profile.ClientID
	if s.values.ClientIDs != old {
		t.Fatalf("seeded %q, want %q", s.values.ClientIDs, old)
	}
	k, err := h.Env.Session.Key()
	if err != nil {
		t.Fatal(err)
	}
	h.Env.Session = h.Env.Session.WithKey("9f3c1d2e-0000-4000-8000-00000000000a", k) // what u does
	s.Enter()
	if s.values.ClientIDs != "9f3c1d2e-0000-4000-8000-00000000000a" {
		t.Fatalf("after a new client the answer is %q", s.values.ClientIDs)
	}
	s.values.ClientIDs = "typed-by-the-user"
	h.Env.Session = h.Env.Session.WithKey(old, k)
	s.Enter()
	if s.values.ClientIDs != "typed-by-the-user" {
		t.Fatalf("a typed answer became %q", s.values.ClientIDs)
	}
}

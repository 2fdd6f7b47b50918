package page

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// Step 6 of a request that waits says what to ask the customer after a few checks; once the
// customer forwards it to their Tilgangsstyrer it says so, read from the system's list (the
// GET by id leaves the mark out), and who must approve.
func TestApprovalStepShowsAForwardedRequest(t *testing.T) {
	t.Parallel()
	w := uitest.NewWorld(t)
	env := w.EnvWith(w.Requested(t))
	s := NewApproval(env, 5)
	s.SetSize(118, 60)
	check := func() string {
		t.Helper()
		uitest.RunCmd(s.Update, s.poll(), uitest.Quick)
		return s.View()
	}
	for i := 0; i < waitingAdviceAfter; i++ {
		if v := check(); strings.Contains(v, "Forwarded.") {
			t.Fatalf("check %d: forwarded before the customer did:\n%s", i+1, v)
		}
	}
	if v := s.View(); !strings.Contains(v, "Ja, send videre") || !strings.Contains(v, "sbs-tui explain") {
		t.Fatalf("no advice after %d checks:\n%s", s.polls, v)
	}
	if _, err := w.H.SB.Escalate(env.Flow.RequestID); err != nil {
		t.Fatal(err)
	}
	// The list is read on the first check and every escalationEvery-th after it.
	for s.polls%escalationEvery != 0 {
		if v := check(); strings.Contains(v, "Forwarded.") {
			t.Fatalf("check %d read the list early:\n%s", s.polls, v)
		}
	}
	v := check()
	if !strings.Contains(v, "Forwarded.") || !strings.Contains(v, "Tilgangsstyrer") || strings.Contains(v, "Still New?") || s.status != altinn.StatusNew {
		t.Fatalf("after forwarding (%d checks):\n%s", s.polls, v)
	}
	// p (check now) reads the list at once.
	s.escalated = false
	uitest.RunCmd(s.Update, uitest.StepKey(s, "p"), uitest.Quick)
	if !s.escalated || !strings.Contains(s.View(), "Forwarded.") {
		t.Fatalf("p did not read the mark:\n%s", s.View())
	}
	// A new request (step 5 changed) forgets the mark.
	s.Reset()
	if s.escalated {
		t.Fatal("Reset kept the forwarding mark")
	}
}

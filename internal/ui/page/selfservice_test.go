package page

import (
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"

	tea "github.com/charmbracelet/bubbletea"
)

// u in step 3 for an organisation that has not signed Digdir's terms of use: the 428 is shown
// with what to do; once the terms are signed, u again creates the client and the refusal is
// gone from the screen (a tmux walk found it still shown above the success message).
func TestKeyStepExplainsUnsignedTerms(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	if err := h.SB.SetTermsSigned(h.Boot.VendorOrg, false); err != nil {
		t.Fatal(err)
	}
	s := NewKey(h.Env, 2)
	s.SetSize(80, 24)
	s.Enter()
	update := func(m tea.Msg) tea.Cmd { return s.Update(m) }
	uitest.RunQueue(update, uitest.Collect(uitest.StepKey(s, "u"), 5*time.Second), 5*time.Second)
	view := s.View()
	if s.err == nil || s.Done() || !strings.Contains(view, "428") || !strings.Contains(view, "PRECONDITION_REQUIRED") ||
		!strings.Contains(view, "bruksvilkår") {
		t.Fatalf("unsigned terms:\n%s", view)
	}
	if err := h.SB.SetTermsSigned(h.Boot.VendorOrg, true); err != nil {
		t.Fatal(err)
	}
	uitest.RunQueue(update, uitest.Collect(uitest.StepKey(s, "u"), 5*time.Second), 5*time.Second)
	if view := s.View(); s.prov == nil || !s.Done() || s.err != nil || strings.Contains(view, "PRECONDITION_REQUIRED") {
		t.Fatalf("after signing: %v\n%s", s.err, view)
	}
}

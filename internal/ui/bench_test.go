package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
)

// BenchmarkFirstFrame is the time from building the wizard to its first drawn screen: New,
// Init, the window size, and View (the environment check runs asynchronously and is not
// waited for, as in the real program).
func BenchmarkFirstFrame(b *testing.B) {
	h := newHarness(b)
	b.ReportAllocs()
	for b.Loop() {
		a := New(h.env, nil)
		_ = a.Init()
		a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		if a.View() == "" {
			b.Fatal("empty frame")
		}
		a.steps[0].(*checkStep).work.stop()
	}
}

// BenchmarkViewApprovalQR is View() of the heaviest screen: the approval step with its QR code.
func BenchmarkViewApprovalQR(b *testing.B) {
	h := newHarness(b)
	a := New(h.env, nil)
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 52})
	h.env.Flow.RequestID = "0b9f3a8e-4c1d-4b57-9a8e-2f1c9d7e6a11"
	h.env.Flow.ConfirmURL = altinn.ConfirmURL(h.env.Session.Env.AltinnApprovalUI, h.env.Flow.RequestID, true)
	a.current = 5
	a.steps[5].(*approvalStep).status = altinn.StatusNew
	if v := a.View(); len(v) < 1000 {
		b.Fatalf("no QR drawn:\n%s", v)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = a.View()
	}
}

// BenchmarkViewInspector is View() of the token step's inspector.
func BenchmarkViewInspector(b *testing.B) {
	h := newHarness(b)
	tok, _, err := h.env.Session.Token(h.env.Base, tokenReq("digdir:dialogporten"))
	if err != nil {
		b.Fatal(err)
	}
	in, err := steps.Inspect(h.env.Base, tok.AccessToken, h.clock.Now(), h.env.Session)
	if err != nil {
		b.Fatal(err)
	}
	a := New(h.env, nil)
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	ts := a.steps[6].(*tokenStep)
	ts.org, ts.scope, ts.token, ts.inspection = "313367002", "digdir:dialogporten", tok, in
	a.current = 6
	b.ReportAllocs()
	for b.Loop() {
		_ = a.View()
	}
}

package page

import (
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// BenchmarkViewApprovalQR is View() of the heaviest step: the approval with its QR code.
func BenchmarkViewApprovalQR(b *testing.B) {
	h := uitest.NewHarness(b)
	h.Env.Flow.RequestID = "0b9f3a8e-4c1d-4b57-9a8e-2f1c9d7e6a11"
	h.Env.Flow.ConfirmURL = altinn.ConfirmURL(h.Env.Session.Env.AltinnApprovalUI, h.Env.Flow.RequestID, true)
	s := NewApproval(h.Env, 5)
	s.SetSize(98, 45) // the body of a 100×52 screen
	s.status = altinn.StatusNew
	if v := s.View(); len(v) < 1000 {
		b.Fatalf("no QR drawn:\n%s", v)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = s.View()
	}
}

// BenchmarkViewInspector is View() of the token step's inspector.
func BenchmarkViewInspector(b *testing.B) {
	h := uitest.NewHarness(b)
	tok, _, err := h.Env.Session.Token(h.Env.Base, uitest.TokenReq("digdir:dialogporten"))
	if err != nil {
		b.Fatal(err)
	}
	in, err := steps.Inspect(h.Env.Base, tok.AccessToken, h.Clock.Now(), h.Env.Session)
	if err != nil {
		b.Fatal(err)
	}
	ts := NewToken(h.Env, 6)
	ts.SetSize(98, 33) // the body of a 100×40 screen
	ts.org, ts.scope, ts.token, ts.inspection = "313367002", "digdir:dialogporten", tok, in
	b.ReportAllocs()
	for b.Loop() {
		_ = ts.View()
	}
}

package ui

import (
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
)

// Step 6's d (delete and recreate) on a rejected request sends a new request and shows it in
// step 5 (a newcomer's walk found it only went back, with the rejected request still shown).
func TestRejectedRequestIsRecreatedFromStep6(t *testing.T) {
	w := newWorld(t)
	a := w.requested(t)
	old := a.env.Flow.RequestID
	if _, err := w.h.sb.Reject(old); err != nil {
		t.Fatal(err)
	}
	a.env.Flow.Status = altinn.StatusRejected
	a.done = []bool{true, true, true, true, true, false, false, false}
	to(a, 5)
	ap := a.steps[5].(*approvalStep)
	if ap.status != altinn.StatusRejected {
		t.Fatalf("step 6 status %q", ap.status)
	}
	runCmd(upd(a), a.handleKey(press("d")), quick)
	r := a.steps[4].(*requestStep)
	if a.current != 4 || r.result == nil || r.result.Request.ID == old || r.result.Request.Status != altinn.StatusNew || a.env.Flow.RequestID == old {
		t.Fatalf("after d: step %d, flow request %s (old %s), result %+v\n%s", a.current+1, a.env.Flow.RequestID, old, r.result, a.View())
	}
}

package ui

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/ui/page"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
)

// Step 6 points to the status board once the system has more than one request, and not
// before (issue 12: "the wizard's step 6 links to it when more than one request exists").
func TestApprovalStepPointsToTheBoard(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	ctx := h.Env.Base
	d := h.RegisterSystem(t, "974761076_many", "skattegrunnlag")
	first, err := steps.CreateRequest(ctx, h.Env.Session, steps.RequestParams{SystemID: d.ID, OrgNo: "313367002", Packages: []string{"skattegrunnlag"}})
	if err != nil {
		t.Fatal(err)
	}
	fl := h.Env.Flow
	fl.SystemID, fl.CustomerOrg, fl.RequestID, fl.ConfirmURL, fl.Status = d.ID, "313367002", first.Request.ID, first.Request.ConfirmURL, altinn.StatusNew
	a := page.NewApproval(h.Env, 5)
	a.SetSize(80, 22)
	uitest.RunCmd(a.Update, a.Enter(), uitest.Wait)
	if v := a.View(); strings.Contains(v, "sbs-tui board") {
		t.Fatalf("one request, yet the board hint:\n%s", v)
	}
	if _, err := steps.CreateRequest(ctx, h.Env.Session, steps.RequestParams{SystemID: d.ID, OrgNo: "313000001", Packages: []string{"skattegrunnlag"}}); err != nil {
		t.Fatal(err)
	}
	a.Leave()
	uitest.RunCmd(a.Update, a.Enter(), uitest.Wait)
	if v := a.View(); !strings.Contains(v, "This system has 2 requests: sbs-tui board") {
		t.Fatalf("no board hint with two requests:\n%s", v)
	}
}

package requestcmd_test

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
)

// A request the customer forwarded to their Tilgangsstyrer (`sandbox escalate`, as the
// approval page's «Ja, send videre») is shown as such by `request status`, with who must
// approve it; before that, a New request says what to ask the customer.
func TestRequestStatusShowsAForwardedRequest(t *testing.T) {
	_, _, _, cmd := clitest.WithSeedPageSystem(t)
	var req struct{ ID string }
	clitest.Decode(t, clitest.Run(t, "", cmd("request", "create", "--system", "974761076_skatt_demo_system", "--org", "313367002", "--package", "skattegrunnlag", "--json")...), &req)

	r := clitest.Run(t, "", cmd("request", "status", req.ID)...)
	if r.Code != 0 || !strings.Contains(r.Stdout, altinn.WaitingAdvice) || strings.Contains(r.Stdout, "forwarded to") {
		t.Fatalf("status of a waiting request: %+v", r)
	}
	if r := clitest.Run(t, "", cmd("sandbox", "escalate", req.ID)...); r.Code != 0 || !strings.Contains(r.Stdout, "stays New") {
		t.Fatalf("escalate: %+v", r)
	}
	if r := clitest.Run(t, "", cmd("sandbox", "escalate", req.ID)...); r.Code != 0 || !strings.Contains(r.Stdout, "already forwarded") {
		t.Fatalf("escalate again: %+v", r)
	}
	r = clitest.Run(t, "", cmd("request", "status", req.ID)...)
	if r.Code != 0 || !strings.Contains(r.Stdout, "New (forwarded to the customer's Tilgangsstyrer)") || !strings.Contains(r.Stdout, altinn.EscalatedAdvice) {
		t.Fatalf("status of a forwarded request: %+v", r)
	}
	var js struct {
		Status    string `json:"status"`
		Escalated bool   `json:"escalated"`
	}
	clitest.Decode(t, clitest.Run(t, "", cmd("request", "status", req.ID, "--json")...), &js)
	if js.Status != altinn.StatusNew || !js.Escalated {
		t.Fatalf("status --json: %+v", js)
	}
	// Once decided, the mark goes: it is a New request's.
	if r := clitest.Run(t, "", cmd("sandbox", "approve", req.ID)...); r.Code != 0 {
		t.Fatalf("approve: %+v", r)
	}
	clitest.Decode(t, clitest.Run(t, "", cmd("request", "status", req.ID, "--json")...), &js)
	if js.Status != altinn.StatusAccepted || js.Escalated {
		t.Fatalf("status after approval: %+v", js)
	}
	if r := clitest.Run(t, "", cmd("sandbox", "escalate", req.ID)...); r.Code == 0 || !strings.Contains(r.Stderr, "AUTH-00013") {
		t.Fatalf("escalating a decided request: %+v", r)
	}
}

package root_test

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// TestSandboxOnboardingFlow is issue 3's acceptance: register the seed page's system, create its
// agent request for 313367002, approve it, get a system-user token that names the system user,
// and call the sample API — all through the commands.
func TestSandboxOnboardingFlow(t *testing.T) {
	v := clitest.NewVendor(t)
	C := v.Args()
	cmd := func(args ...string) []string { return append(append([]string{}, C...), args...) }

	// The page's JSON as published fails locally, naming the line of the trailing comma.
	broken := clitest.Run(t, "", cmd("system", "register", "--file", clitest.RepoFile(t, "internal/domain/altinn/testdata/seed-page-system.json"))...)
	if broken.Code != 1 || !strings.Contains(broken.Stderr, "line 7, column 39") {
		t.Fatalf("broken JSON: %+v", broken)
	}

	sys := clitest.SeedPageSystem(t, v.ClientID)
	var reg struct {
		OK     bool                    `json:"ok"`
		Result struct{ Action string } `json:"result"`
	}
	clitest.Decode(t, clitest.Run(t, "", cmd("system", "register", "--file", sys, "--json")...), &reg)
	if !reg.OK || reg.Result.Action != "created" {
		t.Fatalf("register: %+v", reg)
	}
	clitest.Decode(t, clitest.Run(t, "", cmd("system", "register", "--file", sys, "--json")...), &reg)
	if reg.Result.Action != "unchanged" {
		t.Fatalf("second register: %+v", reg)
	}

	// A standard request for the client-only package is stopped locally with the server's code.
	std := clitest.Run(t, "", cmd("request", "create", "--system", "974761076_skatt_demo_system", "--org", "313367002", "--package", "regnskapsforer-med-signeringsrettighet")...)
	if std.Code != 1 || !strings.Contains(std.Stderr, "AUTH-00064") || !strings.Contains(std.Stderr, "--agent") {
		t.Fatalf("standard request: %+v", std)
	}

	var req struct {
		OK         bool   `json:"ok"`
		ID         string `json:"id"`
		Status     string `json:"status"`
		ConfirmURL string `json:"confirm_url"`
		Created    bool   `json:"created"`
	}
	clitest.Decode(t, clitest.Run(t, "", cmd("request", "create", "--system", "974761076_skatt_demo_system", "--org", "313367002", "--agent",
		"--package", "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet", "--package", "skattegrunnlag", "--json")...), &req)
	if !req.OK || !req.Created || req.Status != "New" || !strings.Contains(req.ConfirmURL, "/agentrequest?id="+req.ID+"&DONTCHOOSEREPORTEE=true") {
		t.Fatalf("request: %+v", req)
	}

	// Before approval the token fails with MP-303.
	pre := clitest.Run(t, "", cmd("token", "--scope", world.ScopeSkeBoligselskap, "--systemuser-org", "313367002")...)
	if pre.Code != 1 || !strings.Contains(pre.Stderr, "MP-303") {
		t.Fatalf("token before approval: %+v", pre)
	}

	if r := clitest.Run(t, "", cmd("sandbox", "approve", req.ID)...); r.Code != 0 || !strings.Contains(r.Stdout, "Accepted") {
		t.Fatalf("approve: %+v", r)
	}
	var status struct{ Status string }
	clitest.Decode(t, clitest.Run(t, "", cmd("request", "status", req.ID, "--agent", "--wait", "--timeout", "10s", "--json")...), &status)
	if status.Status != "Accepted" {
		t.Fatalf("status: %+v", status)
	}

	tok := clitest.Run(t, "", cmd("token", "--scope", world.ScopeSkeBoligselskap, "--systemuser-org", "313367002")...)
	if tok.Code != 0 {
		t.Fatalf("token: %+v", tok)
	}
	var insp struct {
		OK     bool `json:"ok"`
		Claims struct {
			AuthorizationDetails []struct {
				SystemUserID []string `json:"systemuser_id"`
				SystemID     string   `json:"system_id"`
			} `json:"authorization_details"`
		} `json:"claims"`
	}
	clitest.Decode(t, clitest.Run(t, tok.Stdout, cmd("inspect", "--verify", "--json", "-")...), &insp)
	ad := insp.Claims.AuthorizationDetails
	if !insp.OK || len(ad) != 1 || len(ad[0].SystemUserID) != 1 || ad[0].SystemUserID[0] != req.ID || ad[0].SystemID != "974761076_skatt_demo_system" {
		t.Fatalf("token claims: %+v", insp)
	}

	var users struct {
		SystemUsers []struct{ ID, UserType string } `json:"system_users"`
	}
	clitest.Decode(t, clitest.Run(t, "", cmd("users", "list", "--system", "974761076_skatt_demo_system", "--json")...), &users)
	if len(users.SystemUsers) != 1 || users.SystemUsers[0].ID != req.ID || users.SystemUsers[0].UserType != "agent" {
		t.Fatalf("users: %+v", users)
	}

	base := strings.TrimSuffix(clitest.ReadConfigURL(t, v.Cfg), "/")
	var call struct {
		OK     bool `json:"ok"`
		Result struct {
			Status      int    `json:"status"`
			Body        string `json:"body"`
			TokenReused bool   `json:"token_reused"`
		} `json:"result"`
	}
	clitest.Decode(t, clitest.Run(t, "", cmd("call", base+"/skatteetaten/"+sandbox.SampleAPIPath, "--systemuser-org", "313367002", "--json")...), &call)
	if !call.OK || call.Result.Status != 200 || !strings.Contains(call.Result.Body, req.ID) {
		t.Fatalf("call: %+v", call)
	}
	// The party-specific resource refuses another organisation.
	denied := clitest.Run(t, "", cmd("call", base+"/skatteetaten/api/sample/v1/parties/311000004/status", "--systemuser-org", "313367002")...)
	if denied.Code != 1 || !strings.Contains(denied.Stdout, "403") {
		t.Fatalf("other party: %+v", denied)
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// seedPageSystem is the system from Skatteetaten's onboarding page with its JSON fixed: the
// trailing commas removed, isVisible false (its accountant package is client-only), and the
// vendor's own Maskinporten client id instead of the page's example.
func seedPageSystem(t *testing.T, clientID string) string {
	t.Helper()
	data, err := os.ReadFile("../../internal/domain/altinn/testdata/seed-page-system.json")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer(
		`"Skatteetatens Test SBS",`, `"Skatteetatens Test SBS"`,
		`"En beskrivelse av systemet",`, `"En beskrivelse av systemet"`,
		`"isVisible": true`, `"isVisible": false`,
		"e6c868ef-d9d6-4847-ba25-409bbd040540", clientID,
	).Replace(string(data))
	path := filepath.Join(t.TempDir(), "system.json")
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func decode(t *testing.T, r result, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("not one JSON object (%v): %+v", err, r)
	}
}

// TestSandboxOnboardingFlow is issue 3's acceptance: register the seed page's system, create its
// agent request for 313367002, approve it, get a system-user token that names the system user,
// and call the sample API — all through the commands.
func TestSandboxOnboardingFlow(t *testing.T) {
	isolate(t)
	cfg, sb := startSandbox(t)
	boot, _ := sb.Bootstrap()
	C := []string{"--config", cfg}
	cmd := func(args ...string) []string { return append(append([]string{}, C...), args...) }

	// The page's JSON as published fails locally, naming the line of the trailing comma.
	broken := runCLI(t, "", cmd("system", "register", "--file", "../../internal/domain/altinn/testdata/seed-page-system.json")...)
	if broken.code != 1 || !strings.Contains(broken.stderr, "line 7, column 39") {
		t.Fatalf("broken JSON: %+v", broken)
	}

	sys := seedPageSystem(t, boot.ClientID)
	var reg struct {
		OK     bool                    `json:"ok"`
		Result struct{ Action string } `json:"result"`
	}
	decode(t, runCLI(t, "", cmd("system", "register", "--file", sys, "--json")...), &reg)
	if !reg.OK || reg.Result.Action != "created" {
		t.Fatalf("register: %+v", reg)
	}
	decode(t, runCLI(t, "", cmd("system", "register", "--file", sys, "--json")...), &reg)
	if reg.Result.Action != "unchanged" {
		t.Fatalf("second register: %+v", reg)
	}

	// A standard request for the client-only package is stopped locally with the server's code.
	std := runCLI(t, "", cmd("request", "create", "--system", "974761076_skatt_demo_system", "--org", "313367002", "--package", "regnskapsforer-med-signeringsrettighet")...)
	if std.code != 1 || !strings.Contains(std.stderr, "AUTH-00064") || !strings.Contains(std.stderr, "--agent") {
		t.Fatalf("standard request: %+v", std)
	}

	var req struct {
		OK         bool   `json:"ok"`
		ID         string `json:"id"`
		Status     string `json:"status"`
		ConfirmURL string `json:"confirm_url"`
		Created    bool   `json:"created"`
	}
	decode(t, runCLI(t, "", cmd("request", "create", "--system", "974761076_skatt_demo_system", "--org", "313367002", "--agent",
		"--package", "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet", "--package", "skattegrunnlag", "--json")...), &req)
	if !req.OK || !req.Created || req.Status != "New" || !strings.Contains(req.ConfirmURL, "/agentrequest?id="+req.ID+"&DONTCHOOSEREPORTEE=true") {
		t.Fatalf("request: %+v", req)
	}

	// Before approval the token fails with MP-303.
	pre := runCLI(t, "", cmd("token", "--scope", world.ScopeSkeBoligselskap, "--systemuser-org", "313367002")...)
	if pre.code != 1 || !strings.Contains(pre.stderr, "MP-303") {
		t.Fatalf("token before approval: %+v", pre)
	}

	if r := runCLI(t, "", cmd("sandbox", "approve", req.ID)...); r.code != 0 || !strings.Contains(r.stdout, "Accepted") {
		t.Fatalf("approve: %+v", r)
	}
	var status struct{ Status string }
	decode(t, runCLI(t, "", cmd("request", "status", req.ID, "--agent", "--wait", "--timeout", "10s", "--json")...), &status)
	if status.Status != "Accepted" {
		t.Fatalf("status: %+v", status)
	}

	tok := runCLI(t, "", cmd("token", "--scope", world.ScopeSkeBoligselskap, "--systemuser-org", "313367002")...)
	if tok.code != 0 {
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
	decode(t, runCLI(t, tok.stdout, cmd("inspect", "--verify", "--json", "-")...), &insp)
	ad := insp.Claims.AuthorizationDetails
	if !insp.OK || len(ad) != 1 || len(ad[0].SystemUserID) != 1 || ad[0].SystemUserID[0] != req.ID || ad[0].SystemID != "974761076_skatt_demo_system" {
		t.Fatalf("token claims: %+v", insp)
	}

	var users struct {
		SystemUsers []struct{ ID, UserType string } `json:"system_users"`
	}
	decode(t, runCLI(t, "", cmd("users", "list", "--system", "974761076_skatt_demo_system", "--json")...), &users)
	if len(users.SystemUsers) != 1 || users.SystemUsers[0].ID != req.ID || users.SystemUsers[0].UserType != "agent" {
		t.Fatalf("users: %+v", users)
	}

	base := strings.TrimSuffix(readConfigURL(t, cfg), "/")
	var call struct {
		OK     bool `json:"ok"`
		Result struct {
			Status      int    `json:"status"`
			Body        string `json:"body"`
			TokenReused bool   `json:"token_reused"`
		} `json:"result"`
	}
	decode(t, runCLI(t, "", cmd("call", base+"/skatteetaten/"+sandbox.SampleAPIPath, "--systemuser-org", "313367002", "--json")...), &call)
	if !call.OK || call.Result.Status != 200 || !strings.Contains(call.Result.Body, req.ID) {
		t.Fatalf("call: %+v", call)
	}
	// The party-specific resource refuses another organisation.
	denied := runCLI(t, "", cmd("call", base+"/skatteetaten/api/sample/v1/parties/311000004/status", "--systemuser-org", "313367002")...)
	if denied.code != 1 || !strings.Contains(denied.stdout, "403") {
		t.Fatalf("other party: %+v", denied)
	}
}

// readConfigURL is the base URL recorded for the config's sandbox data directory.
func readConfigURL(t *testing.T, cfg string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(filepath.Dir(cfg), "address.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		BaseURL string `json:"base_url"`
	}
	if err := json.Unmarshal(data, &rec); err != nil || rec.BaseURL == "" {
		t.Fatalf("address record: %v %s", err, data)
	}
	return rec.BaseURL
}

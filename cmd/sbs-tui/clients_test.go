package main

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// The seed page's scenario end to end, headless: the system with
// regnskapsforer-med-signeringsrettighet (not visible), an agent request for the accounting firm
// Rask Regnskap AS, approval, a client added by the facilitator, a system-user token, and the
// sample API for that client (200) and for another organisation (403 with the fix). Client
// delegation mirrors SystemUserService.DelegateToAgentSystemUser (SystemUserService.cs:831-940).
func TestSeedPageAgentScenarioWithClientDelegation(t *testing.T) {
	isolate(t)
	cfg, sb := startSandbox(t)
	boot, _ := sb.Bootstrap()
	cmd := func(args ...string) []string { return append([]string{"--config", cfg}, args...) }
	const firm, client, other = "311000004", "313000001", "314000005"

	if r := runCLI(t, "", cmd("system", "register", "--file", seedPageSystem(t, boot.ClientID))...); r.code != 0 {
		t.Fatalf("register: %+v", r)
	}
	var req struct{ ID, Status string }
	decode(t, runCLI(t, "", cmd("request", "create", "--system", "974761076_skatt_demo_system", "--org", firm, "--agent",
		"--package", "regnskapsforer-med-signeringsrettighet", "--json")...), &req)
	if req.Status != "New" {
		t.Fatalf("request: %+v", req)
	}
	if r := runCLI(t, "", cmd("sandbox", "approve", req.ID)...); r.code != 0 || !strings.Contains(r.stdout, "sbs-tui sandbox clients add --agent "+req.ID) {
		t.Fatalf("approve: %+v", r)
	}

	// Before any client is added, the client's resource is refused with the fix.
	base := strings.TrimSuffix(readConfigURL(t, cfg), "/")
	status := func(org string) result {
		return runCLI(t, "", cmd("call", base+"/skatteetaten/api/sample/v1/parties/"+org+"/status", "--systemuser-org", firm, "--scope", world.ScopeSkeBoligselskap)...)
	}
	if r := status(client); r.code != 1 || !strings.Contains(r.stdout, "the facilitator must add this client to the system user in Altinn") {
		t.Fatalf("before delegation: %+v", r)
	}

	var avail struct {
		Clients []struct {
			ClientOrganizationNumber string `json:"clientOrganizationNumber"`
		} `json:"clients"`
	}
	decode(t, runCLI(t, "", cmd("sandbox", "clients", "list", "--agent", req.ID, "--available", "--json")...), &avail)
	if len(avail.Clients) != 3 {
		t.Fatalf("available: %+v", avail)
	}
	if r := runCLI(t, "", cmd("sandbox", "clients", "add", "--agent", req.ID, "--client", "910000004")...); r.code != 1 || !strings.Contains(r.stderr, "AUTH-00079") {
		t.Fatalf("not a client: %+v", r)
	}
	if r := runCLI(t, "", cmd("sandbox", "clients", "add", "--agent", req.ID, "--client", client)...); r.code != 0 {
		t.Fatalf("add: %+v", r)
	}
	var listed struct {
		Clients []struct {
			ClientOrganizationNumber string `json:"clientOrganizationNumber"`
		} `json:"clients"`
	}
	decode(t, runCLI(t, "", cmd("sandbox", "clients", "list", "--agent", req.ID, "--json")...), &listed)
	if len(listed.Clients) != 1 || listed.Clients[0].ClientOrganizationNumber != client {
		t.Fatalf("list: %+v", listed)
	}

	if r := runCLI(t, "", cmd("token", "--scope", world.ScopeSkeBoligselskap, "--systemuser-org", firm)...); r.code != 0 {
		t.Fatalf("token: %+v", r)
	}
	if r := status(client); r.code != 0 || !strings.Contains(r.stdout, "200") || !strings.Contains(r.stdout, client) {
		t.Fatalf("delegated client: %+v", r)
	}
	var access struct {
		Result struct{ Body string } `json:"result"`
	}
	decode(t, runCLI(t, "", cmd("call", base+"/skatteetaten/"+sandbox.SampleAccessPath, "--systemuser-org", firm, "--scope", world.ScopeSkeBoligselskap, "--json")...), &access)
	if !strings.Contains(access.Result.Body, `"clients": [`) || !strings.Contains(access.Result.Body, client) {
		t.Fatalf("access: %s", access.Result.Body)
	}
	if r := status(other); r.code != 1 || !strings.Contains(r.stdout, "403") || !strings.Contains(r.stdout, "the facilitator must add this client to the system user in Altinn") {
		t.Fatalf("other org: %+v", r)
	}
	if r := runCLI(t, "", cmd("sandbox", "clients", "remove", "--agent", req.ID, "--client", client)...); r.code != 0 {
		t.Fatalf("remove: %+v", r)
	}
	if r := status(client); r.code != 1 {
		t.Fatalf("after removal: %+v", r)
	}
}

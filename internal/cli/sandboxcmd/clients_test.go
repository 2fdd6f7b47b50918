package sandboxcmd_test

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// The seed page's scenario end to end, headless: the system with
// regnskapsforer-med-signeringsrettighet (not visible), an agent request for the accounting firm
// Rask Regnskap AS, approval, a client added by the facilitator, a system-user token, and the
// sample API for that client (200) and for another organisation (403 with the fix). Client
// delegation mirrors SystemUserService.DelegateToAgentSystemUser (SystemUserService.cs:831-940).
func TestSeedPageAgentScenarioWithClientDelegation(t *testing.T) {
	v := clitest.NewVendor(t)
	cmd := v.Args
	const firm, client, other = "311000004", "313000001", "314000005"

	if r := clitest.Run(t, "", cmd("system", "register", "--file", clitest.SeedPageSystem(t, v.ClientID))...); r.Code != 0 {
		t.Fatalf("register: %+v", r)
	}
	var req struct{ ID, Status string }
	clitest.Decode(t, clitest.Run(t, "", cmd("request", "create", "--system", "974761076_skatt_demo_system", "--org", firm, "--agent",
		"--package", "regnskapsforer-med-signeringsrettighet", "--json")...), &req)
	if req.Status != "New" {
		t.Fatalf("request: %+v", req)
	}
	if r := clitest.Run(t, "", cmd("sandbox", "approve", req.ID)...); r.Code != 0 || !strings.Contains(r.Stdout, "sbs-tui sandbox clients add --agent "+req.ID) {
		t.Fatalf("approve: %+v", r)
	}

	// Before any client is added, the client's resource is refused with the fix.
	base := strings.TrimSuffix(clitest.ReadConfigURL(t, v.Cfg), "/")
	status := func(org string) clitest.Result {
		return clitest.Run(t, "", cmd("call", base+"/skatteetaten/api/sample/v1/parties/"+org+"/status", "--systemuser-org", firm, "--scope", world.ScopeSkeBoligselskap)...)
	}
	if r := status(client); r.Code != 1 || !strings.Contains(r.Stdout, "tilretteleggeren må legge klienten til systembrukeren i Altinn") {
		t.Fatalf("before delegation: %+v", r)
	}

	var avail struct {
		Clients []struct {
			ClientOrganizationNumber string `json:"clientOrganizationNumber"`
		} `json:"clients"`
	}
	clitest.Decode(t, clitest.Run(t, "", cmd("sandbox", "clients", "list", "--agent", req.ID, "--available", "--json")...), &avail)
	if len(avail.Clients) != 3 {
		t.Fatalf("available: %+v", avail)
	}
	if r := clitest.Run(t, "", cmd("sandbox", "clients", "add", "--agent", req.ID, "--client", "910000004")...); r.Code != 1 || !strings.Contains(r.Stderr, "AUTH-00079") {
		t.Fatalf("not a client: %+v", r)
	}
	if r := clitest.Run(t, "", cmd("sandbox", "clients", "add", "--agent", req.ID, "--client", client)...); r.Code != 0 {
		t.Fatalf("add: %+v", r)
	}
	var listed struct {
		Clients []struct {
			ClientOrganizationNumber string `json:"clientOrganizationNumber"`
		} `json:"clients"`
	}
	clitest.Decode(t, clitest.Run(t, "", cmd("sandbox", "clients", "list", "--agent", req.ID, "--json")...), &listed)
	if len(listed.Clients) != 1 || listed.Clients[0].ClientOrganizationNumber != client {
		t.Fatalf("list: %+v", listed)
	}

	if r := clitest.Run(t, "", cmd("token", "--scope", world.ScopeSkeBoligselskap, "--systemuser-org", firm)...); r.Code != 0 {
		t.Fatalf("token: %+v", r)
	}
	if r := status(client); r.Code != 0 || !strings.Contains(r.Stdout, "200") || !strings.Contains(r.Stdout, client) {
		t.Fatalf("delegated client: %+v", r)
	}
	var access struct {
		Result struct{ Body string } `json:"result"`
	}
	clitest.Decode(t, clitest.Run(t, "", cmd("call", base+"/skatteetaten/"+sandbox.SampleAccessPath, "--systemuser-org", firm, "--scope", world.ScopeSkeBoligselskap, "--json")...), &access)
	if !strings.Contains(access.Result.Body, `"clients": [`) || !strings.Contains(access.Result.Body, client) {
		t.Fatalf("access: %s", access.Result.Body)
	}
	if r := status(other); r.Code != 1 || !strings.Contains(r.Stdout, "403") || !strings.Contains(r.Stdout, "tilretteleggeren må legge klienten til systembrukeren i Altinn") {
		t.Fatalf("other org: %+v", r)
	}
	if r := clitest.Run(t, "", cmd("sandbox", "clients", "remove", "--agent", req.ID, "--client", client)...); r.Code != 0 {
		t.Fatalf("remove: %+v", r)
	}
	if r := status(client); r.Code != 1 {
		t.Fatalf("after removal: %+v", r)
	}
}

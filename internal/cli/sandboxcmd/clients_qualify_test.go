package sandboxcmd_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
)

// AUTH-00079 from `sandbox clients add` names the organisations that would be accepted (the
// facilitator's REGN clients) or, when there are none, the command that makes one; that
// command works, and its organisation is then accepted.
func TestClientRefusalNamesQualifyingOrgs(t *testing.T) {
	v := clitest.NewVendor(t)
	cmd := v.Args
	if r := clitest.Run(t, "", cmd("system", "register", "--file", clitest.SeedPageSystem(t, v.ClientID))...); r.Code != 0 {
		t.Fatalf("register: %+v", r)
	}
	agent := func(firm string, more ...string) string {
		var req struct{ ID, Status string }
		args := []string{"request", "create", "--system", "974761076_skatt_demo_system", "--org", firm, "--agent",
			"--package", "regnskapsforer-med-signeringsrettighet", "--json"}
		clitest.Decode(t, clitest.Run(t, "", cmd(append(args, more...)...)...), &req)
		if r := clitest.Run(t, "", cmd("sandbox", "approve", req.ID)...); r.Code != 0 {
			t.Fatalf("approve: %+v", r)
		}
		return req.ID
	}

	// The seeded accounting firm: its REGN clients are named.
	raskID := agent("311000004")
	r := clitest.Run(t, "", cmd("sandbox", "clients", "add", "--agent", raskID, "--client", "910000004")...)
	if r.Code != 1 || !strings.Contains(r.Stderr, "AUTH-00079") ||
		!strings.Contains(r.Stderr, "facilitator 311000004 has the role REGN") || !strings.Contains(r.Stderr, "313000001, 313367002, 314000005") {
		t.Fatalf("refusal for Rask Regnskap's agent: %+v", r)
	}

	// A facilitator with no clients (the wizard's customer): the command that makes one.
	id := agent("313367002")
	r = clitest.Run(t, "", cmd("sandbox", "clients", "add", "--agent", id, "--client", "313000001")...)
	const make = "sbs-tui sandbox orgs add --count 1 --role REGN --holder 313367002"
	if r.Code != 1 || !strings.Contains(r.Stderr, "AUTH-00079") || !strings.Contains(r.Stderr, "313367002 has none") || !strings.Contains(r.Stderr, make) {
		t.Fatalf("refusal for a firm without clients: %+v", r)
	}
	r = clitest.Run(t, "", cmd(strings.Fields(make)[1:]...)...)
	no := regexp.MustCompile(`(?m)^\d{9}$`).FindString(r.Stdout)
	if r.Code != 0 || no == "" {
		t.Fatalf("%s: %+v", make, r)
	}
	if r := clitest.Run(t, "", cmd("sandbox", "clients", "add", "--agent", id, "--client", no)...); r.Code != 0 || !strings.Contains(r.Stdout, "Client "+no+" added") {
		t.Fatalf("add the made client: %+v", r)
	}
	if r := clitest.Run(t, "", cmd("sandbox", "orgs", "add", "--count", "1", "--role", "XYZ", "--holder", "313367002")...); r.Code == 0 || !strings.Contains(r.Stderr, "FFOR") {
		t.Fatalf("unknown role: %+v", r)
	}
	// The README's agent system user also has skattegrunnlag, which no role gives a
	// facilitator for a client: --available lists nobody (it listed the REGN client that add
	// then refused with AUTH-00080), and the refusal says why none can ever be added.
	both := agent("311000004", "--package", "skattegrunnlag", "--external-ref", "med-skattegrunnlag")
	if r := clitest.Run(t, "", cmd("sandbox", "clients", "list", "--agent", both, "--available")...); r.Code != 0 || strings.Contains(r.Stdout, "313000001") {
		t.Fatalf("available for an agent with skattegrunnlag: %+v", r)
	}
	r = clitest.Run(t, "", cmd("sandbox", "clients", "add", "--agent", both, "--client", "313000001")...)
	if r.Code != 1 || !strings.Contains(r.Stderr, "AUTH-00080") || !strings.Contains(r.Stderr, "No Enhetsregisteret role gives skattegrunnlag for a client") {
		t.Fatalf("refusal for an agent with skattegrunnlag: %+v", r)
	}
}

// sandbox approve tells the facilitator of an agent system user which organisations it can add
// as clients, or the command that makes one; for a package no role gives it says no client can
// be added and offers no clients add command that would only fail.
func TestApproveSaysHowTheAgentGetsClients(t *testing.T) {
	v := clitest.NewVendor(t)
	cmd := v.Args
	if r := clitest.Run(t, "", cmd("system", "register", "--file", clitest.SeedPageSystem(t, v.ClientID))...); r.Code != 0 {
		t.Fatalf("register: %+v", r)
	}
	approve := func(firm, ref string, pkgs ...string) string {
		var req struct{ ID string }
		args := []string{"request", "create", "--system", "974761076_skatt_demo_system", "--org", firm, "--agent", "--external-ref", ref, "--json"}
		for _, p := range pkgs {
			args = append(args, "--package", p)
		}
		clitest.Decode(t, clitest.Run(t, "", cmd(args...)...), &req)
		r := clitest.Run(t, "", cmd("sandbox", "approve", req.ID)...)
		if r.Code != 0 {
			t.Fatalf("approve: %+v", r)
		}
		return r.Stdout
	}
	if out := approve("311000004", "a", "regnskapsforer-med-signeringsrettighet"); !strings.Contains(out, "sandbox clients add --agent") ||
		!strings.Contains(out, "313000001, 313367002, 314000005") {
		t.Errorf("Rask Regnskap's agent:\n%s", out)
	}
	if out := approve("313367002", "b", "regnskapsforer-med-signeringsrettighet"); !strings.Contains(out, "sandbox orgs add --count 1 --role REGN --holder 313367002") {
		t.Errorf("a facilitator with no clients:\n%s", out)
	}
	if out := approve("313367002", "c", "regnskapsforer-med-signeringsrettighet", "skattegrunnlag"); strings.Contains(out, "clients add") ||
		!strings.Contains(out, "No Enhetsregisteret role gives skattegrunnlag") {
		t.Errorf("a package no role gives:\n%s", out)
	}
}

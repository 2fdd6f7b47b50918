package requestcmd_test

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
)

// request create for a triple the customer has decided on: an approved one gives the request
// back with the token command (Altinn answers AUTH-00004 there, and the README's flow could
// not be run twice), a rejected one says to delete it; neither offers to approve or wait.
func TestRequestCreateOnADecidedTriple(t *testing.T) {
	v := clitest.NewVendor(t)
	if r := clitest.Run(t, "", v.Args("system", "register", "--file", clitest.SeedPageSystem(t, v.ClientID))...); r.Code != 0 {
		t.Fatalf("register: %+v", r)
	}
	create := func(ref string) clitest.Result {
		return clitest.Run(t, "", v.Args("request", "create", "--system", "974761076_skatt_demo_system", "--org", "313367002",
			"--package", "skattegrunnlag", "--external-ref", ref)...)
	}
	id := func(r clitest.Result) string {
		for _, l := range strings.Split(r.Stdout, "\n") {
			if f := strings.Fields(l); len(f) == 2 && f[0] == "id" {
				return f[1]
			}
		}
		t.Fatalf("no id in %+v", r)
		return ""
	}
	for _, c := range []struct {
		ref, decide, want string
	}{
		{"approved-ref", "", "Get its token with: sbs-tui token --systemuser-org 313367002 --external-ref approved-ref"},
		{"rejected-ref", "--reject", "The customer rejected the earlier request"},
	} {
		first := create(c.ref)
		args := []string{"sandbox", "approve", id(first)}
		if c.decide != "" {
			args = append(args, c.decide)
		}
		if r := clitest.Run(t, "", v.Args(args...)...); r.Code != 0 {
			t.Fatalf("%s: %+v", c.ref, r)
		}
		again := create(c.ref)
		if again.Code != 0 || id(again) != id(first) || !strings.Contains(again.Stdout, c.want) ||
			strings.Contains(again.Stdout, "--wait") || strings.Contains(again.Stdout, "sandbox approve") {
			t.Errorf("%s again: %+v", c.ref, again)
		}
	}
}

// An agent request for a package no client role gives is sent (Altinn accepts it), with a
// warning: no client can be added until it delegates that package to the facilitator itself.
func TestAgentRequestWarnsOfAPackageNoClientRoleGives(t *testing.T) {
	v := clitest.NewVendor(t)
	if r := clitest.Run(t, "", v.Args("system", "register", "--file", clitest.SeedPageSystem(t, v.ClientID))...); r.Code != 0 {
		t.Fatalf("register: %+v", r)
	}
	args := func(pkgs ...string) []string {
		a := []string{"request", "create", "--system", "974761076_skatt_demo_system", "--org", "313367002", "--agent", "--external-ref", pkgs[len(pkgs)-1]}
		for _, p := range pkgs {
			a = append(a, "--package", p)
		}
		return v.Args(a...)
	}
	r := clitest.Run(t, "", args("regnskapsforer-med-signeringsrettighet", "skattegrunnlag")...)
	if r.Code != 0 || !strings.Contains(r.Stderr, "No Enhetsregisteret client role (FFOR, REGN, REVI) gives skattegrunnlag") {
		t.Fatalf("with skattegrunnlag: %+v", r)
	}
	if r := clitest.Run(t, "", args("regnskapsforer-med-signeringsrettighet")...); r.Code != 0 || strings.Contains(r.Stderr, "client role") {
		t.Fatalf("client packages only: %+v", r)
	}
}

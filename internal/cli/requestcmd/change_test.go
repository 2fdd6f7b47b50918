package requestcmd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
)

// `request change` with --json, `status` and `delete`, and `sandbox approve` deciding a change
// request (ChangeRequestSystemUserController.cs:82-425 in Altinn/altinn-authentication).
func TestRequestChangeCommands(t *testing.T) {
	v := clitest.NewVendor(t)
	cmd := v.Args
	sys := filepath.Join(t.TempDir(), "system.json")
	if err := os.WriteFile(sys, []byte(`{"id":"974761076_change","vendor":{"ID":"0192:974761076"},"name":{"nb":"Endring"},"description":{"nb":"x"},
		"accessPackages":[{"urn":"urn:altinn:accesspackage:skattegrunnlag"},{"urn":"urn:altinn:accesspackage:a-ordning"}],
		"clientId":["`+v.ClientID+`"],"isVisible":true}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := clitest.Run(t, "", cmd("system", "register", "--file", sys)...); r.Code != 0 {
		t.Fatalf("register: %+v", r)
	}
	var req struct{ ID string }
	clitest.Decode(t, clitest.Run(t, "", cmd("request", "create", "--system", "974761076_change", "--org", "313367002", "--package", "skattegrunnlag", "--json")...), &req)
	if r := clitest.Run(t, "", cmd("sandbox", "approve", req.ID)...); r.Code != 0 {
		t.Fatalf("approve: %+v", r)
	}
	if r := clitest.Run(t, "", cmd("request", "change", "--system", "974761076_change", "--org", "313367002")...); r.Code != 2 {
		t.Fatalf("nothing to change: %+v", r)
	}
	var cr struct {
		OK         bool   `json:"ok"`
		ID         string `json:"id"`
		Status     string `json:"status"`
		ConfirmURL string `json:"confirm_url"`
		Created    bool   `json:"created"`
	}
	clitest.Decode(t, clitest.Run(t, "", cmd("request", "change", "--system", "974761076_change", "--org", "313367002", "--package", "a-ordning", "--json")...), &cr)
	if !cr.OK || !cr.Created || cr.Status != "New" || !strings.Contains(cr.ConfirmURL, "/changerequest?id="+cr.ID) {
		t.Fatalf("change: %+v", cr)
	}
	if r := clitest.Run(t, "", cmd("sandbox", "approve", cr.ID)...); r.Code != 0 || !strings.Contains(r.Stdout, "Change request "+cr.ID+" is now Accepted") {
		t.Fatalf("approve change: %+v", r)
	}
	var st struct{ Status string }
	clitest.Decode(t, clitest.Run(t, "", cmd("request", "change", "status", cr.ID, "--wait", "--timeout", "5s", "--json")...), &st)
	if st.Status != "Accepted" {
		t.Fatalf("status: %+v", st)
	}
	if r := clitest.Run(t, "", cmd("request", "change", "delete", cr.ID)...); r.Code != 0 {
		t.Fatalf("delete: %+v", r)
	}
	if r := clitest.Run(t, "", cmd("request", "change", "status", cr.ID)...); r.Code != 1 || !strings.Contains(r.Stderr, "AUTH-00010") {
		t.Fatalf("after delete: %+v", r)
	}
}

// A system user named by its id alone is looked up among the vendor's systems, so the change
// is checked before it is sent, as with --system and --org: an agent system user, a right the
// system does not list and an id that is nobody's are refused locally (exit 1, "Not sent").
func TestRequestChangeBySystemUserIDIsCheckedFirst(t *testing.T) {
	_, _, _, cmd := clitest.WithSeedPageSystem(t)
	created := func(args ...string) string {
		t.Helper()
		var req struct{ ID string }
		clitest.Decode(t, clitest.Run(t, "", cmd(append([]string{"request", "create", "--system", "974761076_skatt_demo_system", "--json"}, args...)...)...), &req)
		if r := clitest.Run(t, "", cmd("sandbox", "approve", req.ID)...); r.Code != 0 {
			t.Fatalf("approve: %+v", r)
		}
		return req.ID // an approved request's system user has its id
	}
	standard := created("--org", "313367002", "--package", "skattegrunnlag")
	agent := created("--org", "311000004", "--agent", "--package", "regnskapsforer-med-signeringsrettighet")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"agent", []string{"--system-user", agent, "--package", "skattegrunnlag"}, "agent (client) system users cannot be changed"},
		{"right not on the system", []string{"--system-user", standard, "--right", "ske-innrapportering-boligselskap"}, "requiredRights: more rights than the system lists [AUTH-00001]"},
		{"nobody's id", []string{"--system-user", "6f0c2d1e-0000-4000-8000-000000000000", "--package", "skattegrunnlag"}, "no system user of yours has id 6f0c2d1e-0000-4000-8000-000000000000"},
	} {
		r := clitest.Run(t, "", cmd(append([]string{"request", "change"}, c.args...)...)...)
		if r.Code != 1 || !strings.Contains(r.Stderr, "Not sent") || !strings.Contains(r.Stderr, c.want) {
			t.Errorf("%s: exit %d, want 1 with %q before sending:\n%s%s", c.name, r.Code, c.want, r.Stdout, r.Stderr)
		}
	}
	// The standard one is found and its change sent; the sandbox serving the data directory
	// opens its confirmUrl (the command said it ran only while the command did).
	r := clitest.Run(t, "", cmd("request", "change", "--system-user", standard, "--remove-package", "skattegrunnlag")...)
	if r.Code != 0 || !strings.Contains(r.Stdout, "New") || !strings.Contains(r.Stdout, "The confirmUrl opens while a sandbox serves this data directory") {
		t.Fatalf("change by id: %+v", r)
	}
}

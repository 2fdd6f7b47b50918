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

package inspectcmd_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// TestMain lets the test binary stand in for the sbs-tui binary: shell recipes the tool prints
// (token --curl, the support report) are run with a PATH where "sbs-tui" is this binary.
func TestMain(m *testing.M) { clitest.Main(m) }

func TestGrantCommandAndInspect(t *testing.T) {
	v := clitest.NewVendor(t)
	r := clitest.Run(t, "", "--config", v.Cfg, "grant", "--json", "--scope", world.ScopeSkeBoligselskap,
		"--systemuser-org", "313367002", "--external-ref", "ref-1")
	if r.Code != 0 {
		t.Fatalf("grant: %+v", r)
	}
	var g struct {
		Grant  string `json:"grant"`
		Claims struct {
			Aud, Iss, Scope string
			Details         []struct {
				Type          string
				SystemUserOrg struct{ Authority, ID string } `json:"systemuser_org"`
				ExternalRef   string                         `json:"externalRef"`
			} `json:"authorization_details"`
		}
	}
	if err := json.Unmarshal([]byte(r.Stdout), &g); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(r.Stdout), &raw)
	if raw["token_endpoint"] == "" || g.Claims.Aud != raw["audience"] || g.Claims.Scope != world.ScopeSkeBoligselskap ||
		len(g.Claims.Details) != 1 || g.Claims.Details[0].SystemUserOrg.ID != "0192:313367002" || g.Claims.Details[0].ExternalRef != "ref-1" {
		t.Fatalf("grant json: %s", r.Stdout)
	}
	// The grant passes the offline checks for its environment.
	in := clitest.Run(t, g.Grant, "--config", v.Cfg, "--env", "sandbox", "inspect", "-")
	if in.Code != 0 || !strings.Contains(in.Stdout, "grant (client assertion)") || !strings.Contains(in.Stdout, "every offline rule holds") {
		t.Fatalf("inspect grant: %+v", in)
	}
	// Judged an hour later (a grant from a log read too late) it is expired: MP-130, exit 1.
	late := clitest.Run(t, g.Grant, "--config", v.Cfg, "inspect", "--at", "2099-01-01T00:00:00Z", "-")
	if late.Code != 1 || !strings.Contains(late.Stdout, "MP-130") {
		t.Fatalf("inspect --at: %+v", late)
	}
	if bad := clitest.Run(t, g.Grant, "inspect", "--at", "yesterday", "-"); bad.Code != cli.ExitUsage || !strings.Contains(bad.Stderr, "--at") {
		t.Fatalf("bad --at: %+v", bad)
	}
	// --external-ref alone is a usage error naming the flag.
	if u := clitest.Run(t, "", "--config", v.Cfg, "grant", "--external-ref", "x"); u.Code != cli.ExitUsage || !strings.Contains(u.Stderr, "--systemuser-org") {
		t.Fatalf("usage: %+v", u)
	}
}

// A grant is signed by the client, so --verify checks it against the profile's own key, not
// against Maskinporten's JWKS (where its kid is never found, and every correct grant failed);
// a grant made with another key fails, and --json's ok agrees with the exit code.
func TestGrantVerifiesAgainstTheProfilesKey(t *testing.T) {
	v, other := clitest.NewVendor(t), clitest.NewVendor(t)
	grant := func(cfg string) string {
		r := clitest.Run(t, "", "--config", cfg, "grant", "--scope", world.ScopeSkeBoligselskap)
		if r.Code != 0 {
			t.Fatalf("grant: %+v", r)
		}
		return r.Stdout
	}
	ok := clitest.Run(t, grant(v.Cfg), "--config", v.Cfg, "inspect", "--verify", "-")
	if ok.Code != 0 || !strings.Contains(ok.Stdout, "signature verified against your profile's key") {
		t.Fatalf("own grant: %+v", ok)
	}
	bad := clitest.Run(t, grant(other.Cfg), "--config", v.Cfg, "inspect", "--verify", "--json", "-")
	var obj map[string]any
	if bad.Code != 1 || json.Unmarshal([]byte(bad.Stdout), &obj) != nil || obj["ok"] != false ||
		!strings.Contains(fmt.Sprint(obj["verify_error"]), "not your profile's key") || obj["verified_against"] != "profile_key" {
		t.Fatalf("another key's grant: %+v", bad)
	}
	late := clitest.Run(t, grant(v.Cfg), "--config", v.Cfg, "inspect", "--at", "2099-01-01T00:00:00Z", "--json", "-")
	if late.Code != 1 || json.Unmarshal([]byte(late.Stdout), &obj) != nil || obj["ok"] != false {
		t.Fatalf("expired grant --json: %+v", late)
	}
}

// The recipe token --curl prints, run by a shell, gets a token from the sandbox.
func TestTokenCurlRecipeWorks(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	v := clitest.NewVendor(t)
	r := clitest.Run(t, "", "--config", v.Cfg, "token", "--curl", "--scope", world.ScopeSystemRegisterWrite)
	if r.Code != 0 || !strings.Contains(r.Stdout, `GRANT="$(sbs-tui --config `) || !strings.Contains(r.Stdout, `"assertion=$GRANT"`) {
		t.Fatalf("token --curl: %+v", r)
	}
	if strings.Contains(r.Stdout, "eyJ") {
		t.Fatalf("the recipe holds a token or grant: %s", r.Stdout)
	}
	out, err := clitest.RunShell(t, r.Stdout)
	if err != nil || !strings.Contains(out, `"access_token":"eyJ`) {
		t.Fatalf("recipe: %v\n%s", err, out)
	}
}

func TestInspectComparesTwoTokens(t *testing.T) {
	v := clitest.NewVendor(t)
	dir := t.TempDir()
	write := func(name string, args ...string) string {
		r := clitest.Run(t, "", append([]string{"--config", v.Cfg}, args...)...)
		if r.Code != 0 {
			t.Fatalf("%v: %+v", args, r)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(r.Stdout), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a", "token", "--scope", world.ScopeSystemRegisterWrite)
	b := write("b", "token", "--scope", world.ScopeRequestRead)
	r := clitest.Run(t, "", "inspect", a, b)
	if r.Code != 0 || !strings.Contains(r.Stdout, "different scopes") || !strings.Contains(r.Stdout, "= iss") {
		t.Fatalf("compare: %+v", r)
	}
	j := clitest.Run(t, "", "inspect", "--json", a, b)
	var out struct {
		Differences []struct {
			Name string
			Same bool
		}
	}
	if j.Code != 0 || json.Unmarshal([]byte(j.Stdout), &out) != nil {
		t.Fatalf("compare --json: %+v", j)
	}
	same := map[string]bool{}
	for _, d := range out.Differences {
		same[d.Name] = d.Same
	}
	if !same["iss"] || same["scope"] || same["jti"] {
		t.Fatalf("differences: %+v", out.Differences)
	}
}

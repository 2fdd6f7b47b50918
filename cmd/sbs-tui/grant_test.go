package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// TestMain lets the test binary stand in for the sbs-tui binary: shell recipes the tool prints
// (token --curl, the support report) are run with a PATH where "sbs-tui" is this binary.
func TestMain(m *testing.M) {
	if os.Getenv("SBS_TUI_TEST_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// selfOnPath returns a PATH entry holding "sbs-tui" (this test binary acting as main), and
// marks the environment so that it does.
func selfOnPath(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(dir, "sbs-tui")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SBS_TUI_TEST_AS_MAIN", "1")
	return dir
}

// runShell runs a script with bash, "sbs-tui" on PATH.
func runShell(t *testing.T, script string) (string, error) {
	t.Helper()
	dir := selfOnPath(t)
	cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", script)
	cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestGrantCommandAndInspect(t *testing.T) {
	isolate(t)
	cfg, _ := startSandbox(t)
	r := runCLI(t, "", "--config", cfg, "grant", "--json", "--scope", world.ScopeSkeBoligselskap,
		"--systemuser-org", "313367002", "--external-ref", "ref-1")
	if r.code != 0 {
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
	if err := json.Unmarshal([]byte(r.stdout), &g); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(r.stdout), &raw)
	if raw["token_endpoint"] == "" || g.Claims.Aud != raw["audience"] || g.Claims.Scope != world.ScopeSkeBoligselskap ||
		len(g.Claims.Details) != 1 || g.Claims.Details[0].SystemUserOrg.ID != "0192:313367002" || g.Claims.Details[0].ExternalRef != "ref-1" {
		t.Fatalf("grant json: %s", r.stdout)
	}
	// The grant passes the offline checks for its environment.
	in := runCLI(t, g.Grant, "--config", cfg, "--env", "sandbox", "inspect", "-")
	if in.code != 0 || !strings.Contains(in.stdout, "grant (client assertion)") || !strings.Contains(in.stdout, "every offline rule holds") {
		t.Fatalf("inspect grant: %+v", in)
	}
	// Judged an hour later (a grant from a log read too late) it is expired: MP-130, exit 1.
	late := runCLI(t, g.Grant, "--config", cfg, "inspect", "--at", "2099-01-01T00:00:00Z", "-")
	if late.code != 1 || !strings.Contains(late.stdout, "MP-130") {
		t.Fatalf("inspect --at: %+v", late)
	}
	if bad := runCLI(t, g.Grant, "inspect", "--at", "yesterday", "-"); bad.code != exitUsage || !strings.Contains(bad.stderr, "--at") {
		t.Fatalf("bad --at: %+v", bad)
	}
	// --external-ref alone is a usage error naming the flag.
	if u := runCLI(t, "", "--config", cfg, "grant", "--external-ref", "x"); u.code != exitUsage || !strings.Contains(u.stderr, "--systemuser-org") {
		t.Fatalf("usage: %+v", u)
	}
}

// The recipe token --curl prints, run by a shell, gets a token from the sandbox.
func TestTokenCurlRecipeWorks(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	isolate(t)
	cfg, _ := startSandbox(t)
	r := runCLI(t, "", "--config", cfg, "token", "--curl", "--scope", world.ScopeSystemRegisterWrite)
	if r.code != 0 || !strings.Contains(r.stdout, `GRANT="$(sbs-tui --config `) || !strings.Contains(r.stdout, `"assertion=$GRANT"`) {
		t.Fatalf("token --curl: %+v", r)
	}
	if strings.Contains(r.stdout, "eyJ") {
		t.Fatalf("the recipe holds a token or grant: %s", r.stdout)
	}
	out, err := runShell(t, r.stdout)
	if err != nil || !strings.Contains(out, `"access_token":"eyJ`) {
		t.Fatalf("recipe: %v\n%s", err, out)
	}
}

func TestInspectComparesTwoTokens(t *testing.T) {
	isolate(t)
	cfg, _ := startSandbox(t)
	dir := t.TempDir()
	write := func(name string, args ...string) string {
		r := runCLI(t, "", append([]string{"--config", cfg}, args...)...)
		if r.code != 0 {
			t.Fatalf("%v: %+v", args, r)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(r.stdout), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a", "token", "--scope", world.ScopeSystemRegisterWrite)
	b := write("b", "token", "--scope", world.ScopeRequestRead)
	r := runCLI(t, "", "inspect", a, b)
	if r.code != 0 || !strings.Contains(r.stdout, "different scopes") || !strings.Contains(r.stdout, "= iss") {
		t.Fatalf("compare: %+v", r)
	}
	j := runCLI(t, "", "inspect", "--json", a, b)
	var out struct {
		Differences []struct {
			Name string
			Same bool
		}
	}
	if j.code != 0 || json.Unmarshal([]byte(j.stdout), &out) != nil {
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

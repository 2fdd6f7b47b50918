package supportcmd_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// TestMain lets this test binary act as sbs-tui for the commands the report's recipes run.
func TestMain(m *testing.M) { clitest.Main(m) }

var (
	recipeRe = regexp.MustCompile("(?s)#(\\d+) (\\S+) (\\S+) → recorded (\\d+|no response)[^\n]*\n\n```sh\n(.*?)```")
	statusRe = regexp.MustCompile(`(?m)^HTTP (\d{3})$`)
)

// TestSupportReportCurlReproducesEveryStatus is the report's acceptance: after an onboarding,
// a recorded support session (reads, a refused token, a refused call, a missing request) is
// reported; every curl recipe in the report, run by a shell with the variables set by the
// commands the report gives, gets the status that was recorded.
func TestSupportReportCurlReproducesEveryStatus(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	v := clitest.NewVendor(t)
	boot, _ := v.SB.Bootstrap()
	C := func(args ...string) []string { return append([]string{"--config", v.Cfg}, args...) }
	// The onboarding, not recorded.
	if r := clitest.Run(t, "", C("system", "register", "--file", clitest.SeedPageSystem(t, boot.ClientID))...); r.Code != 0 {
		t.Fatalf("register: %+v", r)
	}
	var req struct{ ID string }
	clitest.Decode(t, clitest.Run(t, "", C("request", "create", "--system", "974761076_skatt_demo_system", "--org", "313367002", "--agent",
		"--package", "regnskapsforer-med-signeringsrettighet", "--json")...), &req)
	if _, err := v.SB.Approve(req.ID); err != nil {
		t.Fatal(err)
	}

	// The support session, recorded.
	har := filepath.Join(t.TempDir(), "support.har")
	base := strings.TrimSuffix(clitest.ReadConfigURL(t, v.Cfg), "/")
	for _, c := range []struct {
		code int
		args []string
	}{
		{0, []string{"request", "status", req.ID, "--agent"}},
		{1, []string{"request", "status", "00000000-0000-0000-0000-00000000abcd"}},
		{0, []string{"token", "--scope", world.ScopeSkeBoligselskap, "--systemuser-org", "313367002"}},
		{1, []string{"token", "--scope", world.ScopeSkeBoligselskap, "--systemuser-org", "311000004"}},
		{0, []string{"users", "list", "--system", "974761076_skatt_demo_system"}},
		{0, []string{"call", base + "/skatteetaten/" + sandbox.SampleAPIPath, "--systemuser-org", "313367002"}},
		{1, []string{"call", base + "/skatteetaten/api/sample/v1/parties/311000004/status", "--systemuser-org", "313367002"}},
	} {
		if r := clitest.Run(t, "", append([]string{"--config", v.Cfg, "--record", har}, c.args...)...); r.Code != c.code {
			t.Fatalf("%v: exit %d, want %d: %+v", c.args, r.Code, c.code, r)
		}
	}
	report := filepath.Join(t.TempDir(), "report.md")
	if r := clitest.Run(t, "", "--config", v.Cfg, "support", "report", "--har", har, "--out", report); r.Code != 0 || !strings.Contains(r.Stdout, report) {
		t.Fatalf("support report: %+v", r)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	md := string(data)
	if p := os.Getenv("SBS_TUI_DUMP_REPORT"); p != "" {
		_ = os.WriteFile(p, data, 0o600)
	}
	for _, want := range []string{"# sbs-tui support report", "| Environment | sandbox |", "maskinporten_issuer", boot.ClientID,
		"| Organisation | " + boot.VendorOrg, "kid " + boot.Kid, "Clock offset", req.ID, "Accepted", "MP-303", "AUTH-00010",
		"Trace id", "sbs-tui explain MP-303", "403 Forbidden",
		// Every command the record holds, in order (the report named only the last one).
		"| Commands | `sbs-tui --config " + v.Cfg + " --record " + har + " request status " + req.ID + " --agent ; ", "users list --system 974761076_skatt_demo_system ; "} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if m := clitest.JWTInText.FindAllString(md, -1); len(m) > 0 {
		for _, j := range m {
			if !strings.HasSuffix(j, ".SIGNATURE-REMOVED") {
				t.Fatalf("the report holds a usable JWT: %.50s…", j)
			}
		}
	}

	recipes := recipeRe.FindAllStringSubmatch(md, -1)
	if len(recipes) < 10 {
		t.Fatalf("only %d curl recipes in the report:\n%s", len(recipes), md)
	}
	seen := map[string]bool{}
	for _, rc := range recipes {
		id, method, url, recorded, script := rc[1], rc[2], rc[3], rc[4], rc[5]
		if !strings.Contains(script, "curl ") {
			t.Fatalf("#%s has no curl command:\n%s", id, script)
		}
		out, err := clitest.RunShell(t, script)
		if err != nil {
			t.Fatalf("#%s %s %s: the recipe failed: %v\n%s\n--- script:\n%s", id, method, url, err, out, script)
		}
		got := statusRe.FindAllStringSubmatch(out, -1)
		if len(got) == 0 {
			t.Fatalf("#%s printed no status:\n%s", id, out)
		}
		if status := got[len(got)-1][1]; status != recorded {
			t.Errorf("#%s %s %s: recorded %s, the curl recipe got %s\n--- script:\n%s\n--- output:\n%s", id, method, url, recorded, status, script, out)
		}
		seen[recorded] = true
		if strings.Contains(script, "$GRANT") && !strings.Contains(script, `GRANT="$(sbs-tui --config `) {
			t.Errorf("#%s uses $GRANT without the command that makes it:\n%s", id, script)
		}
		if strings.Contains(script, "$TOKEN") && !strings.Contains(script, `TOKEN="$(sbs-tui --config `) {
			t.Errorf("#%s uses $TOKEN without the command that makes it:\n%s", id, script)
		}
	}
	for _, s := range []string{"200", "400", "403", "404"} {
		if !seen[s] {
			t.Errorf("no recipe reproduced a %s", s)
		}
	}
}

// Without --har the report looks the vendor's objects up now.
func TestSupportReportLive(t *testing.T) {
	_, _, _, cmd := clitest.WithSeedPageSystem(t)
	r := clitest.Run(t, "", cmd("support", "report", "--out", "-")...)
	if r.Code != 0 || !strings.Contains(r.Stdout, "974761076_skatt_demo_system") || !strings.Contains(r.Stdout, "| system |") ||
		!strings.Contains(r.Stdout, "oauth-authorization-server") {
		t.Fatalf("live report: %+v", r)
	}
	// --json says where the report went; with --out - it has nowhere to go.
	path := filepath.Join(t.TempDir(), "live.md")
	var out struct {
		OK        bool   `json:"ok"`
		Path      string `json:"path"`
		Exchanges int    `json:"exchanges"`
	}
	clitest.Decode(t, clitest.Run(t, "", cmd("support", "report", "--out", path, "--json")...), &out)
	if data, err := os.ReadFile(path); !out.OK || out.Path != path || out.Exchanges == 0 || err != nil || !strings.Contains(string(data), "974761076_skatt_demo_system") {
		t.Fatalf("report --json: %+v, file: %v", out, err)
	}
	if r := clitest.Run(t, "", cmd("support", "report", "--out", "-", "--json")...); r.Code != cli.ExitUsage || !strings.Contains(r.Stderr, "--out -") {
		t.Fatalf("report --json --out -: %+v", r)
	}
}

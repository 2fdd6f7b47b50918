package root_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

func TestTokenThenInspectVerify(t *testing.T) {
	clitest.Isolate(t)
	cfg, _ := clitest.StartSandbox(t)
	r := clitest.Run(t, "", "--config", cfg, "token", "--scope", world.ScopeSystemRegisterWrite)
	if r.Code != 0 || strings.Count(r.Stdout, ".") != 2 {
		t.Fatalf("token: %+v", r)
	}
	v := clitest.Run(t, "Bearer "+r.Stdout, "--config", cfg, "inspect", "--verify", "-")
	if v.Code != 0 || !strings.Contains(v.Stdout, "signature verified") || !strings.Contains(v.Stdout, "VALID") {
		t.Fatalf("inspect --verify: %+v", v)
	}
	// Tampering flips the verdict and the exit code.
	parts := strings.Split(strings.TrimSpace(r.Stdout), ".")
	forged := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
	bad := clitest.Run(t, forged, "--config", cfg, "inspect", "--verify", "--json", "-")
	var obj map[string]any
	if bad.Code != 1 || json.Unmarshal([]byte(bad.Stdout), &obj) != nil || obj["signature_verified"] != false {
		t.Fatalf("forged: %+v", bad)
	}
}

func TestEmbeddedSandboxIsTheDefault(t *testing.T) {
	clitest.Isolate(t)
	r := clitest.Run(t, "", "token", "--json", "--scope", world.ScopeDialogporten)
	var obj struct {
		OK          bool   `json:"ok"`
		AccessToken string `json:"access_token"`
		Environment string `json:"environment"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if r.Code != 0 || json.Unmarshal([]byte(r.Stdout), &obj) != nil || !obj.OK || obj.Environment != "sandbox" || obj.ExpiresIn != 120 {
		t.Fatalf("token --json on a fresh machine: %+v", r)
	}
	d := clitest.Run(t, "", "doctor", "--json")
	if d.Code != 0 || !strings.Contains(d.Stdout, `"ok": true`) {
		t.Fatalf("doctor: %+v", d)
	}
}

func TestTokenErrorsAreExplainedAndExitOne(t *testing.T) {
	clitest.Isolate(t)
	cfg, _ := clitest.StartSandbox(t)
	r := clitest.Run(t, "", "--config", cfg, "token", "--scope", world.ScopeSkeBoligselskap, "--systemuser-org", "313367002")
	if r.Code != 1 || !strings.Contains(r.Stderr, "MP-303") || !strings.Contains(r.Stderr, "externalRef") || r.Stdout != "" {
		t.Fatalf("MP-303: %+v", r)
	}
	r = clitest.Run(t, "", "--config", cfg, "token", "--json", "--scope", "nope:nope")
	var obj map[string]any
	if r.Code != 1 || json.Unmarshal([]byte(r.Stdout), &obj) != nil || obj["code"] != "MP-200" || obj["trace_id"] == "" {
		t.Fatalf("MP-200 --json: %+v", r)
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	clitest.Isolate(t)
	for _, args := range [][]string{
		{"token", "--bogus"},
		{"nosuchcommand"},
		{"--env", "ver2", "token"},
		{"token", "--systemuser-org", "57623423", "--scope", "a:b"},
		{"token", "--external-ref", "x"},
		{"inspect", "a", "b", "c"},
	} {
		r := clitest.Run(t, "", args...)
		if r.Code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.Code, r.Stderr)
		}
	}
	r := clitest.Run(t, "", "--env", "ver2", "token")
	if !strings.Contains(r.Stderr, "shut down") {
		t.Fatalf("ver2 warning missing: %s", r.Stderr)
	}
}

func TestInspectMalformedInput(t *testing.T) {
	clitest.Isolate(t)
	for in, want := range map[string]string{
		"not a token":          "not a JWT",
		"eyJhbGciOi.x.y":       "header",
		"":                     "empty",
		"\x1b]0;evil\x07a.b.c": "header",
	} {
		r := clitest.Run(t, in, "inspect", "-")
		if r.Code != 1 || !strings.Contains(r.Stderr, want) || strings.Count(strings.TrimSpace(r.Stderr), "\n") != 0 {
			t.Errorf("inspect %q: %+v", in, r)
		}
		if strings.Contains(r.Stderr, "\x1b") {
			t.Errorf("inspect %q echoed an escape sequence", in)
		}
	}
}

// TestOldSandboxConfigWithADeadURLStillWorks: a config written by an older `sandbox serve`
// names both the directory and a URL whose server is gone; the directory wins.
func TestOldSandboxConfigWithADeadURLStillWorks(t *testing.T) {
	clitest.Isolate(t)
	cfg, _ := clitest.StartSandbox(t)
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	old := strings.ReplaceAll(string(data), "sandbox_data: .", "sandbox_data: .\n        sandbox_url: http://127.0.0.1:1")
	if err := os.WriteFile(cfg, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, "", "--config", cfg, "token", "--scope", world.ScopeDialogporten)
	if r.Code != 0 {
		t.Fatalf("token with an old config: %+v\n%s", r, old)
	}
}

package inspectcmd_test

import (
	"encoding/json"
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

func TestTokenErrorsAreExplainedAndExitOne(t *testing.T) {
	v := clitest.NewVendor(t)
	r := clitest.Run(t, "", "--config", v.Cfg, "token", "--scope", world.ScopeSkeBoligselskap, "--systemuser-org", "313367002")
	if r.Code != 1 || !strings.Contains(r.Stderr, "MP-303") || !strings.Contains(r.Stderr, "externalRef") || r.Stdout != "" {
		t.Fatalf("MP-303: %+v", r)
	}
	r = clitest.Run(t, "", "--config", v.Cfg, "token", "--json", "--scope", "nope:nope")
	var obj map[string]any
	if r.Code != 1 || json.Unmarshal([]byte(r.Stdout), &obj) != nil || obj["code"] != "MP-200" || obj["trace_id"] == "" {
		t.Fatalf("MP-200 --json: %+v", r)
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

package cli_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

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

// TestOldSandboxConfigWithADeadURLStillWorks: a config written by an older `sandbox serve`
// names both the directory and a URL whose server is gone; the directory wins.
func TestOldSandboxConfigWithADeadURLStillWorks(t *testing.T) {
	v := clitest.NewVendor(t)
	data, err := os.ReadFile(v.Cfg)
	if err != nil {
		t.Fatal(err)
	}
	old := strings.ReplaceAll(string(data), "sandbox_data: .", "sandbox_data: .\n        sandbox_url: http://127.0.0.1:1")
	if err := os.WriteFile(v.Cfg, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, "", "--config", v.Cfg, "token", "--scope", world.ScopeDialogporten)
	if r.Code != 0 {
		t.Fatalf("token with an old config: %+v\n%s", r, old)
	}
}

package root_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
)

// TestUsageBeforeConfig: a command's flag rules are checked before the session reads the config
// (cli.App.WithSession), so a vendor with a broken config file still hears what the command
// needs, with exit code 2; a well-formed command on that config fails on the config, code 1.
func TestUsageBeforeConfig(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(bad, []byte("garbage = [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"request", "create", "--org", "313367002"}, "--system and --org are required"},
		{[]string{"request", "change", "--system-user", "x"}, "give at least one --package"},
		{[]string{"system", "register"}, "--file is required"},
		{[]string{"token", "--curl", "--json"}, "--curl and --json cannot be combined"},
		{[]string{"grant", "--external-ref", "r"}, "--systemuser-org"},
		{[]string{"call", "/x"}, "--systemuser-org"},
		{[]string{"system", "list"}, "invalid YAML"},
	} {
		r := clitest.Run(t, "", append([]string{"--config", bad}, c.args...)...)
		code := 2
		if c.want == "invalid YAML" {
			code = 1
		}
		if r.Code != code || !strings.Contains(r.Stderr, c.want) {
			t.Errorf("%v: code %d, stderr %q; want code %d and %q", c.args, r.Code, r.Stderr, code, c.want)
		}
	}
}

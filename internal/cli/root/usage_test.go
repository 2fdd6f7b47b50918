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

// TestMistypedCommandsAndFlags: a mistyped command under a group exits 2 with a suggestion
// (cobra printed the group's help and exited 0, so a script carried on), and cobra's and
// pflag's refusals are in the user's language, naming the flag or command and its help.
func TestMistypedCommandsAndFlags(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"request", "crate"}, []string{`unknown command "crate" for "sbs-tui request"`, "Did you mean: create?", "sbs-tui request --help"}},
		{[]string{"--lang", "nb", "request", "--profile", "p", "crate"}, []string{`ukjent kommando "crate" for «sbs-tui request»`, "Mente du: create?"}},
		{[]string{"requst"}, []string{`unknown command "requst" for "sbs-tui"`, "Did you mean: request?"}},
		{[]string{"completion", "bsh"}, []string{`unknown command "bsh" for "sbs-tui completion"`, "Did you mean: bash"}},
		{[]string{"--lang", "nb", "token", "extra"}, []string{`sbs-tui token tar ingen argumenter (fikk "extra")`, "sbs-tui token --help"}},
		{[]string{"--lang", "nb", "token", "--nosuch"}, []string{"ukjent flagg: --nosuch"}},
		{[]string{"--lang", "nn", "token", "-z"}, []string{"ukjend flagg: -z"}},
		{[]string{"--lang", "nb", "token", "--systemuser-org"}, []string{"flagget --systemuser-org trenger en verdi"}},
		{[]string{"--lang", "nb", "token", "--timeout", "abc"}, []string{`--timeout: "abc" er ikke en varighet som 90s`}},
		{[]string{"request", "change", "--system-user", "nope", "--package", "p"}, []string{`--system-user: "nope" is not an id Altinn gives`}},
		{[]string{"sandbox", "approve", "not-a-uuid"}, []string{`"not-a-uuid" is not an id Altinn gives`}},
		{[]string{"sandbox", "clients", "add", "--agent", "x", "--client", "313000001"}, []string{`--agent: "x" is not an id Altinn gives`}},
		{[]string{"inspect", "a", "b", "c"}, []string{"or two files to compare (got 3 arguments)"}},
	} {
		r := clitest.Run(t, "", c.args...)
		if r.Code != 2 {
			t.Errorf("%v: code %d, want 2; stderr %q", c.args, r.Code, r.Stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(r.Stderr, w) {
				t.Errorf("%v: stderr %q lacks %q", c.args, r.Stderr, w)
			}
		}
	}
	// A group on its own, or with help, still shows its help.
	for _, args := range [][]string{{"request"}, {"request", "help"}, {"request", "--help"}} {
		if r := clitest.Run(t, "", args...); r.Code != 0 || !strings.Contains(r.Stdout, "create") {
			t.Errorf("%v: code %d, stdout %q; want the group's help", args, r.Code, r.Stdout)
		}
	}
}

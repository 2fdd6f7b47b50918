package sandboxcmd_test

import (
	"encoding/json"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// `sandbox rotate-key` works on the data directory the environment names, as every other
// sandbox command does: the new key is in that directory's key ring, not in the XDG default's.
func TestRotateKeyUsesTheNamedDataDirectory(t *testing.T) {
	clitest.Isolate(t)
	dir := t.TempDir()
	t.Setenv(cli.SandboxDataVar, dir)
	r := clitest.Run(t, "", "sandbox", "rotate-key", "--json")
	var out struct {
		OK  bool   `json:"ok"`
		Kid string `json:"kid"`
	}
	if r.Code != 0 || json.Unmarshal([]byte(r.Stdout), &out) != nil || !out.OK || out.Kid == "" {
		t.Fatalf("rotate-key --json: %+v", r)
	}
	sb, err := sandbox.Open(sandbox.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	var kids []string
	if err := sb.View(func(st *world.State) error {
		for _, k := range st.SigningKeys {
			kids = append(kids, k.Kid)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(kids) < 2 || kids[len(kids)-1] != out.Kid {
		t.Fatalf("keys in %s: %v; want the seeded key and then %s", dir, kids, out.Kid)
	}
}

package cli_test

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// A data directory whose recorded port another program holds: the command still works (the
// sandbox runs inside it) and says so once, in one sentence naming the way to move the
// directory.
func TestRecordedPortTakenByAnotherProgram(t *testing.T) {
	dir := sandboxtest.New(t, sandboxtest.Unserved()).Dir
	// Record the directory at a port another program then takes.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { _ = http.Serve(ln, http.NotFoundHandler()) }()
	rec := map[string]string{"listen": ln.Addr().String(), "base_url": "http://" + ln.Addr().String(), "id": "port-taken-test"}
	data, _ := json.Marshal(rec)
	if err := os.WriteFile(filepath.Join(dir, "address.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(cli.SandboxDataVar, dir)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	r := clitest.Run(t, "", "token", "--scope", world.ScopeDialogporten)
	if r.Code != 0 || strings.Count(r.Stderr, "is in use by another program") != 1 || !strings.Contains(r.Stderr, "sandbox serve --data") {
		t.Fatalf("exit %d, stderr:\n%s", r.Code, r.Stderr)
	}
}

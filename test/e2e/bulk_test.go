package e2e

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// TestBulkKilledHalfwayThenRerun kills a real `request bulk` process (SIGKILL, no chance to
// clean up) in the middle of a run, then runs it again: every customer ends with exactly one
// request, and the second run reports what the first one had sent as existing.
func TestBulkKilledHalfwayThenRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary against a few hundred customers")
	}
	t.Parallel()
	home := t.TempDir()
	data := filepath.Join(home, "sandbox")
	sw := sandboxtest.New(t, sandboxtest.Dir(data), sandboxtest.Unserved())
	sb, boot := sw.SB, sw.Boot
	sysPath := writeSeedSystem(t, home, boot.ClientID)
	env := append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(home, "config"), "XDG_DATA_HOME="+filepath.Join(home, "data"),
		"XDG_STATE_HOME="+filepath.Join(home, "state"), "SBS_TUI_SANDBOX_DATA="+data, "SBS_TUI_CONFIG=")
	command := func(args ...string) *exec.Cmd {
		c := exec.Command(binary, args...)
		c.Env = env
		return c
	}
	if out, err := command("system", "register", "--file", sysPath).CombinedOutput(); err != nil {
		t.Fatalf("register: %v\n%s", err, out)
	}
	csvPath := filepath.Join(home, "customers.csv")
	if out, err := command("sandbox", "orgs", "add", "--count", "400", "--csv", csvPath).CombinedOutput(); err != nil {
		t.Fatalf("orgs add: %v\n%s", err, out)
	}

	first := command("request", "bulk", "--file", csvPath, "--json", "--concurrency", "2")
	stdout, _ := first.StdoutPipe()
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	seen := 0
	for seen < 120 && lines.Scan() {
		var r struct{ Outcome string }
		if json.Unmarshal(lines.Bytes(), &r) == nil && r.Outcome == "created" {
			seen++
		}
	}
	if seen < 120 {
		t.Fatalf("only %d rows streamed before the run ended: %v", seen, first.Wait())
	}
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	// The sandbox went down with the process; its state is on disk.
	before := 0
	_ = sb.View(func(st *world.State) error { before = len(st.Requests); return nil })
	if before < 120 || before >= 400 {
		t.Fatalf("%d requests after the kill", before)
	}

	out, err := command("request", "bulk", "--file", csvPath, "--json").Output()
	if err != nil {
		t.Fatalf("re-run: %v\n%s", err, out)
	}
	rows := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(rows) != 401 {
		t.Fatalf("%d lines, want 400 rows and a summary", len(rows))
	}
	var sum struct {
		Summary                  bool
		Created, Existing, Total int
		Out                      string
	}
	if err := json.Unmarshal([]byte(rows[400]), &sum); err != nil || !sum.Summary || sum.Total != 400 || sum.Existing != before || sum.Created != 400-before {
		t.Fatalf("summary %+v %v (requests before: %d)", sum, err, before)
	}
	per := map[string]int{}
	_ = sb.View(func(st *world.State) error {
		for _, q := range st.Requests {
			per[q.PartyOrgNo]++
		}
		return nil
	})
	for org, n := range per {
		if n != 1 {
			t.Fatalf("%s has %d requests", org, n)
		}
	}
	if len(per) != 400 {
		t.Fatalf("%d customers have requests", len(per))
	}
	res, err := os.ReadFile(sum.Out)
	if err != nil || strings.Count(string(res), "\n") != 401 || !strings.Contains(string(res), "confirm_url") {
		t.Fatalf("results file %s: %v", sum.Out, err)
	}
	t.Logf("killed after %d of 400; the re-run found them and created %d", before, sum.Created)
}

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// boardWorld is an embedded-sandbox data directory with the seed page's system registered
// (through the binary, as a user does) and 5,000 customers with a waiting request each
// (through the sandbox's fast path: the HTTP path is what the bulk tests measure).
func boardWorld(t *testing.T) (env []string, orgs []world.Org) {
	t.Helper()
	home := t.TempDir()
	data := filepath.Join(home, "sandbox")
	sw := sandboxtest.New(t, sandboxtest.Dir(data), sandboxtest.Unserved())
	sb, boot := sw.SB, sw.Boot
	sysPath := writeSeedSystem(t, home, boot.ClientID)
	env = []string{"XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"), "SBS_TUI_SANDBOX_DATA=" + data, "TERM=xterm-256color", "SBS_TUI_CONFIG="}
	reg := exec.Command(binary, "system", "register", "--file", sysPath)
	reg.Env = append(os.Environ(), env...)
	if out, err := reg.CombinedOutput(); err != nil {
		t.Fatalf("register: %v\n%s", err, out)
	}
	orgs, err := sb.AddOrgs(5000)
	if err != nil {
		t.Fatal(err)
	}
	nos := make([]string, len(orgs))
	for i, o := range orgs {
		nos[i] = o.OrgNo
	}
	if _, err := sb.AddRequests(sandbox.RequestSeed{SystemID: "974761076_skatt_demo_system", Orgs: nos,
		Packages: []altinn.PackageRef{{URN: "urn:altinn:accesspackage:skattegrunnlag"}}}); err != nil {
		t.Fatal(err)
	}
	return env, orgs
}

func startBoard(t *testing.T, env []string, name string, w, h int, args ...string) *term {
	t.Helper()
	home := t.TempDir()
	tm := &term{t: t, socket: filepath.Join(home, "tmux.sock"), name: name}
	shell := fmt.Sprintf("env %s %s %s board; echo EXIT=$?; sleep 30", strings.Join(env, " "), binary, strings.Join(args, " "))
	tm.tmux("-f", "/dev/null", "new-session", "-d", "-s", tm.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), shell)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", tm.socket, "kill-server").Run() })
	return tm
}

// esc sends Escape alone: a key sent before the program has read it would make Alt+key;
// keys waits for the screen to show it was read.
func (tm *term) esc() { tm.t.Helper(); tm.keys("Escape") }

func TestBoardUnderTmuxWith5000Requests(t *testing.T) {
	needTmux(t)
	if testing.Short() {
		t.Skip("the 5,000-customer board journey is skipped in -short")
	}
	t.Parallel()
	env, orgs := boardWorld(t)

	// 80×24: filter to one customer, approve as the customer, ask for the QR (too small here:
	// the board says so), clear the filter, sort by status.
	tm := startBoard(t, env, "board80", 80, 24)
	tm.waitFor("SANDBOX", "New 5,000", "5,000 rows", "by org no ↑", orgs[0].OrgNo, "/ filter")
	pick := orgs[1234]
	tm.keys("/")
	tm.text(pick.OrgNo)
	tm.keys("Enter")
	s := tm.waitFor("1 of 5,000 rows", pick.OrgNo)
	if strings.Contains(s, orgs[0].OrgNo) {
		t.Fatalf("the filter left other rows:\n%s", s)
	}
	tm.waitFor(strings.Fields(pick.Name)[0]) // the register's name arrives
	tm.keys("a")
	tm.waitFor("Accepted 1", "New 4,999", "approved the request")
	tm.keys("Enter")
	tm.waitFor("confirmUrl for "+pick.OrgNo, "needs a larger window")
	tm.esc()
	tm.waitFor("1 of 5,000 rows")
	tm.esc()
	tm.waitFor("· 5,000 rows")
	for range colStatusPresses {
		tm.keys("s")
	}
	s = tm.waitFor("by status ↑")
	// Accepted sorts before New: the approved customer is now the first row.
	lines := strings.Split(s, "\n")
	if len(lines) < 4 || !strings.Contains(lines[3], pick.OrgNo) || !strings.Contains(lines[3], "Accepted") {
		t.Fatalf("sorted by status, the first row is not the accepted one:\n%s", s)
	}
	tm.keys("S")
	tm.waitFor("by status ↓")
	tm.keys("q")
	tm.waitFor("EXIT=0")

	// 200×50: the QR code of a row, reject as the customer, then send the rejected one again.
	tm = startBoard(t, env, "board200", 200, 50)
	tm.waitFor("New 4,999", "Accepted 1")
	other := orgs[42]
	tm.keys("/")
	tm.text(other.OrgNo)
	tm.keys("Enter")
	tm.waitFor("1 of 5,000 rows", other.OrgNo)
	tm.keys("Enter")
	s = tm.waitFor("confirmUrl for "+other.OrgNo, "▀▀", "DONTCHOOSEREPORTEE")
	if strings.Count(s, "█") < 100 {
		t.Fatalf("no QR code drawn:\n%s", s)
	}
	tm.esc()
	tm.keys("x")
	tm.waitFor("Rejected 1", "rejected the request")
	tm.keys("r")
	tm.waitFor("Delete the rejected request of " + other.OrgNo)
	tm.keys("y")
	tm.waitFor("Sent a new request to "+other.OrgNo, "New 4,999")
	tm.keys("?")
	tm.waitFor("Status board keys", "resend rejected")
	tm.keys("q") // the help goes back, as it says any key does
	tm.waitUntil("the board again", func(s string) bool {
		return !strings.Contains(s, "Status board keys") && strings.Contains(s, "/ filter")
	})
	tm.keys("q")
	tm.waitFor("EXIT=0")
}

// colStatusPresses is how many s presses get from the org number to the status column.
const colStatusPresses = 3

// The board stays open past --timeout, which bounds headless commands: it closed after two
// minutes (the default), exit 0, with no word. Here --timeout is 1s and the board is seen
// refreshing after it.
func TestBoardOutlivesTheCommandTimeout(t *testing.T) {
	needTmux(t)
	t.Parallel()
	env, _ := boardWorld(t)
	tm := startBoard(t, env, "timeout", 100, 30, "--timeout", "1s")
	tm.waitFor("updated 0s ago")
	s := tm.waitUntil("a refresh after --timeout", func(s string) bool {
		return strings.Contains(s, "EXIT=") || strings.Contains(s, "updated 2s ago") || strings.Contains(s, "updated 3s ago")
	})
	if strings.Contains(s, "EXIT=") {
		t.Fatalf("the board closed at --timeout:\n%s", s)
	}
}

package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
)

// TestWizardResumedInANewProcessApprovesThroughTheSavedConfirmURL quits the wizard at step 6,
// starts it again in a new process, resumes, and approves as the customer by opening the saved
// confirmUrl over HTTP: the URL still resolves because the data directory's address is stable,
// and the new process serves it.
func TestWizardResumedInANewProcessApprovesThroughTheSavedConfirmURL(t *testing.T) {
	needTmux(t)
	e := newEnv(t)
	// Seed the data directory first, to write a system.json with its vendor's client id.
	sw := sandboxtest.New(t, sandboxtest.Dir(e.data), sandboxtest.Unserved())
	boot := sw.Boot
	sysPath := writeSystemFor(t, e, boot.ClientID)

	tm := &term{t: t, socket: filepath.Join(e.home, "tmux.sock"), name: "wizard"}
	vars := []string{"HOME=" + e.home, "XDG_CONFIG_HOME=" + filepath.Join(e.home, "config"), "XDG_DATA_HOME=" + filepath.Join(e.home, "data"),
		"XDG_STATE_HOME=" + filepath.Join(e.home, "state"), "SBS_TUI_SANDBOX_DATA=" + e.data, "TERM=xterm-256color"}
	shell := fmt.Sprintf("env %s %s; echo EXIT=$?; sleep 60", strings.Join(vars, " "), binary)
	tm.tmux("-f", "/dev/null", "new-session", "-d", "-s", tm.name, "-x", "100", "-y", "30", shell)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", tm.socket, "kill-server").Run() })

	tm.waitFor("SANDBOX", "✓ clock")
	tm.keys("Enter")
	tm.waitFor("2. Scopes", "aksjonaerregisteroppgave: token issued")
	tm.keys("Enter")
	tm.waitFor("3. Maskinporten client and key", "enter use this key")
	tm.keys("Enter")
	tm.waitFor("import a system.json")
	tm.keys("i")
	tm.waitFor("Path to system.json")
	tm.text(sysPath)
	tm.keys("Enter")
	tm.waitFor("JSON to send", "enter register or update")
	tm.keys("Enter")
	tm.waitFor("System 974761076_skatt_demo_system: created")
	tm.keys("Enter")
	tm.waitFor("5. Ask the customer", "Customer's organisation number")
	tm.text("313367002")
	tm.keys("Enter")
	tm.waitFor("Access packages to ask for")
	tm.keys("Enter") // the system's packages are chosen already
	tm.waitFor("Agent (client) system user?", "Required:")
	tm.keys("Enter", "Enter", "Enter")
	tm.waitFor("Created.", "Lystig Ærlig Tiger AS")
	tm.keys("Enter")
	tm.waitFor("6. The customer approves")

	// Quit at step 6 (confirming if the wizard asks), then start a new process and resume.
	tm.keys("q")
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(tm.screen(), "EXIT=") {
		if strings.Contains(tm.screen(), "Quit anyway?") {
			tm.keys("y")
		}
		if time.Now().After(deadline) {
			t.Fatalf("the wizard did not quit:\n%s", tm.screen())
		}
		time.Sleep(pollEvery)
	}
	tm.waitFor("EXIT=0")
	confirm := savedConfirmURL(t, e)

	tm.tmux("new-session", "-d", "-s", "resumed", "-x", "100", "-y", "30", shell)
	tm.tmux("kill-session", "-t", tm.name)
	tm.name = "resumed"
	tm.waitFor("Resume where you left off?")
	tm.keys("r")
	// Progress saved as step 5 finished may resume on its result: go on to step 6 from there.
	if s := tm.waitForAny("6. The customer approves", "enter continue"); !strings.Contains(s, "6. The customer approves") {
		tm.keys("Enter")
	}
	tm.waitFor("6. The customer approves")

	// The customer opens the saved confirmUrl (served by the resumed wizard) and approves; the
	// wizard's polling sees it and moves on to the token.
	approveOverHTTP(t, confirm)
	tm.waitFor("7. Token for the system user", "[signature verified]", "0192:313367002")
	tm.keys("C-c")
}

// savedConfirmURL is the confirmUrl in the wizard's resume file, resolved against the data
// directory's base URL if it was saved without a host.
func savedConfirmURL(t *testing.T, e *env) string {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(e.home, "state", "sbs-tui", "progress-*.json"))
	if len(matches) != 1 {
		t.Fatalf("progress files: %v", matches)
	}
	raw, _ := os.ReadFile(matches[0])
	var p struct {
		Flow struct {
			ConfirmURL string `json:"confirm_url"`
		} `json:"flow"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.Flow.ConfirmURL == "" {
		t.Fatalf("progress without a confirmUrl: %s", raw)
	}
	u, err := url.Parse(p.Flow.ConfirmURL)
	if err != nil {
		t.Fatal(err)
	}
	if !u.IsAbs() {
		rec, _ := os.ReadFile(filepath.Join(e.data, "address.json"))
		var a struct {
			BaseURL string `json:"base_url"`
		}
		_ = json.Unmarshal(rec, &a)
		base, _ := url.Parse(a.BaseURL + "/")
		u = base.ResolveReference(u)
	}
	return u.String()
}

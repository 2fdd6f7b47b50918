// Package e2e drives the built sbs-tui binary in a real terminal (tmux, on a private socket,
// at 80×24) through the whole wizard against its embedded sandbox.
package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/sandbox"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sbs-tui-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "sbs-tui")
	if out, err := exec.Command("go", "build", "-o", binary, "../../cmd/sbs-tui").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// term is one tmux session on a private socket.
type term struct {
	t      *testing.T
	socket string
	name   string
}

func (tm *term) tmux(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (tm *term) screen() string { return tm.tmux("capture-pane", "-p", "-t", tm.name) }

// waitFor polls the screen until it contains every text (never fixed sleeps).
func (tm *term) waitFor(texts ...string) string {
	tm.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := tm.screen()
		ok := true
		for _, want := range texts {
			ok = ok && strings.Contains(s, want)
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out waiting for %q; the screen:\n%s", texts, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tm *term) keys(keys ...string) {
	tm.tmux(append([]string{"send-keys", "-t", tm.name}, keys...)...)
}

// text types literally; huh moves between fields through commands, so give it a moment.
func (tm *term) text(s string) {
	tm.tmux("send-keys", "-t", tm.name, "-l", s)
	time.Sleep(150 * time.Millisecond)
}

func TestWizardUnderTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is required in CI (.ci/run installs it)")
		}
		t.Skip("tmux not installed")
	}
	home := t.TempDir()
	data := filepath.Join(home, "sandbox")
	// Seed the embedded sandbox first, to write a system.json with its vendor's client id.
	sb, err := sandbox.Open(sandbox.Options{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	boot, _ := sb.Bootstrap()
	seed, err := os.ReadFile("../../internal/domain/altinn/testdata/seed-page-system.json")
	if err != nil {
		t.Fatal(err)
	}
	sys := strings.NewReplacer(`"Skatteetatens Test SBS",`, `"Skatteetatens Test SBS"`, `"En beskrivelse av systemet",`, `"En beskrivelse av systemet"`,
		`"isVisible": true`, `"isVisible": false`, "e6c868ef-d9d6-4847-ba25-409bbd040540", boot.ClientID).Replace(string(seed))
	sysPath := filepath.Join(home, "system.json")
	if err := os.WriteFile(sysPath, []byte(sys), 0o600); err != nil {
		t.Fatal(err)
	}

	tm := &term{t: t, socket: filepath.Join(home, "tmux.sock"), name: "wizard"}
	env := []string{"XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"), "SBS_TUI_SANDBOX_DATA=" + data, "TERM=xterm-256color"}
	shell := fmt.Sprintf("env %s %s; echo EXIT=$?; sleep 30", strings.Join(env, " "), binary)
	tm.tmux("-f", "/dev/null", "new-session", "-d", "-s", tm.name, "-x", "80", "-y", "24", shell)
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
	time.Sleep(150 * time.Millisecond)
	tm.keys("Enter") // keep the system id
	time.Sleep(150 * time.Millisecond)
	tm.text("313367002")
	tm.keys("Enter")
	tm.waitFor("Access packages to ask for")
	time.Sleep(150 * time.Millisecond)
	tm.keys("C-a") // both of the system's packages
	time.Sleep(200 * time.Millisecond)
	tm.keys("Enter")
	tm.waitFor("Agent (client) system user?", "Required:") // the second group; agent chosen for us
	for i := 0; i < 3; i++ {                               // agent, external ref, redirect URL
		time.Sleep(300 * time.Millisecond)
		tm.keys("Enter")
	}
	s := tm.waitFor("Created.", "Lystig Ærlig Tiger AS")
	if !strings.Contains(s, "(agent)") {
		t.Fatalf("the client-only package did not make it an agent request:\n%s", s)
	}
	tm.keys("Enter")
	tm.waitFor("6. The customer approves", "approve as customer")
	tm.keys("a") // the approval moves on to the token by itself
	tm.waitFor("7. Token for the system user", "[signature verified]", "0192:313367002")
	tm.keys("Enter")
	tm.waitFor("8. Call the API", "URL:")
	tm.keys("Enter")
	final := tm.waitFor("HTTP 200 OK", "All eight steps are done", "Lystig Ærlig Tiger AS")
	for _, line := range strings.Split(final, "\n") {
		if len([]rune(line)) > 80 {
			t.Fatalf("a line is wider than the terminal: %q", line)
		}
	}
	tm.keys("q")
	tm.waitFor("EXIT=0")

	// What the wizard saved to resume from: answers, no secrets.
	matches, _ := filepath.Glob(filepath.Join(home, "state", "sbs-tui", "progress-*.json"))
	if len(matches) != 1 {
		t.Fatalf("progress files: %v", matches)
	}
	raw, _ := os.ReadFile(matches[0])
	var p struct {
		Done []bool
		Flow struct{ Status string } `json:"flow"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.Flow.Status != "Accepted" || strings.Contains(string(raw), "eyJ") || strings.Contains(string(raw), "PRIVATE") {
		t.Fatalf("progress: %s", raw)
	}
}

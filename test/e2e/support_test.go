package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/support"
)

var usableJWT = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{20,}`)

// TestLogPaneAndReportKeyUnderTmux is the support journey at 80×24: the log pane (l) lists
// the exchanges of the first two steps, enter shows one redacted, esc goes back and closes;
// s writes the support report; --cast leaves a replayable, redacted recording.
func TestLogPaneAndReportKeyUnderTmux(t *testing.T) {
	needTmux(t)
	t.Parallel()
	home := t.TempDir()
	cast := filepath.Join(home, "session.cast")
	tm := &term{t: t, socket: filepath.Join(home, "tmux.sock"), name: "support"}
	env := []string{"XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"), "SBS_TUI_SANDBOX_DATA=" + filepath.Join(home, "sandbox"), "TERM=xterm-256color"}
	shell := fmt.Sprintf("env %s %s --cast %s; echo EXIT=$?; sleep 30", strings.Join(env, " "), binary, cast)
	tm.tmux("-f", "/dev/null", "new-session", "-d", "-s", tm.name, "-x", "80", "-y", "24", "-c", home, shell)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", tm.socket, "kill-server").Run() })

	tm.waitFor("SANDBOX", "✓ clock", "? more keys")
	tm.keys("?") // l and s are in the full help
	tm.waitFor("l", "HTTP log", "s", "support report")
	tm.keys("?")
	tm.keys("Enter")
	tm.waitFor("2. Scopes", "aksjonaerregisteroppgave: token issued")

	// The log pane: the metadata GET and one token POST per scope, newest last and selected.
	tm.keys("l")
	s := tm.waitFor("HTTP log · 7 exchanges this session", "› ", "esc close log")
	if strings.Count(s, "/maskinporten/token") != 6 || !strings.Contains(s, "well-known") || strings.Count(s, " 200 ") != 7 {
		t.Fatalf("log pane:\n%s", s)
	}
	lines := strings.Split(s, "\n")
	for _, l := range lines {
		if len([]rune(l)) > 80 {
			t.Fatalf("a line is wider than the terminal: %q", l)
		}
	}
	// One exchange in full: the token request, its grant without signature.
	tm.keys("Enter")
	s = tm.waitFor("exchange #7 of 7", "POST http", "200 OK", "esc back to the list")
	for i := 0; i < 12 && !strings.Contains(s, "SIGNATURE-REMOVED"); i++ {
		tm.keys("Down")
		s = tm.screen()
	}
	if !strings.Contains(s, "SIGNATURE-REMOVED") {
		t.Fatalf("the grant is not shown redacted:\n%s", s)
	}
	var joined strings.Builder
	for _, l := range strings.Split(s, "\n") {
		joined.WriteString(strings.TrimSpace(l))
	}
	if j := usableJWT.FindString(joined.String()); j != "" {
		t.Fatalf("a usable JWT on screen: %.40s…", j)
	}
	tm.keys("Escape")
	tm.waitFor("HTTP log · 7 exchanges", "esc close log")
	tm.keys("Escape")
	tm.waitFor("2. Scopes", "? more keys") // the log pane is closed

	// The report key.
	tm.keys("s")
	s = tm.waitFor("Support report written:")
	m := regexp.MustCompile(`Support report written: (sbs-tui-report-\S+\.md) \(current directory\)`).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no report path:\n%s", s)
	}
	matches, _ := filepath.Glob(filepath.Join(home, "sbs-tui-report-*.md"))
	if len(matches) != 1 {
		t.Fatalf("report files: %v", matches)
	}
	report, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# sbs-tui support report", "| Environment | sandbox |", "## Failed exchanges (0)", "## Reproduce with curl", `GRANT="$(sbs-tui`} {
		if !strings.Contains(string(report), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	for _, j := range usableJWT.FindAllString(string(report), -1) {
		t.Errorf("the report holds a usable JWT: %.40s…", j)
	}

	tm.keys("q")
	tm.waitFor("EXIT=0")
	f, err := os.Open(cast)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, out, err := support.ValidateCast(f)
	if err != nil {
		t.Fatalf("the recording does not replay: %v", err)
	}
	if h.Width != 80 || h.Height != 24 || !strings.Contains(out, "HTTP log") || !strings.Contains(out, "Support report written") {
		t.Fatalf("the recording lacks the session: %+v", h)
	}
	if j := usableJWT.FindString(out); j != "" {
		t.Fatalf("the recording holds a usable JWT: %.40s…", j)
	}
}

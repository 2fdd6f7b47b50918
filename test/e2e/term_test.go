package e2e

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// term is one tmux session on a private socket: the board, several processes and every
// wizard journey (a user is a term with a home and a sandbox) drive the built binary in it.
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
	deadline := time.Now().Add(20 * time.Second)
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
}

package e2e

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"slices"
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
	ctl    *controlClient // reads the screen; nil until the first read, or when it failed
	noCtl  bool           // control mode failed: read by a tmux process per read
}

func (tm *term) tmux(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// screen is what the current session shows. It asks through one control-mode client
// (tmux -C) rather than a tmux process per read: journeys read the screen every pollEvery, and
// six journeys' process starts took most of the package's CPU.
func (tm *term) screen() string {
	tm.t.Helper()
	if tm.ctl == nil && !tm.noCtl {
		ctl, err := attachControl(tm.socket, tm.name)
		if err != nil {
			tm.noControl(err)
		} else {
			tm.ctl = ctl
			tm.t.Cleanup(ctl.close)
		}
	}
	if tm.ctl != nil {
		out, err := tm.ctl.run("capture-pane -p -t " + tm.name)
		if err == nil {
			return out
		}
		tm.ctl.close()
		tm.ctl = nil
		tm.noControl(err)
	}
	return tm.tmux("capture-pane", "-p", "-t", tm.name)
}

// noControl gives up control mode for this terminal: the screen is read by a tmux process.
func (tm *term) noControl(err error) {
	tm.t.Logf("tmux control mode: %v; reading the screen with a tmux process each time", err)
	tm.noCtl = true
}

// controlClient is a tmux control-mode client: commands on stdin, each answer between
// %begin and %end (or %error) lines on stdout; other % lines are notifications.
type controlClient struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func attachControl(socket, session string) (*controlClient, error) {
	// ignore-size: the client must not resize the session; no-output: no %output
	// notifications of everything the wizard draws.
	cmd := exec.Command("tmux", "-S", socket, "-C", "attach-session", "-t", session, "-f", "ignore-size,no-output")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &controlClient{cmd: cmd, in: in, out: bufio.NewReader(outPipe)}
	if _, err := c.answer(); err != nil { // the attach's own answer
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *controlClient) run(command string) (string, error) {
	if _, err := io.WriteString(c.in, command+"\n"); err != nil {
		return "", err
	}
	return c.answer()
}

// answer reads up to the next %end or %error and returns the lines between.
func (c *controlClient) answer() (string, error) {
	var b strings.Builder
	inBlock := false
	for {
		line, err := c.out.ReadString('\n')
		if err != nil {
			return "", fmt.Errorf("tmux control client: %w", err)
		}
		switch {
		case strings.HasPrefix(line, "%begin "):
			inBlock = true
			b.Reset()
		case inBlock && strings.HasPrefix(line, "%end "):
			return b.String(), nil
		case inBlock && strings.HasPrefix(line, "%error "):
			return "", fmt.Errorf("tmux: %s", strings.TrimSpace(b.String()))
		case inBlock:
			b.WriteString(line)
		case strings.HasPrefix(line, "%exit"):
			return "", fmt.Errorf("tmux control client exited: %s", strings.TrimSpace(line))
		}
	}
}

func (c *controlClient) close() {
	_ = c.in.Close()
	_ = c.cmd.Process.Kill()
	_ = c.cmd.Wait()
}

// waitFor polls the screen until it contains every text (never fixed sleeps).
func (tm *term) waitFor(texts ...string) string {
	tm.t.Helper()
	return tm.waitUntil(fmt.Sprintf("%q", texts), func(s string) bool {
		for _, want := range texts {
			if !strings.Contains(s, want) {
				return false
			}
		}
		return true
	})
}

// waitForAny polls the screen until it contains one of texts, and returns it.
func (tm *term) waitForAny(texts ...string) string {
	tm.t.Helper()
	return tm.waitUntil(fmt.Sprintf("one of %q", texts), func(s string) bool {
		return slices.ContainsFunc(texts, func(want string) bool { return strings.Contains(s, want) })
	})
}

func (tm *term) waitUntil(what string, ok func(screen string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := tm.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out waiting for %s; the screen:\n%s", what, s)
		}
		time.Sleep(pollEvery)
	}
}

// keys sends keys (tmux names: Enter, Escape, BSpace, C-c) one at a time, each once the
// program has drawn the one before, as a person reads the screen before the next key.
func (tm *term) keys(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		before := tm.screen()
		tm.tmux("send-keys", "-t", tm.name, k)
		tm.settle(before)
	}
}

// text types s literally, then waits for the program to draw it.
func (tm *term) text(s string) {
	tm.t.Helper()
	before := tm.screen()
	tm.tmux("send-keys", "-t", tm.name, "-l", s)
	tm.settle(before)
}

const (
	// pollEvery is how often the screen is read while waiting on it; each read is a round trip
	// to tmux (a tmux process where control mode failed), so reading more often mostly costs
	// CPU that six journeys at once need.
	pollEvery = 30 * time.Millisecond
	// unchangedFor is how long a key may leave the screen as it was before settle accepts
	// that it changes nothing visible (a no-op; a few per run): long enough for a loaded machine.
	unchangedFor = time.Second
	// stableFor is how long a changed screen must stay the same to count as drawn.
	stableFor = 100 * time.Millisecond
	// settleAtMost bounds settle on a screen that never stops changing (a spinner, a clock).
	settleAtMost = 3 * time.Second
)

// settle waits until the program has drawn what the last key did: the screen differs from
// before and then stays the same for stableFor (huh moves between fields through commands,
// so a key can draw in two steps, further apart on a loaded machine). Keys are never timed
// by fixed sleeps.
func (tm *term) settle(before string) {
	tm.t.Helper()
	start := time.Now()
	last, since := before, start
	for time.Since(start) < settleAtMost {
		time.Sleep(pollEvery)
		s := tm.screen()
		if s != last {
			last, since = s, time.Now()
			continue
		}
		if s == before && time.Since(start) >= unchangedFor {
			return
		}
		if s != before && time.Since(since) >= stableFor {
			return
		}
	}
}

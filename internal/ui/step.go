package ui

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// Step is one of the wizard's components.
type Step interface {
	// Title is the step's heading; Short its name in the step list.
	Title() string
	Short() string
	// Enter makes the step current and returns its first command (a form's Init, a check).
	Enter() tea.Cmd
	// Leave is called when another step becomes current.
	Leave()
	// Update handles a message; key messages reach only the current step.
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(width, height int)
	// Actions are the keys the step offers in its current state: they handle the keys and
	// draw the footer and full help. While Capturing, keys go to the field and the actions
	// only describe them (an action with a nil do is the field's own key).
	Actions() []action
	// Done reports a completed step; Busy a network call in flight (esc cancels it through
	// Cancel); Capturing a focused text field (single-letter global keys then belong to it).
	Done() bool
	Busy() bool
	Capturing() bool
	Cancel()
	// Reset forgets the step's results: an earlier step changed, so they are stale. The next
	// Enter rebuilds the step from the flow.
	Reset()
}

// noticeMsg shows a short message above the footer until the next key ("copied").
type noticeMsg struct{ text string }

func notice(text string) tea.Cmd { return func() tea.Msg { return noticeMsg{text} } }

// invalidateMsg says that the sender's result changed: the steps from `from` on are no longer
// done and (except the sender) forget their results.
type invalidateMsg struct{ from, sender int }

func invalidate(from, sender int) tea.Cmd {
	return func() tea.Msg { return invalidateMsg{from: from, sender: sender} }
}

// scrollTopMsg asks the root to show the top of the current step's body, where a step writes
// the result of an action the user may have pressed while scrolled down.
type scrollTopMsg struct{}

func scrollTop() tea.Msg { return scrollTopMsg{} }

// completedMsg marks the current step done (and saves progress).
type completedMsg struct{ step int }

// advanceMsg moves to the next step.
type advanceMsg struct{}

// snapshotMsg asks the running program for its current screen, from its own goroutine
// (tests read screens this way instead of racing the event loop).
type snapshotMsg struct{ reply chan<- string }

// gotoStepMsg moves to a given step (0-based), e.g. back to the request after a rejection.
type gotoStepMsg struct{ step int }

func complete(step int) tea.Cmd { return func() tea.Msg { return completedMsg{step} } }

func advance() tea.Msg { return advanceMsg{} }

// work is the in-flight state every step with network calls shares: a spinner and a cancel.
type work struct {
	spinner spinner.Model
	stopFn  context.CancelFunc
	busy    bool
	seq     int // ignores results of cancelled calls
	started time.Time
	// note is the call's latest progress line (a retry), set from its goroutine.
	note *atomic.Pointer[string]
}

func newWork() work {
	return work{spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot))}
}

// start begins a call: returns its context and sequence number, and the spinner's tick.
func (w *work) start(env *Env) (context.Context, int, tea.Cmd) {
	w.stop()
	ctx, cancel := context.WithTimeout(env.Base, callTimeout)
	w.stopFn, w.busy = cancel, true
	w.seq++
	w.started, w.note = time.Now(), &atomic.Pointer[string]{}
	note := w.note
	ctx = steps.WithProgress(ctx, func(line string) { note.Store(&line) })
	return ctx, w.seq, w.spinner.Tick
}

// finish ends the call numbered seq; false means the result belongs to a cancelled call.
func (w *work) finish(seq int) bool {
	if seq != w.seq {
		return false
	}
	w.stop()
	return true
}

func (w *work) stop() {
	if w.stopFn != nil {
		w.stopFn()
	}
	w.stopFn, w.busy = nil, false
}

func (w *work) update(msg tea.Msg) tea.Cmd {
	if !w.busy {
		return nil
	}
	var cmd tea.Cmd
	w.spinner, cmd = w.spinner.Update(msg)
	return cmd
}

// cancel stops the call in flight and drops its result when it arrives.
func (w *work) cancel() {
	w.stop()
	w.seq++
}

func (w *work) view(env *Env, what string) string {
	// The elapsed time against the bound, and any retry, stay visible while the call runs.
	elapsed := time.Since(w.started).Truncate(time.Second)
	line := w.spinner.View() + " " + what + env.Styles.Subtle.Render(fmt.Sprintf("  %s of %s · esc cancels", elapsed, callTimeout))
	if w.note != nil {
		if n := w.note.Load(); n != nil {
			line += "\n  " + env.Styles.Subtle.Render(termsafe.Line(*n))
		}
	}
	return line
}

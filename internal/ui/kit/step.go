package kit

import (
	"context"
	"encoding/json"
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
	Actions() []Action
	// Done reports a completed step; Busy a network call in flight (esc cancels it through
	// Cancel); Capturing a focused text field (single-letter global keys then belong to it).
	Done() bool
	Busy() bool
	Capturing() bool
	Cancel()
	// Stop ends every call in flight, polling included: the program is ending.
	Stop()
	// Reset forgets the step's results: an earlier step changed, so they are stale. The next
	// Enter rebuilds the step from the flow.
	Reset()
}

// Drafter is a step whose unfinished form answers are saved with the progress, so that
// quitting mid-form loses nothing: the next start gives them back to the step. A draft never
// holds a secret (a business certificate's password is not a draft).
type Drafter interface {
	// Draft is what the form holds now, or nil when nothing is unfinished.
	Draft() json.RawMessage
	// RestoreDraft gives a saved draft back before the step is entered; a draft that does not
	// parse is dropped. open is true for the step the wizard resumes at: its form opens with
	// the draft. Another step keeps the answers for when its form is opened, so that passing
	// through it (b, b, …) does not land the next keys in a form.
	RestoreDraft(raw json.RawMessage, open bool)
}

// DraftOf is a step's form answers v as its draft when keep says there is one to save.
func DraftOf(keep bool, v any) json.RawMessage {
	if !keep {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return data
}

// ReadDraft parses a saved draft; ok is false for one that does not parse (it is dropped).
func ReadDraft[T any](raw json.RawMessage) (v T, ok bool) {
	return v, json.Unmarshal(raw, &v) == nil
}

// NoticeMsg shows a short message above the footer until the next key ("copied").
type NoticeMsg struct{ Text string }

// Notice shows text above the footer until the next key.
func Notice(text string) tea.Cmd { return func() tea.Msg { return NoticeMsg{text} } }

// InvalidateMsg says that the sender's result changed: the steps from `from` on are no longer
// done and (except the sender) forget their results. At is when the change was made: the
// message arrives later, through a command, and a step entered in between was built from the
// changed flow already.
type InvalidateMsg struct {
	From, Sender int
	At           time.Time
}

// Invalidate says the sender's result changed: steps from `from` on are stale.
func Invalidate(from, sender int) tea.Cmd {
	at := time.Now() // monotonic: orders the change against the steps' entries
	return func() tea.Msg { return InvalidateMsg{From: from, Sender: sender, At: at} }
}

// ScrollTopMsg asks the root to show the top of the current step's body, where a step writes
// the result of an action the user may have pressed while scrolled down.
type ScrollTopMsg struct{}

// ScrollTop shows the top of the current step's body.
func ScrollTop() tea.Msg { return ScrollTopMsg{} }

// CompletedMsg marks the current step done (and saves progress).
type CompletedMsg struct{ Step int }

// AdvanceMsg moves to the next step.
type AdvanceMsg struct{}

// GotoStepMsg moves to a given step (0-based), e.g. back to the request after a rejection.
type GotoStepMsg struct{ Step int }

// Complete marks step done (and saves progress).
func Complete(step int) tea.Cmd { return func() tea.Msg { return CompletedMsg{step} } }

// Advance moves to the next step.
func Advance() tea.Msg { return AdvanceMsg{} }

// Work is the in-flight state every step with network calls shares: a spinner and a cancel.
type Work struct {
	Spinner spinner.Model
	stopFn  context.CancelFunc
	Busy    bool
	Seq     int // ignores results of cancelled calls
	started time.Time
	// note is the call's latest progress line (a retry), set from its goroutine.
	note *atomic.Pointer[string]
}

// NewWork is idle work with its spinner.
func NewWork() Work {
	return Work{Spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot))}
}

// Start begins a call: returns its context and sequence number, and the spinner's tick.
func (w *Work) Start(env *Env) (context.Context, int, tea.Cmd) {
	w.Stop()
	ctx, cancel := context.WithTimeout(env.Base, CallTimeout)
	w.stopFn, w.Busy = cancel, true
	w.Seq++
	w.started, w.note = time.Now(), &atomic.Pointer[string]{}
	note := w.note
	ctx = steps.WithProgress(ctx, func(line string) { note.Store(&line) })
	return ctx, w.Seq, w.Spinner.Tick
}

// Finish ends the call numbered seq; false means the result belongs to a cancelled call.
func (w *Work) Finish(seq int) bool {
	if seq != w.Seq {
		return false
	}
	w.Stop()
	return true
}

// Stop cancels the call in flight; a result that still arrives is taken.
func (w *Work) Stop() {
	if w.stopFn != nil {
		w.stopFn()
	}
	w.stopFn, w.Busy = nil, false
}

// Update turns the spinner while a call runs.
func (w *Work) Update(msg tea.Msg) tea.Cmd {
	if !w.Busy {
		return nil
	}
	var cmd tea.Cmd
	w.Spinner, cmd = w.Spinner.Update(msg)
	return cmd
}

// Cancel stops the call in flight and drops its result when it arrives.
func (w *Work) Cancel() {
	w.Stop()
	w.Seq++
}

// View is the running call's line: spinner, what, elapsed time against the bound, and the latest retry note.
func (w *Work) View(env *Env, what string) string {
	// The elapsed time against the bound, and any retry, stay visible while the call runs.
	elapsed := time.Since(w.started).Truncate(time.Second)
	line := w.Spinner.View() + " " + what + env.Styles.Subtle.Render(env.T("kit.work.elapsed", "Elapsed", elapsed, "Bound", CallTimeout))
	if w.note != nil {
		if n := w.note.Load(); n != nil {
			line += "\n  " + env.Styles.Subtle.Render(termsafe.Line(*n))
		}
	}
	return line
}

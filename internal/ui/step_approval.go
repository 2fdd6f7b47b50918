package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
	"github.com/sbs-tui/sbs-tui/internal/ui/qr"
)

// approvalStep is step 6: the confirmUrl as QR code and text, polling with backoff and a
// visible countdown until the customer decides.
type approvalStep struct {
	env   *Env
	index int
	// work is a decision in flight (sandbox approve/reject); pollWork the background status
	// check, which never blocks the keys.
	work          work
	pollWork      work
	width, height int

	active  bool // the current step: an approval then moves on to the token
	polling bool
	gen     int // the current tick loop; older loops stop
	wait    time.Duration
	nextAt  time.Time
	polls   int
	status  string
	err     error
	// qrKey and qrText cache the drawn code: encoding on every frame (once a second for the
	// countdown) is the screen's main cost.
	qrKey    string
	qrText   string
	qrErr    error
	message  string
	accepted bool
}

// pollTickMsg drives the countdown, once a second.
type pollTickMsg struct{ gen int }

// pollResultMsg carries one status check.
type pollResultMsg struct {
	seq int
	req *altinn.Request
	err error
}

// decidedMsg carries the sandbox's approve/reject.
type decidedMsg struct {
	seq     int
	approve bool
	err     error
}

func newApprovalStep(env *Env, index int) *approvalStep {
	return &approvalStep{env: env, index: index, work: newWork(), pollWork: newWork()}
}

func (s *approvalStep) Title() string { return "The customer approves" }
func (s *approvalStep) Short() string { return "Approve" }
func (s *approvalStep) stopWork() {
	s.work.stop()
	s.pollWork.stop()
	s.polling = false
}
func (s *approvalStep) Leave() {}

func (s *approvalStep) Enter() tea.Cmd {
	s.active = true
	s.status = s.env.Flow.Status
	if s.env.Flow.RequestID == "" || s.accepted || s.polling {
		return nil
	}
	return s.startPolling()
}

func (s *approvalStep) startPolling() tea.Cmd {
	s.polling, s.wait, s.err = true, 0, nil
	s.gen++
	return s.poll()
}

func (s *approvalStep) poll() tea.Cmd {
	ctx, seq, tick := s.pollWork.start(s.env)
	sess, f := s.env.Session, s.env.Flow
	return tea.Batch(tick, func() tea.Msg {
		if f.Change {
			// A change request is followed the same way, by its own route.
			cr, err := sess.Altinn().GetChangeRequest(ctx, f.RequestID)
			if err != nil {
				return pollResultMsg{seq: seq, err: err}
			}
			return pollResultMsg{seq: seq, req: &altinn.Request{ID: cr.ID, Status: cr.Status, ConfirmURL: cr.ConfirmURL}}
		}
		r, err := sess.Altinn().GetRequest(ctx, f.RequestID, f.Agent)
		return pollResultMsg{seq: seq, req: r, err: err}
	})
}

func (s *approvalStep) tick() tea.Cmd {
	gen := s.gen
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return pollTickMsg{gen: gen} })
}

func (s *approvalStep) decide(approve bool) tea.Cmd {
	ctx, seq, tick := s.work.start(s.env)
	sess, u := s.env.Session, s.env.Flow.ConfirmURL
	return tea.Batch(tick, func() tea.Msg {
		return decidedMsg{seq: seq, approve: approve, err: steps.SandboxDecide(ctx, sess, u, approve)}
	})
}

func (s *approvalStep) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pollResultMsg:
		if !s.pollWork.finish(msg.seq) {
			return nil
		}
		s.polls++
		s.wait = steps.DefaultPollBackoff.Next(s.wait)
		s.nextAt = s.env.Now().Add(s.wait)
		if msg.err != nil {
			s.err = msg.err
			if altinnNotFound(msg.err) {
				s.polling = false
				return nil
			}
			return s.tick()
		}
		s.err = nil
		s.status = msg.req.Status
		s.env.Flow.Status = msg.req.Status
		switch msg.req.Status {
		case altinn.StatusAccepted:
			s.polling, s.accepted = false, true
			if s.active {
				return tea.Batch(complete(s.index), advance)
			}
			return complete(s.index)
		case altinn.StatusNew:
			return s.tick()
		default:
			s.polling = false
			return nil
		}
	case pollTickMsg:
		if msg.gen != s.gen || !s.polling || s.pollWork.busy {
			return nil
		}
		if !s.env.Now().Before(s.nextAt) {
			return s.poll()
		}
		return s.tick()
	case decidedMsg:
		if !s.work.finish(msg.seq) {
			return nil
		}
		if msg.err != nil {
			s.err = msg.err
			return nil
		}
		s.message = "Decided as the customer; checking the status…"
		s.polling = true
		s.gen++
		return s.poll()
	case tea.KeyMsg:
		return s.key(msg)
	}
	return tea.Batch(s.work.update(msg), s.pollWork.update(msg))
}

func altinnNotFound(err error) bool { return steps.IsNotFound(err) }

func (s *approvalStep) key(msg tea.KeyMsg) tea.Cmd {
	f := s.env.Flow
	if s.work.swallowKey(s.env, msg) {
		return nil
	}
	switch msg.String() {
	case "enter":
		if s.accepted {
			return advance
		}
	case "p":
		if f.RequestID != "" && !s.accepted {
			s.gen++
			s.polling = true
			return s.poll()
		}
	case "c":
		if f.ConfirmURL != "" {
			if err := s.env.Clipboard(f.ConfirmURL); err != nil {
				s.err = err
			} else {
				s.message = "confirmUrl copied to the clipboard (OSC 52); it is also shown as text above."
			}
		}
	case "o":
		if f.ConfirmURL != "" {
			if err := s.env.Browser(f.ConfirmURL); err != nil {
				s.err = fmt.Errorf("open a browser: %w; copy the URL instead", err)
			}
		}
	case "a", "x":
		if s.env.Session.Env.IsSandbox() && f.ConfirmURL != "" && !s.accepted {
			return s.decide(msg.String() == "a")
		}
	case "d":
		if !f.Change && (s.status == altinn.StatusRejected || s.status == altinn.StatusDenied) {
			s.status, s.polling = "", false
			return tea.Batch(func() tea.Msg { return gotoStepMsg{step: s.index - 1} }, func() tea.Msg { return recreateRequestMsg{} })
		}
	}
	return nil
}

func (s *approvalStep) View() string {
	st := s.env.Styles
	f := s.env.Flow
	if f.RequestID == "" {
		return "No request yet: create one in step 5 (b goes back)."
	}
	var b strings.Builder
	u := termsafe.Line(f.ConfirmURL)
	fmt.Fprintf(&b, "Status %s", statusText(st, s.status))
	switch {
	case s.work.busy:
		b.WriteString("  " + s.work.view(s.env, "deciding as the customer…"))
	case s.pollWork.busy:
		b.WriteString("  " + s.pollWork.spinner.View() + " checking…")
	case s.polling:
		b.WriteString(st.Subtle.Render(fmt.Sprintf("  · next check in %s (checked %d×)", tokeninspect.Duration(max(s.nextAt.Sub(s.env.Now()), 0)), s.polls)))
	}
	b.WriteString("\n")
	switch s.status {
	case altinn.StatusAccepted:
		if f.Change {
			b.WriteString("\n" + st.Pass.Render("✓ Approved: the system user has the new packages and rights.") + "\n\n" + hint(st, "enter", "get its token"))
			return b.String()
		}
		b.WriteString("\n" + st.Pass.Render("✓ Approved: the system user "+termsafe.Line(f.RequestID)+" exists.") + "\n\n" + hint(st, "enter", "get its token"))
		return b.String()
	case altinn.StatusRejected, altinn.StatusDenied:
		if f.Change {
			b.WriteString("\n" + wrapText(st.Fail.Render("The customer rejected the change. ")+
				"The system user keeps what it had; ask again with a new change request.", s.width) + "\n\n" + hint(st, "b", "change the request"))
			return b.String()
		}
		b.WriteString("\n" + wrapText(st.Fail.Render("The customer rejected the request. ")+
			"Altinn will return the rejected request for the same system, customer and external reference until it is deleted.", s.width) +
			"\n\n" + hint(st, "d", "delete and recreate it") + "   " + hint(st, "b", "change the request"))
		return b.String()
	}
	text := "Send this to the customer (someone with the Tilgangsstyrer role):\n" + s.env.Hyperlink(f.ConfirmURL, st.Link.Render(u)) + "\n"
	room := s.height - strings.Count(b.String(), "\n") - strings.Count(text, "\n") - 4
	code, err := s.qrCode(f.ConfirmURL, s.width, room)
	switch {
	case err == nil:
		b.WriteString(code + "\n")
	case s.env.Opts.QR != qr.Off:
		b.WriteString(st.Subtle.Render("(the QR code needs a taller terminal, about 57×35; the URL works as well)") + "\n")
	}
	b.WriteString(text)
	if s.message != "" {
		b.WriteString(st.Info.Render(s.message) + "\n")
	}
	if s.err != nil {
		b.WriteString(errorBox(st, s.err, s.width) + "\n")
	}
	keys := []string{hint(st, "c", "copy"), hint(st, "o", "open"), hint(st, "p", "check now")}
	if s.env.Session.Env.IsSandbox() {
		keys = append(keys, hint(st, "a", "approve as customer"), hint(st, "x", "reject"))
	}
	b.WriteString(strings.Join(keys, "  "))
	return b.String()
}

func (s *approvalStep) qrCode(u string, w, h int) (string, error) {
	k := fmt.Sprintf("%s|%d|%d|%s", u, w, h, s.env.Opts.QR)
	if k != s.qrKey {
		s.qrKey = k
		s.qrText, s.qrErr = qr.Fit(s.env.Styles.Renderer, u, s.env.Opts.QR, w, h)
	}
	return s.qrText, s.qrErr
}

func (s *approvalStep) SetSize(w, h int) { s.width, s.height = w, h }
func (s *approvalStep) ShortHelp() []key.Binding {
	kb := []key.Binding{s.env.Keys.Copy, s.env.Keys.Open, key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "check now"))}
	if s.env.Session.Env.IsSandbox() {
		kb = append(kb, key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "approve")))
	}
	return kb
}
func (s *approvalStep) FullHelp() [][]key.Binding {
	return [][]key.Binding{append(s.ShortHelp(),
		key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "reject (sandbox)")),
		key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete rejected and recreate")))}
}
func (s *approvalStep) Done() bool      { return s.accepted }
func (s *approvalStep) Busy() bool      { return s.work.busy }
func (s *approvalStep) Capturing() bool { return false }
func (s *approvalStep) Summary() string { return s.status }

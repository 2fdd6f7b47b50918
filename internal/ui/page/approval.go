package page

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/qr"
)

// approvalStep is step 6: the confirmUrl as QR code and text, polling with backoff and a
// visible countdown until the customer decides.
type approvalStep struct {
	// requests is how many requests the flow's system has (0: not known yet).
	requests int
	env      *kit.Env
	index    int
	// work is a decision in flight (sandbox approve/reject); pollWork the background status
	// check, which never blocks the keys.
	work          kit.Work
	pollWork      kit.Work
	width, height int

	active  bool // the current step: an approval then moves on to the token
	polling bool
	gen     int // the current tick loop; older loops stop
	wait    time.Duration
	nextAt  time.Time
	polls   int
	status  string
	// escalated: the customer forwarded the request to their Tilgangsstyrer (read from the
	// list by system, every escalationEvery polls: Altinn's GET by id leaves it out).
	escalated bool
	err       error
	// qrKey and qrText cache the drawn code: encoding on every frame (once a second for the
	// countdown) is the screen's main cost.
	qrKey    string
	qrText   string
	qrErr    error
	message  string
	accepted bool
	// invert swaps light and dark QR modules: without colours (NO_COLOR) the code is drawn for a
	// dark background, and a light one needs it inverted.
	invert bool
	// qrShown reports that the last frame drew the code (the invert key needs it).
	qrShown bool
}

// pollTickMsg drives the countdown, once a second.
type pollTickMsg struct{ gen int }

// escalationEvery is how many status checks pass between two reads of the system's request
// list for the escalation mark (the first check reads it too).
const escalationEvery = 10

// pollResultMsg carries one status check; listed reports that escalated was read from the list.
type pollResultMsg struct {
	seq       int
	req       *altinn.Request
	err       error
	listed    bool
	escalated bool
}

// decidedMsg carries the sandbox's approve/reject.
type decidedMsg struct {
	seq     int
	approve bool
	err     error
}

// NewApproval is step 6 at index.
func NewApproval(env *kit.Env, index int) *approvalStep {
	return &approvalStep{env: env, index: index, work: kit.NewWork(), pollWork: kit.NewWork()}
}

func (s *approvalStep) Title() string { return s.env.T("page.approval.title") }
func (s *approvalStep) Short() string { return s.env.T("page.approval.short") }
func (s *approvalStep) Stop() {
	s.work.Stop()
	s.pollWork.Stop()
	s.polling = false
}
func (s *approvalStep) Leave()  { s.active = false }
func (s *approvalStep) Cancel() { s.work.Cancel() }

// Reset forgets the decision and stops following the old request: step 5 made a new one.
func (s *approvalStep) Reset() {
	s.work.Cancel()
	s.pollWork.Cancel()
	s.gen++
	s.polling, s.accepted = false, false
	s.status, s.message, s.err, s.polls, s.wait = "", "", nil, 0, 0
	s.escalated = false
	s.qrKey = ""
}

func (s *approvalStep) Enter() tea.Cmd {
	s.active = true
	s.status = s.env.Flow.Status
	count := s.countRequests()
	if s.env.Flow.RequestID == "" || s.accepted || s.polling {
		return count
	}
	return tea.Batch(s.startPolling(), count)
}

// requestCountMsg says how many requests the flow's system has (for the board hint).
type requestCountMsg struct {
	system string
	n      int
}

// countRequests asks how many requests the system has; with more than one, the step points to
// `sbs-tui board`, which follows them all. A failure only leaves the hint out.
func (s *approvalStep) countRequests() tea.Cmd {
	sys := s.env.Flow.SystemID
	if sys == "" || s.env.Flow.RequestID == "" {
		return nil
	}
	ctx, sess := s.env.Base, s.env.Session
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		n, err := steps.CountRequests(ctx, sess, sys)
		if err != nil {
			return nil
		}
		return requestCountMsg{system: sys, n: n}
	}
}

func (s *approvalStep) startPolling() tea.Cmd {
	s.polling, s.wait, s.err = true, 0, nil
	s.gen++
	return s.poll()
}

// poll checks the status; the list is read for the escalation mark on the first check and
// every escalationEvery-th.
func (s *approvalStep) poll() tea.Cmd { return s.check(s.polls%escalationEvery == 0) }

// check reads the request's status, and with list also its escalation mark.
func (s *approvalStep) check(list bool) tea.Cmd {
	ctx, seq, tick := s.pollWork.Start(s.env)
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
		msg := pollResultMsg{seq: seq, req: r, err: err}
		if err == nil && list && r.Status == altinn.StatusNew {
			// Best effort: a failed list read leaves the mark as it was.
			esc, lerr := steps.Escalation(ctx, sess, r, f.Agent)
			msg.listed, msg.escalated = lerr == nil, esc
		}
		return msg
	})
}

func (s *approvalStep) tick() tea.Cmd {
	gen := s.gen
	return s.env.After(time.Second, func(time.Time) tea.Msg { return pollTickMsg{gen: gen} })
}

func (s *approvalStep) decide(approve bool) tea.Cmd {
	ctx, seq, tick := s.work.Start(s.env)
	sess, u := s.env.Session, s.env.Flow.ConfirmURL
	return tea.Batch(tick, func() tea.Msg {
		return decidedMsg{seq: seq, approve: approve, err: steps.SandboxDecide(ctx, sess, u, approve)}
	})
}

func (s *approvalStep) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case requestCountMsg:
		s.requests = 0
		if msg.system == s.env.Flow.SystemID {
			s.requests = msg.n
		}
		return nil
	case pollResultMsg:
		if !s.pollWork.Finish(msg.seq) {
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
		if msg.listed || msg.req.Escalated {
			s.escalated = msg.req.Escalated || msg.escalated
		}
		f := s.env.Flow
		f.Status = msg.req.Status
		if msg.req.ConfirmURL != "" {
			f.ConfirmURL = msg.req.ConfirmURL // the server's, never a saved host
		}
		if msg.req.Status != altinn.StatusNew {
			s.message = ""
		}
		switch msg.req.Status {
		case altinn.StatusAccepted:
			s.polling, s.accepted = false, true
			if s.active {
				return tea.Batch(kit.Complete(s.index), kit.Advance)
			}
			return kit.Complete(s.index)
		case altinn.StatusNew:
			return s.tick()
		default:
			s.polling = false
			return nil
		}
	case pollTickMsg:
		if msg.gen != s.gen || !s.polling || s.pollWork.Busy {
			return nil
		}
		if !s.env.Now().Before(s.nextAt) {
			return s.poll()
		}
		return s.tick()
	case decidedMsg:
		if !s.work.Finish(msg.seq) {
			return nil
		}
		if msg.err != nil {
			s.err = msg.err
			return nil
		}
		s.message = s.env.T("page.approval.decided")
		s.polling = true
		s.gen++
		return s.poll()
	}
	return tea.Batch(s.work.Update(msg), s.pollWork.Update(msg))
}

func altinnNotFound(err error) bool { return steps.IsNotFound(err) }

func (s *approvalStep) Actions() []kit.Action {
	k := s.env.Keys
	f := s.env.Flow
	if f.RequestID == "" {
		return nil
	}
	copyURL := kit.Act(kit.With(k.Copy, s.env.T("page.approval.key.copy_url")), func() tea.Cmd {
		if err := s.env.Clipboard(f.ConfirmURL); err != nil {
			return kit.Notice(s.env.T("page.clipboard.failed", "Err", err.Error()))
		}
		return kit.Notice(s.env.T("page.approval.copied"))
	})
	switch s.status {
	case altinn.StatusAccepted:
		return []kit.Action{kit.Continue(kit.With(k.Enter, s.env.T("page.approval.key.token")))}
	case altinn.StatusRejected, altinn.StatusDenied:
		if f.Change {
			return nil // a rejected change is asked again from step 5 (b)
		}
		return []kit.Action{kit.Act(k.Recreate, func() tea.Cmd {
			id := f.RequestID
			s.Reset()
			return tea.Batch(func() tea.Msg { return kit.GotoStepMsg{Step: s.index - 1} }, func() tea.Msg { return recreateRequestMsg{id: id} })
		})}
	}
	if f.ConfirmURL == "" {
		return []kit.Action{kit.Act(k.Poll, s.checkNow)}
	}
	var out []kit.Action
	if s.env.Session.Env.IsSandbox() && (s.status == altinn.StatusNew || s.status == "") {
		// In the sandbox, deciding as the customer is the step's main key: it leads the footer.
		out = append(out,
			kit.Act(k.Approve, func() tea.Cmd { return s.decide(true) }),
			kit.Act(k.Reject, func() tea.Cmd { return s.decide(false) }).More())
	}
	out = append(out, kit.Act(k.Poll, s.checkNow), copyURL,
		kit.Act(k.Open, func() tea.Cmd {
			if err := s.env.Browser(f.ConfirmURL); err != nil {
				// A notice, not the step's error: the next status check would clear that at once.
				return kit.Notice(s.env.T("page.approval.no_browser", "Err", termsafe.Line(err.Error())))
			}
			return kit.Notice(s.env.T("page.approval.opened"))
		}))
	if s.plain() && s.qrShown {
		out = append(out, kit.Act(k.Invert, func() tea.Cmd { s.invert = !s.invert; return nil }).More())
	}
	return out
}

// checkNow is p: a check the user asked for reads the escalation mark too.
func (s *approvalStep) checkNow() tea.Cmd {
	s.gen++
	s.polling = true
	return s.check(true)
}

// plain reports drawing without colours, where the QR code's polarity is the glyphs'.
func (s *approvalStep) plain() bool {
	return s.env.Styles.Renderer.ColorProfile() == termenv.Ascii && s.env.Opts.QR != qr.Off
}

func (s *approvalStep) View() string {
	st := s.env.Styles
	f := s.env.Flow
	if f.RequestID == "" {
		return s.env.T("page.approval.no_request")
	}
	var b strings.Builder
	u := termsafe.Line(f.ConfirmURL)
	b.WriteString(s.env.T("page.approval.status", "Status", statusText(s.env, s.status)))
	switch {
	case s.work.Busy:
		b.WriteString("  " + s.work.View(s.env, s.env.T("page.approval.deciding")))
	case s.pollWork.Busy:
		b.WriteString("  " + s.pollWork.Spinner.View() + " " + s.env.T("page.approval.checking"))
	case s.polling:
		b.WriteString(st.Subtle.Render("  · " + s.env.T("page.approval.next_check", "In", tokeninspect.DurationIn(s.env.Text, max(s.nextAt.Sub(s.env.Now()), 0)), "Polls", s.polls)))
	}
	b.WriteString("\n")
	if s.requests > 1 {
		b.WriteString(st.Subtle.Render(s.env.N("page.approval.requests", s.requests)) + "\n")
	}
	if s.message != "" {
		b.WriteString(st.Info.Render(s.message) + "\n")
	}
	if s.err != nil {
		b.WriteString(kit.ErrorBox(s.env, s.err, s.width) + "\n")
	}
	if s.status == altinn.StatusNew {
		// A set-up warning (the sandbox's address taken by another program) means the
		// confirmUrl below may lead nowhere: said here, where the customer's link is.
		for _, w := range s.env.Session.Warnings {
			b.WriteString(st.Warn.Render(s.env.T("ui.warning", "Text", termsafe.Line(w))) + "\n")
		}
	}
	switch s.status {
	case altinn.StatusAccepted:
		if f.Change {
			b.WriteString("\n" + st.Pass.Render("✓ "+s.env.T("page.approval.approved_change")))
			return b.String()
		}
		b.WriteString("\n" + st.Pass.Render("✓ "+s.env.T("page.approval.approved", "ID", termsafe.Line(f.RequestID))))
		return b.String()
	case altinn.StatusRejected, altinn.StatusDenied:
		if f.Change {
			b.WriteString("\n" + st.Fail.Render(s.env.T("page.approval.rejected_change")+" ") +
				s.env.T("page.approval.rejected_change_advice"))
			return b.String()
		}
		b.WriteString("\n" + st.Fail.Render(s.env.T("page.approval.rejected")+" ") +
			s.env.T("page.approval.rejected_advice"))
		return b.String()
	}
	if f.ConfirmURL == "" {
		b.WriteString(s.env.T("page.approval.reading"))
		return b.String()
	}
	if s.escalated && s.status == altinn.StatusNew {
		b.WriteString(st.Warn.Render(s.env.T("page.approval.forwarded")+" ") + altinnAdvice(s.env, "page.approval.advice.escalated") + "\n")
	}
	b.WriteString(s.env.T("page.approval.send_to") + "\n" + s.env.Hyperlink(f.ConfirmURL, st.Link.Render(u)) + "\n")
	used := lipgloss.Height(kit.WrapText(b.String(), s.width))
	room := s.height - used - 1
	code, err := s.qrCode(f.ConfirmURL, s.width, room)
	s.qrShown = err == nil
	switch {
	case err == nil:
		b.WriteString(code + "\n")
		if s.plain() {
			b.WriteString(st.Subtle.Render(s.env.T("page.approval.qr_dark")) + "\n")
		}
	case s.env.Opts.QR != qr.Off:
		if w, h, ok := qr.Needs(f.ConfirmURL); ok {
			b.WriteString(st.Subtle.Render(qrRoom(s.env, max(h-room, 0), max(w-s.width, 0))) + "\n")
		}
	}
	if !s.escalated && s.polls >= waitingAdviceAfter {
		// Under the code: the code stays where the customer's phone found it.
		b.WriteString(st.Subtle.Render(altinnAdvice(s.env, "page.approval.advice.waiting")) + "\n")
	}
	return b.String()
}

// waitingAdviceAfter is how many checks of a New request pass before step 6 says what to ask
// the customer.
const waitingAdviceAfter = 3

func (s *approvalStep) qrCode(u string, w, h int) (string, error) {
	k := fmt.Sprintf("%s|%d|%d|%s|%v", u, w, h, s.env.Opts.QR, s.invert)
	if k != s.qrKey {
		s.qrKey = k
		s.qrText, s.qrErr = qr.FitInverted(s.env.Styles.Renderer, u, s.env.Opts.QR, w, h, s.invert)
	}
	return s.qrText, s.qrErr
}

func (s *approvalStep) SetSize(w, h int) { s.width, s.height = w, h }
func (s *approvalStep) Done() bool       { return s.accepted }
func (s *approvalStep) Busy() bool       { return s.work.Busy }
func (s *approvalStep) Capturing() bool  { return false }

// qrRoom says how much larger the window must be for the QR code, naming only what is short.
func qrRoom(env *kit.Env, rows, cols int) string {
	need := env.N("page.approval.qr_need.rows", rows)
	switch {
	case rows == 0:
		need = env.N("page.approval.qr_need.cols", cols)
	case cols > 0:
		need = env.T("page.approval.qr_need.both", "Rows", need, "Cols", env.N("page.approval.qr_need.cols", cols))
	}
	return env.T("page.approval.qr_room", "Need", need)
}

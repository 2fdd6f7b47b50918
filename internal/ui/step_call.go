package ui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
)

// callStep is step 8: call the API with the system-user token and show the answer.
type callStep struct {
	env           *Env
	index         int
	work          work
	width, height int
	input         textinput.Model
	view          viewport.Model
	headers       bool
	result        *steps.CallResult
	err           error
	calls         int
}

// callResultMsg carries an API answer.
type callResultMsg struct {
	seq    int
	result *steps.CallResult
	err    error
}

func newCallStep(env *Env, index int) *callStep {
	in := textinput.New()
	in.Prompt = "URL: "
	in.CharLimit = 2048
	return &callStep{env: env, index: index, work: newWork(), input: in, view: viewport.New(60, 10)}
}

func (s *callStep) Title() string { return "Call the API" }
func (s *callStep) Short() string { return "API" }
func (s *callStep) stopWork()     { s.work.stop() }
func (s *callStep) Leave()        { s.input.Blur() }

func (s *callStep) Enter() tea.Cmd {
	if s.input.Value() == "" {
		u := s.env.Flow.APIURL
		if u == "" {
			u = steps.DefaultAPIURL(s.env.Session, s.env.Opts.SampleAPIPath)
		}
		s.input.SetValue(u)
	}
	if s.result == nil {
		return s.input.Focus()
	}
	return nil
}

func (s *callStep) call() tea.Cmd {
	ctx, seq, tick := s.work.start(s.env)
	f := s.env.Flow
	p := steps.CallParams{URL: strings.TrimSpace(s.input.Value()), SystemUserOrg: orgno.Normalize(f.CustomerOrg), ExternalRef: f.ExternalRef}
	if f.Scope != "" {
		p.Scopes = []string{f.Scope}
	}
	sess := s.env.Session
	return tea.Batch(tick, func() tea.Msg {
		r, err := steps.CallAPI(ctx, sess, p)
		return callResultMsg{seq: seq, result: r, err: err}
	})
}

func (s *callStep) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case callResultMsg:
		if !s.work.finish(msg.seq) {
			return nil
		}
		s.result, s.err = msg.result, msg.err
		if msg.err != nil {
			return nil
		}
		s.calls++
		s.env.Flow.APIURL = strings.TrimSpace(s.input.Value())
		s.fill()
		if msg.result.Status < 400 {
			return complete(s.index)
		}
		return nil
	case tea.KeyMsg:
		if s.work.swallowKey(s.env, msg) {
			return nil
		}
		if s.input.Focused() {
			switch msg.String() {
			case "enter":
				s.input.Blur()
				return s.call()
			case "esc":
				s.input.Blur()
				return nil
			}
			var cmd tea.Cmd
			s.input, cmd = s.input.Update(msg)
			return cmd
		}
		switch msg.String() {
		case "enter":
			return s.call()
		case "u", "e":
			return s.input.Focus()
		case "h":
			s.headers = !s.headers
			s.fill()
			return nil
		case "r":
			if s.err != nil {
				return s.call()
			}
		}
		var cmd tea.Cmd
		s.view, cmd = s.view.Update(msg)
		return cmd
	}
	return s.work.update(msg)
}

func (s *callStep) fill() {
	if s.result == nil {
		return
	}
	var b strings.Builder
	if s.headers {
		keys := make([]string, 0, len(s.result.Headers))
		for k := range s.result.Headers {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "%s: %s\n", k, s.result.Headers[k])
		}
		b.WriteString("\n")
	}
	b.WriteString(s.result.Body)
	if s.result.Truncated {
		b.WriteString("\n… (cut at 1 MiB)")
	}
	s.view.SetContent(b.String())
	s.view.GotoTop()
}

func (s *callStep) View() string {
	st := s.env.Styles
	var b strings.Builder
	b.WriteString(s.input.View() + "\n")
	b.WriteString(st.Subtle.Render(fmt.Sprintf("as the system user of %s%s", s.env.Flow.CustomerOrg, refNote(s.env.Flow.ExternalRef))) + "\n\n")
	switch {
	case s.work.busy:
		b.WriteString(s.work.view(s.env, "Calling…"))
		return b.String()
	case s.err != nil:
		text := s.err.Error()
		if ex, ok := s.err.(interface{ Explain() string }); ok {
			text = ex.Explain()
		}
		return b.String() + wrapText(st.Error.Render(text), s.width) + "\n" + hint(st, "r", "retry") + "   " + hint(st, "u", "edit URL")
	case s.result == nil:
		return b.String() + hint(st, "enter", "call")
	}
	r := s.result
	status := fmt.Sprintf("HTTP %d %s", r.Status, r.StatusText)
	if r.Status < 400 {
		status = st.Pass.Render(status)
	} else {
		status = st.Fail.Render(status)
	}
	reuse := "new token"
	if r.TokenReused {
		reuse = "token reused"
	}
	if r.Retried {
		reuse = "401 with the cached token; retried with a new one"
	}
	fmt.Fprintf(&b, "%s  %s, expires %s · call %d\n", status, st.Info.Render(reuse), tokeninspect.Relative(r.TokenExpiry, s.env.Now()), s.calls)
	if ex := steps.ExplainCall(r, s.env.Flow.Agent, orgno.Normalize(s.env.Flow.CustomerOrg), partyInURL(s.input.Value()), s.env.Flow.RequestID); ex != "" {
		b.WriteString(wrapText(st.Warn.Render(ex), s.width) + "\n")
	}
	b.WriteString(s.view.View() + "\n")
	b.WriteString(hint(st, "enter", "call again") + "   " + hint(st, "u", "edit URL") + "   " + hint(st, "h", "headers") + "   " + hint(st, "↑/↓", "scroll"))
	if s.Done() {
		b.WriteString("\n" + st.Pass.Render("All eight steps are done. ") + st.Subtle.Render("q quits; your progress is saved."))
	}
	return b.String()
}

func (s *callStep) SetSize(w, h int) {
	s.width, s.height = w, h
	s.input.Width = max(w-8, 20)
	s.view.Width = w
	s.view.Height = max(h-8, 3)
	s.fill()
}
func (s *callStep) ShortHelp() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "call")),
		key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "edit URL")),
		key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "headers")),
	}
}
func (s *callStep) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
func (s *callStep) Done() bool                { return s.result != nil && s.err == nil && s.result.Status < 400 }
func (s *callStep) Busy() bool                { return s.work.busy }
func (s *callStep) Capturing() bool           { return s.input.Focused() }
func (s *callStep) Summary() string           { return "" }

// partyInURL is the organisation number a URL's path names (…/parties/{orgno}/…), or "".
func partyInURL(u string) string {
	for _, seg := range strings.Split(strings.SplitN(u, "?", 2)[0], "/") {
		if len(seg) == 9 && orgno.Validate(seg) == nil {
			return seg
		}
	}
	return ""
}

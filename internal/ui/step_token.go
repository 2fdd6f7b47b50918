package ui

import (
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// tokenStep is step 7: the system-user token, decoded, verified and explained.
type tokenStep struct {
	env           *Env
	index         int
	work          work
	width, height int
	form          *embeddedForm
	editing       bool

	org, ref, scope string
	token           *steps.Token
	reused          bool
	inspection      *steps.Inspection
	err             error
	ticking         bool
	message         string
}

// tokenResultMsg carries a token and its inspection.
type tokenResultMsg struct {
	seq        int
	token      *steps.Token
	reused     bool
	inspection *steps.Inspection
	err        error
}

// clockTickMsg re-renders countdowns once a second.
type clockTickMsg struct{}

func newTokenStep(env *Env, index int) *tokenStep {
	return &tokenStep{env: env, index: index, work: newWork()}
}

func (s *tokenStep) Title() string { return "Token for the system user" }
func (s *tokenStep) Short() string { return "Token" }
func (s *tokenStep) stopWork()     { s.work.stop() }
func (s *tokenStep) Leave()        {}

func (s *tokenStep) defaults() {
	f := s.env.Flow
	if s.org == "" {
		s.org, s.ref = f.CustomerOrg, f.ExternalRef
	}
	if s.scope == "" {
		s.scope = f.Scope
	}
	if s.scope == "" {
		for _, sc := range s.env.Session.Profile.Scopes {
			if strings.HasPrefix(sc, "skatteetaten:") {
				s.scope = sc
				break
			}
		}
	}
}

func (s *tokenStep) Enter() tea.Cmd {
	s.defaults()
	var cmds []tea.Cmd
	if !s.ticking {
		s.ticking = true
		cmds = append(cmds, clockTick())
	}
	switch {
	case s.editing:
		cmds = append(cmds, s.form.init())
	case s.token == nil && !s.work.busy && s.org != "" && s.scope != "":
		cmds = append(cmds, s.request(false))
	case s.token == nil && !s.work.busy:
		cmds = append(cmds, s.edit())
	}
	return tea.Batch(cmds...)
}

func clockTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockTickMsg{} })
}

func (s *tokenStep) edit() tea.Cmd {
	s.form = newForm(huh.NewGroup(
		huh.NewInput().Title("Organisation that owns the system user").
			Description("the customer; for agent system users the facilitator, never its client").Value(&s.org).
			Validate(func(v string) error { return orgno.Validate(orgno.Normalize(v)) }),
		huh.NewInput().Title("External reference (if the request had one)").Value(&s.ref),
		huh.NewInput().Title("Scope").Value(&s.scope).Validate(func(v string) error {
			if strings.TrimSpace(v) == "" || strings.Contains(strings.TrimSpace(v), " ") {
				return errors.New("one scope, e.g. skatteetaten:innrapporteringboligselskap")
			}
			return nil
		}),
	))
	s.form.setSize(s.width, 12)
	s.editing = true
	return s.form.init()
}

func (s *tokenStep) request(fresh bool) tea.Cmd {
	ctx, seq, tick := s.work.start(s.env)
	sess := s.env.Session
	org, ref, scope := orgno.Normalize(s.org), strings.TrimSpace(s.ref), strings.TrimSpace(s.scope)
	return tea.Batch(tick, func() tea.Msg {
		tok, reused, in, err := sess.SystemUserToken(ctx, org, ref, scope, fresh)
		return tokenResultMsg{seq: seq, token: tok, reused: reused, inspection: in, err: err}
	})
}

func (s *tokenStep) Update(msg tea.Msg) tea.Cmd {
	if s.editing {
		if km, ok := msg.(tea.KeyMsg); ok && km.String() == "esc" {
			s.editing = false
			return nil
		}
		if _, ok := msg.(clockTickMsg); ok {
			return clockTick()
		}
		cmd, state := s.form.update(msg)
		switch state {
		case huh.StateCompleted:
			s.editing = false
			s.env.Flow.Scope = s.scope
			return s.request(true)
		case huh.StateAborted:
			s.editing = false
		}
		return cmd
	}
	switch msg := msg.(type) {
	case clockTickMsg:
		return clockTick() // the view reads the clock; the tick only redraws
	case tokenResultMsg:
		if !s.work.finish(msg.seq) {
			return nil
		}
		s.err = msg.err
		if msg.err != nil {
			return nil
		}
		s.token, s.reused, s.inspection = msg.token, msg.reused, msg.inspection
		s.env.Flow.Scope = s.scope
		if s.inspection.Verified {
			return complete(s.index)
		}
		return nil
	case tea.KeyMsg:
		if s.work.swallowKey(s.env, msg) {
			return nil
		}
		switch msg.String() {
		case "enter":
			if s.token != nil && s.err == nil {
				return advance
			}
			return s.request(false)
		case "r":
			return s.request(true)
		case "e":
			return s.edit()
		case "c":
			if s.token != nil {
				// The user asked for the token: copying it is the one way it leaves the program.
				if err := s.env.Clipboard(s.token.AccessToken); err != nil {
					s.err = err
				} else {
					s.message = "Token copied to the clipboard (OSC 52)."
				}
			}
		}
		return nil
	}
	return s.work.update(msg)
}

func (s *tokenStep) View() string {
	st := s.env.Styles
	if s.editing {
		return s.form.view()
	}
	var b strings.Builder
	b.WriteString(st.Subtle.Render("system user of "+termsafe.Line(s.org)+refNote(s.ref)+" · scope "+termsafe.Line(s.scope)) + "\n\n")
	switch {
	case s.work.busy:
		b.WriteString(s.work.view(s.env, "Requesting the token from Maskinporten…"))
		return b.String()
	case s.err != nil:
		text := s.err.Error()
		var ex interface{ Explain() string }
		if errors.As(s.err, &ex) {
			text = ex.Explain()
		}
		b.WriteString(wrapText(st.Error.Render(termsafe.Clean(text)), s.width) + "\n\n" + hint(st, "r", "try again") + "   " + hint(st, "e", "change org, ref or scope"))
		return b.String()
	case s.inspection == nil:
		b.WriteString(hint(st, "enter", "request the token") + "   " + hint(st, "e", "change org, ref or scope"))
		return b.String()
	}
	if s.reused {
		b.WriteString(st.Info.Render("token reused from the cache") + "\n")
	}
	b.WriteString(inspectorView(st, s.inspection, s.env.Now(), s.width))
	if s.message != "" {
		b.WriteString("\n" + st.Info.Render(s.message))
	}
	b.WriteString("\n" + hint(st, "enter", "call the API") + "   " + hint(st, "r", "new token") + "   " + hint(st, "c", "copy token") + "   " + hint(st, "e", "edit"))
	return b.String()
}

func refNote(ref string) string {
	if ref == "" {
		return ""
	}
	return " (externalRef " + termsafe.Line(ref) + ")"
}

func (s *tokenStep) SetSize(w, h int) {
	s.width, s.height = w, h
	if s.form != nil {
		s.form.setSize(w, 12)
	}
}
func (s *tokenStep) ShortHelp() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "new token")),
		s.env.Keys.Copy,
	}
}
func (s *tokenStep) FullHelp() [][]key.Binding {
	return [][]key.Binding{append(s.ShortHelp(), key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "change org, ref or scope")))}
}
func (s *tokenStep) Done() bool      { return s.inspection != nil && s.inspection.Verified && s.err == nil }
func (s *tokenStep) Busy() bool      { return s.work.busy }
func (s *tokenStep) Capturing() bool { return s.editing }
func (s *tokenStep) Summary() string { return "" }

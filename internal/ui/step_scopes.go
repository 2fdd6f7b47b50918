package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/steps"
)

// scopesCheckedMsg carries step 2's verdicts.
type scopesCheckedMsg struct {
	seq      int
	verdicts []steps.ScopeVerdict
}

// scopesStep is step 2: each required scope tried in a real token request.
type scopesStep struct {
	env      *Env
	index    int
	work     work
	verdicts []steps.ScopeVerdict
	width    int
}

func newScopesStep(env *Env, index int) *scopesStep {
	return &scopesStep{env: env, index: index, work: newWork()}
}

// required is the Altinn scopes plus the profile's Skatteetaten scopes.
func (s *scopesStep) required() []string {
	out := slices.Clone(steps.RequiredAltinnScopes)
	for _, sc := range s.env.Session.Profile.Scopes {
		if strings.HasPrefix(sc, "skatteetaten:") && !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out
}

func (s *scopesStep) Title() string { return "Scopes" }
func (s *scopesStep) Short() string { return "Scopes" }
func (s *scopesStep) Leave()        {}
func (s *scopesStep) stopWork()     { s.work.stop() }

func (s *scopesStep) Enter() tea.Cmd {
	if s.verdicts != nil || s.work.busy {
		return nil
	}
	return s.check()
}

func (s *scopesStep) check() tea.Cmd {
	ctx, seq, tick := s.work.start(s.env)
	sess, scopes := s.env.Session, s.required()
	return tea.Batch(tick, func() tea.Msg {
		return scopesCheckedMsg{seq: seq, verdicts: steps.CheckScopes(ctx, sess, scopes)}
	})
}

func (s *scopesStep) ok() bool {
	if s.verdicts == nil {
		return false
	}
	for _, v := range s.verdicts {
		if v.Verdict != steps.Pass {
			return false
		}
	}
	return true
}

func (s *scopesStep) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case scopesCheckedMsg:
		if !s.work.finish(msg.seq) {
			return nil
		}
		s.verdicts = msg.verdicts
		if s.ok() {
			return complete(s.index)
		}
		return nil
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, s.env.Keys.Cancel) && s.work.busy:
			s.work.stop()
		case key.Matches(msg, s.env.Keys.Retry) && !s.work.busy:
			return s.check()
		case key.Matches(msg, s.env.Keys.Enter) && s.verdicts != nil && !s.work.busy:
			return advance
		}
		return nil
	}
	return s.work.update(msg)
}

func (s *scopesStep) View() string {
	st := s.env.Styles
	out := st.Subtle.Render("Each scope is tried in its own token request.") + "\n\n"
	switch {
	case s.work.busy:
		return out + s.work.view(s.env, "Asking Maskinporten for a token per scope…")
	case s.verdicts == nil:
		return out + hint(st, "r", "check")
	}
	checks := make([]steps.Check, len(s.verdicts))
	for i, v := range s.verdicts {
		checks[i] = v.Check
	}
	out += renderChecks(st, checks, s.width) + "\n"
	if s.ok() {
		return out + hint(st, "enter", "continue") + "   " + hint(st, "r", "check again")
	}
	return out + st.Warn.Render("Some scopes are missing: order them, add them to the client, then ") + hint(st, "r", "check again") +
		"\n" + st.Subtle.Render("(enter continues anyway)")
}

func (s *scopesStep) SetSize(w, _ int) { s.width = w }
func (s *scopesStep) ShortHelp() []key.Binding {
	return []key.Binding{s.env.Keys.Enter, s.env.Keys.Retry}
}
func (s *scopesStep) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
func (s *scopesStep) Done() bool                { return s.ok() }
func (s *scopesStep) Busy() bool                { return s.work.busy }
func (s *scopesStep) Capturing() bool           { return false }
func (s *scopesStep) Summary() string           { return "" }

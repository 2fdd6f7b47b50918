package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/steps"
)

// envCheckedMsg carries step 1's result.
type envCheckedMsg struct {
	seq    int
	report steps.EnvironmentReport
}

// envStep is step 1: Maskinporten reachable, clock in sync.
type envStep struct {
	env    *Env
	index  int
	work   work
	report *steps.EnvironmentReport
	width  int
}

func newEnvStep(env *Env, index int) *envStep {
	return &envStep{env: env, index: index, work: newWork()}
}

func (s *envStep) Title() string { return "Maskinporten access and clock" }
func (s *envStep) Short() string { return "Env" }
func (s *envStep) Leave()        {}
func (s *envStep) stopWork()     { s.work.stop() }

func (s *envStep) Enter() tea.Cmd {
	if s.report != nil || s.work.busy {
		return nil
	}
	return s.check()
}

func (s *envStep) check() tea.Cmd {
	ctx, seq, tick := s.work.start(s.env)
	sess := s.env.Session
	return tea.Batch(tick, func() tea.Msg {
		return envCheckedMsg{seq: seq, report: steps.CheckEnvironment(ctx, sess)}
	})
}

func (s *envStep) ok() bool {
	if s.report == nil {
		return false
	}
	for _, c := range s.report.Checks {
		if c.Verdict == steps.Fail {
			return false
		}
	}
	return true
}

func (s *envStep) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case envCheckedMsg:
		if !s.work.finish(msg.seq) {
			return nil
		}
		s.report = &msg.report
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
		case key.Matches(msg, s.env.Keys.Enter) && s.ok():
			return advance
		}
		return nil
	}
	return s.work.update(msg)
}

func (s *envStep) View() string {
	st := s.env.Styles
	e := s.env.Session.Env
	out := "Metadata: " + st.Subtle.Render(e.MaskinportenMetadata) + "\n\n"
	switch {
	case s.work.busy:
		return out + s.work.view(s.env, "Fetching Maskinporten's metadata…")
	case s.report == nil:
		return out + hint(st, "r", "check")
	}
	out += renderChecks(st, s.report.Checks, s.width) + "\n"
	if s.ok() {
		return out + hint(st, "enter", "continue") + "   " + hint(st, "r", "check again")
	}
	return out + st.Fail.Render("Fix the problem above, then ") + hint(st, "r", "check again")
}

func (s *envStep) SetSize(w, _ int) { s.width = w }
func (s *envStep) ShortHelp() []key.Binding {
	return []key.Binding{s.env.Keys.Enter, s.env.Keys.Retry}
}
func (s *envStep) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
func (s *envStep) Done() bool                { return s.ok() }
func (s *envStep) Busy() bool                { return s.work.busy }
func (s *envStep) Capturing() bool           { return false }
func (s *envStep) Summary() string {
	if s.report == nil {
		return ""
	}
	return "issuer " + s.report.Issuer
}

// Package page holds the wizard's eight step components: each a small model (Enter, Update,
// View, Actions, SetSize) that runs the UI-free code of internal/steps and tells the root what
// changed through kit's messages.
package page

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// checkStep is a step that runs checks and shows a verdict per check: step 1 (Maskinporten
// reachable, clock in sync) and step 2 (each scope tried in a real token request).
type checkStep struct {
	env   *kit.Env
	index int
	work  kit.Work
	width int

	title, short, intro, busyText string
	// run performs the checks; summary is a one-line result.
	run func(ctx context.Context, s *steps.Session) (checks []steps.Check, summary string)
	// strict steps are done only when every check passes; others when none fails.
	strict bool

	checks  []steps.Check
	summary string
}

// checkedMsg carries a check step's result.
type checkedMsg struct {
	step, seq int
	checks    []steps.Check
	summary   string
}

// NewEnv is step 1 (Maskinporten reachable, clock) at index.
func NewEnv(env *kit.Env, index int) *checkStep {
	intro := env.T("page.env.intro", "URL", env.Styles.Subtle.Render(env.Session.Env.MaskinportenMetadata))
	for _, w := range env.Session.Warnings {
		// In full here: the notice line holds one line, and a set-up warning (a sandbox port
		// taken) says what to do in more than 80 columns.
		intro += "\n\n" + env.Styles.Warn.Render(env.T("ui.warning", "Text", termsafe.Line(w)))
	}
	return &checkStep{env: env, index: index, work: kit.NewWork(),
		title: env.T("page.env.title"), short: env.T("page.env.short"), busyText: env.T("page.env.busy"),
		intro: intro,
		run: func(ctx context.Context, s *steps.Session) ([]steps.Check, string) {
			r := steps.CheckEnvironment(ctx, s)
			return r.Checks, env.T("page.env.summary", "Issuer", r.Issuer)
		}}
}

// NewScopes is step 2 (the client's scopes) at index.
func NewScopes(env *kit.Env, index int) *checkStep {
	scopes := steps.RequiredScopes(env.Session)
	return &checkStep{env: env, index: index, work: kit.NewWork(), strict: true,
		title: env.T("page.scopes.title"), short: env.T("page.scopes.short"), busyText: env.T("page.scopes.busy"),
		intro: env.Styles.Subtle.Render(env.T("page.scopes.intro")),
		run: func(ctx context.Context, s *steps.Session) ([]steps.Check, string) {
			var out []steps.Check
			for _, v := range steps.CheckScopes(ctx, s, scopes) {
				out = append(out, v.Check)
			}
			return out, ""
		}}
}

func (s *checkStep) Title() string { return s.title }
func (s *checkStep) Short() string { return s.short }
func (s *checkStep) Leave()        {}
func (s *checkStep) Stop()         { s.work.Stop() }

func (s *checkStep) Enter() tea.Cmd {
	if s.checks != nil || s.work.Busy {
		return nil
	}
	return s.check()
}

func (s *checkStep) check() tea.Cmd {
	ctx, seq, tick := s.work.Start(s.env)
	sess, index, run := s.env.Session, s.index, s.run
	return tea.Batch(tick, func() tea.Msg {
		checks, summary := run(ctx, sess)
		return checkedMsg{step: index, seq: seq, checks: checks, summary: summary}
	})
}

func (s *checkStep) ok() bool {
	if s.checks == nil {
		return false
	}
	for _, c := range s.checks {
		if c.Verdict == steps.Fail || (s.strict && c.Verdict != steps.Pass) {
			return false
		}
	}
	return true
}

func (s *checkStep) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case checkedMsg:
		if msg.step != s.index || !s.work.Finish(msg.seq) {
			return nil
		}
		again := s.checks != nil
		s.checks, s.summary = msg.checks, msg.summary
		var cmds []tea.Cmd
		if again {
			cmds = append(cmds, kit.Notice(s.env.T("page.checks.again_at", "Time", s.env.Text.Clock(s.env.Now()))))
		}
		if s.ok() {
			cmds = append(cmds, kit.Complete(s.index))
		}
		return tea.Batch(cmds...)
	}
	return s.work.Update(msg)
}

func (s *checkStep) Actions() []kit.Action {
	k := s.env.Keys
	var out []kit.Action
	// A strict step may be passed with problems (scopes can be ordered later).
	if s.ok() || (s.strict && s.checks != nil) {
		out = append(out, kit.Continue(k.Enter))
	}
	label := s.env.T("page.checks.key.again")
	if s.checks == nil {
		label = s.env.T("page.checks.key.check")
	}
	return append(out, kit.Act(kit.With(k.Retry, label), s.check))
}

func (s *checkStep) View() string {
	st := s.env.Styles
	out := s.intro + "\n\n"
	switch {
	case s.work.Busy:
		return out + s.work.View(s.env, s.busyText)
	case s.checks == nil:
		return out + s.env.T("page.checks.not_yet")
	}
	out += kit.RenderChecks(st, s.checks, s.width)
	switch {
	case s.ok():
		return out
	case s.strict:
		return out + "\n" + st.Warn.Render(s.env.T("page.checks.some_failed"))
	}
	return out + "\n" + st.Fail.Render(s.env.T("page.checks.fix_above"))
}

func (s *checkStep) SetSize(w, _ int) { s.width = w }
func (s *checkStep) Done() bool       { return s.ok() }
func (s *checkStep) Busy() bool       { return s.work.Busy }
func (s *checkStep) Capturing() bool  { return false }
func (s *checkStep) Cancel()          { s.work.Cancel() }
func (s *checkStep) Reset()           {}

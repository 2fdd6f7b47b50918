package page

import (
	"errors"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// tokenStep is step 7: the system-user token, decoded, verified and explained.
type tokenStep struct {
	env           *kit.Env
	index         int
	work          kit.Work
	width, height int
	form          *kit.Form
	editing       bool

	org, ref, scope string
	token           *steps.Token
	reused          bool
	inspection      *steps.Inspection
	err             error
	ticking         bool
	// used is the org, ref and scope of the token shown: a token for another system user
	// makes step 8's answer stale.
	used string
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

// NewToken is step 7 at index.
func NewToken(env *kit.Env, index int) *tokenStep {
	return &tokenStep{env: env, index: index, work: kit.NewWork()}
}

func (s *tokenStep) Title() string { return s.env.T("page.token.title") }
func (s *tokenStep) Short() string { return s.env.T("page.token.short") }
func (s *tokenStep) Stop()         { s.work.Stop() }
func (s *tokenStep) Leave()        {}
func (s *tokenStep) Cancel()       { s.work.Cancel() }

// Reset forgets the token and the answers taken from the old request: the next Enter
// takes the system user from the flow again.
func (s *tokenStep) Reset() {
	s.work.Cancel()
	s.token, s.inspection, s.err, s.editing = nil, nil, nil, false
	s.org, s.ref, s.used = "", "", ""
}

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
			if strings.HasPrefix(sc, "skatteetaten:") { //i18n:ignore a scope prefix
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
		cmds = append(cmds, s.clockTick())
	}
	switch {
	case s.editing:
		cmds = append(cmds, s.form.Init())
	case s.token == nil && !s.work.Busy && s.org != "" && s.scope != "":
		cmds = append(cmds, s.request(false))
	case s.token == nil && !s.work.Busy:
		cmds = append(cmds, s.edit())
	}
	return tea.Batch(cmds...)
}

func (s *tokenStep) clockTick() tea.Cmd {
	return s.env.After(time.Second, func(time.Time) tea.Msg { return clockTickMsg{} })
}

func (s *tokenStep) edit() tea.Cmd {
	s.form = kit.NewForm(huh.NewGroup(
		huh.NewInput().Title(s.env.T("page.token.form.org")).
			Description(s.env.T("page.token.form.org_help")).Value(&s.org).
			Validate(func(v string) error { return steps.OrgNoError(s.env.Text, orgno.Validate(orgno.Normalize(v))) }),
		huh.NewInput().Title(s.env.T("page.token.form.ref")).Value(&s.ref).
			DescriptionFunc(s.refAdvice, &s.ref),
		huh.NewInput().Title(s.env.T("page.token.form.scope")).Value(&s.scope).Validate(func(v string) error {
			if strings.TrimSpace(v) == "" || strings.Contains(strings.TrimSpace(v), " ") {
				return errors.New(s.env.T("page.token.form.scope_invalid"))
			}
			return nil
		}),
	))
	s.form.SetSize(s.width, s.height)
	s.editing = true
	return s.form.Init()
}

func (s *tokenStep) request(fresh bool) tea.Cmd {
	ctx, seq, tick := s.work.Start(s.env)
	sess := s.env.Session
	org, ref, scope := orgno.Normalize(s.org), strings.TrimSpace(s.ref), strings.TrimSpace(s.scope)
	return tea.Batch(tick, func() tea.Msg {
		tok, reused, in, err := sess.SystemUserToken(ctx, org, ref, scope, fresh)
		return tokenResultMsg{seq: seq, token: tok, reused: reused, inspection: in, err: err}
	})
}

func (s *tokenStep) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(clockTickMsg); ok {
		return s.clockTick() // the view reads the clock; the tick only redraws
	}
	if s.editing {
		cmd, state := s.form.Update(msg)
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
	case tokenResultMsg:
		if !s.work.Finish(msg.seq) {
			return nil
		}
		s.err = msg.err
		if msg.err != nil {
			return nil
		}
		s.token, s.reused, s.inspection = msg.token, msg.reused, msg.inspection
		s.env.Flow.Scope = s.scope
		var cmds []tea.Cmd
		used := orgno.Normalize(s.org) + "|" + strings.TrimSpace(s.ref) + "|" + strings.TrimSpace(s.scope)
		if s.used != "" && used != s.used {
			cmds = append(cmds, kit.Invalidate(s.index+1, s.index))
		}
		s.used = used
		if s.inspection.Verified {
			cmds = append(cmds, kit.Complete(s.index))
		}
		if !msg.reused {
			cmds = append(cmds, kit.Notice(s.env.T("page.token.issued", "Time", s.env.Text.Clock(s.env.Now()))))
		}
		return tea.Batch(cmds...)
	}
	return s.work.Update(msg)
}

func (s *tokenStep) Actions() []kit.Action {
	k := s.env.Keys
	if s.editing {
		return s.form.Actions(k, func() tea.Cmd { s.editing = false; return nil }, s.env.T("page.form.leave"))
	}
	change := kit.Act(kit.With(k.Edit, s.env.T("page.token.key.change")), s.edit)
	switch {
	case s.err != nil:
		return []kit.Action{kit.Act(kit.With(k.Retry, s.env.T("page.token.key.try_again")), func() tea.Cmd { return s.request(true) }), change}
	case s.token == nil:
		return []kit.Action{kit.Act(kit.With(k.Enter, s.env.T("page.token.key.request")), func() tea.Cmd { return s.request(false) }), change}
	}
	return []kit.Action{
		kit.Continue(kit.With(k.Enter, s.env.T("page.token.key.call"))),
		kit.Act(kit.With(k.Retry, s.env.T("page.token.key.new")), func() tea.Cmd { return s.request(true) }),
		kit.Act(kit.With(k.Copy, s.env.T("page.token.key.copy")), func() tea.Cmd {
			// The user asked for the token: copying it is the one way it leaves the program.
			if err := s.env.Clipboard(s.token.AccessToken); err != nil {
				return kit.Notice(s.env.T("page.clipboard.failed", "Err", err.Error()))
			}
			return kit.Notice(s.env.T("page.token.copied"))
		}),
		change,
	}
}

func (s *tokenStep) View() string {
	st := s.env.Styles
	if s.editing {
		return s.form.View()
	}
	var b strings.Builder
	b.WriteString(st.Subtle.Render(s.env.T("page.token.of", "Org", termsafe.Line(s.org), "Ref", refNote(s.ref), "Scope", termsafe.Line(s.scope))) + "\n\n")
	switch {
	case s.work.Busy:
		b.WriteString(s.work.View(s.env, s.env.T("page.token.busy")))
		return b.String()
	case s.err != nil:
		b.WriteString(st.Error.Render(kit.Explained(s.env.Text, s.err)))
		return b.String()
	case s.inspection == nil:
		b.WriteString(s.env.T("page.token.none"))
		return b.String()
	}
	if s.reused {
		b.WriteString(st.Info.Render(s.env.T("page.token.reused")) + "\n")
	}
	b.WriteString(kit.InspectorViewIn(s.env.Text, st, s.inspection, s.env.Now(), s.width))
	return b.String()
}

// refAdvice warns, for the customer of step 5's request, of an external reference other than
// the request's: Maskinporten answers MP-303 for it, whose first usual cause (not approved
// yet) sent users the wrong way.
func (s *tokenStep) refAdvice() string {
	f := s.env.Flow
	org, typed := orgno.Normalize(f.CustomerOrg), strings.TrimSpace(s.ref)
	if f.RequestID == "" || orgno.Normalize(s.org) != org {
		return ""
	}
	want := f.ExternalRef
	if want == "" {
		want = org // Altinn's default; the grant may then leave it out
		if typed == "" {
			return ""
		}
	}
	if typed == want {
		return ""
	}
	return s.env.T("page.token.form.ref_differs", "Ref", termsafe.Line(want))
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
		s.form.SetSize(w, h)
	}
}

func (s *tokenStep) Done() bool      { return s.inspection != nil && s.inspection.Verified && s.err == nil }
func (s *tokenStep) Busy() bool      { return s.work.Busy }
func (s *tokenStep) Capturing() bool { return s.editing }

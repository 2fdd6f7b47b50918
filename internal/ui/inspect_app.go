package ui

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// InspectApp is `sbs-tui inspect` on a terminal with nothing piped in: a paste box, then the
// same inspector as step 7, with verification on request.
type InspectApp struct {
	env        *kit.Env
	verifier   func(ctx context.Context, token string) (*steps.Session, error)
	box        textarea.Model
	inspection *steps.Inspection
	err        error
	width      int
	height     int
	verifying  bool
	// explained is a pasted error body, explained (the box takes those too).
	explained string
	// first is the token to compare the next one with (key b), nil otherwise.
	first *steps.Inspection
	// report scrolls an inspection, comparison or explanation taller than the window.
	report viewport.Model
}

// inspectClockMsg re-renders the expiry countdown once a second.
type inspectClockMsg struct{}

// inspectedMsg carries a (re)inspection.
type inspectedMsg struct {
	in  *steps.Inspection
	err error
}

// NewInspectApp builds the paste-box inspector. verifier picks the session to verify against
// (nil: verification is not offered).
func NewInspectApp(env *kit.Env, verifier func(ctx context.Context, token string) (*steps.Session, error)) *InspectApp {
	box := textarea.New()
	box.Placeholder = env.T("uimisc.inspect.placeholder")
	box.ShowLineNumbers = false
	box.CharLimit = 64 << 10
	box.SetHeight(5)
	box.Focus()
	return &InspectApp{env: env, verifier: verifier, box: box}
}

// Init focuses the paste box.
func (a *InspectApp) Init() tea.Cmd {
	return tea.Batch(textarea.Blink, a.env.After(time.Second, func(time.Time) tea.Msg { return inspectClockMsg{} }))
}

func (a *InspectApp) inspect(verify bool) tea.Cmd {
	input := a.box.Value()
	if isErrorBody(input) {
		text := a.env.Text
		return func() tea.Msg { return explainBody(text, input) }
	}
	now := a.env.Now()
	verifier := a.verifier
	base := a.env.Base
	a.verifying = verify
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(base, 30*time.Second)
		defer cancel()
		var s *steps.Session
		if verify && verifier != nil {
			var err error
			if s, err = verifier(ctx, input); err != nil {
				return inspectedMsg{err: err}
			}
		}
		in, err := steps.Inspect(ctx, input, now, s)
		return inspectedMsg{in: in, err: err}
	}
}

// Update handles keys: ctrl+s inspects, v verifies, n pastes another, esc/ctrl+c quit.
func (a *InspectApp) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.box.SetWidth(max(msg.Width-4, 20))
		return a, nil
	case inspectClockMsg:
		return a, a.env.After(time.Second, func(time.Time) tea.Msg { return inspectClockMsg{} })
	case explainedMsg:
		a.report.GotoTop()
		a.inspection, a.err, a.explained = nil, msg.err, msg.text
		if msg.err == nil {
			a.box.Blur()
		}
		return a, nil
	case inspectedMsg:
		a.report.GotoTop()
		a.explained = ""
		a.verifying = false
		if msg.err == nil && a.first != nil && msg.in != nil && a.first.Decoded.Raw == msg.in.Decoded.Raw {
			msg.in, msg.err = nil, errSameToken(a.env.Text)
		}
		a.inspection, a.err = msg.in, msg.err
		if msg.err == nil {
			a.box.Blur()
		}
		return a, nil
	case tea.KeyMsg:
		switch msg.String() {
		case "ctrl+c", "esc":
			return a, tea.Quit
		case "ctrl+s":
			return a, a.inspect(false)
		}
		if !a.box.Focused() {
			switch msg.String() {
			case "q":
				return a, tea.Quit
			case "v":
				if a.verifier != nil {
					return a, a.inspect(true)
				}
			case "b":
				if a.inspection != nil && a.first == nil {
					a.first, a.inspection, a.err = a.inspection, nil, nil
					a.box.Reset()
					return a, a.box.Focus()
				}
			case "n":
				a.first = nil
				a.inspection, a.err, a.explained = nil, nil, ""
				a.box.Reset()
				return a, a.box.Focus()
			}
			a.scroll(msg)
			return a, nil
		}
	}
	var cmd tea.Cmd
	a.box, cmd = a.box.Update(msg)
	return a, cmd
}

// scroll moves a report taller than the window by the wizard's scroll keys. It scrolls the
// report as View last drew it (every update is drawn before the next key), so the report is
// not rendered again for a key.
func (a *InspectApp) scroll(msg tea.KeyMsg) {
	k := a.env.Keys
	switch {
	case key.Matches(msg, k.Down):
		a.report.ScrollDown(1)
	case key.Matches(msg, k.Up):
		a.report.ScrollUp(1)
	case key.Matches(msg, k.PageDown):
		a.report.PageDown()
	case key.Matches(msg, k.PageUp):
		a.report.PageUp()
	case key.Matches(msg, k.Home):
		a.report.GotoTop()
	case key.Matches(msg, k.End):
		a.report.GotoBottom()
	}
}

// screen is what the window shows above the keys line, and the keys; report says whether it
// is a report (scrolled) rather than the paste box.
func (a *InspectApp) screen() (body, keys string, report bool) {
	st, t := a.env.Styles, a.env.T
	w := max(a.width-2, 40)
	switch {
	case a.explained != "":
		body = st.Title.Render(t("uimisc.inspect.error_body")) + "\n" + lipgloss.NewStyle().Width(w).Render(a.explained)
		keys = kit.Hint(st, "n", t("uimisc.inspect.key.paste_another")) + "   " + kit.Hint(st, "q", t("uimisc.inspect.key.quit"))
		return body, keys, true
	case a.inspection != nil && a.first != nil:
		body = st.Title.Render(t("uimisc.inspect.compare_title")) + "\n" + compareView(a.env.Text, st, a.first, a.inspection, w)
		keys = kit.Hint(st, "n", t("uimisc.inspect.key.start_again")) + "   " + kit.Hint(st, "q", t("uimisc.inspect.key.quit"))
		return body, keys, true
	case a.inspection != nil:
		body = st.Title.Render(t("uimisc.inspect.token")) + "\n" + strings.TrimRight(kit.InspectorViewIn(a.env.Text, st, a.inspection, a.env.Now(), w), "\n") + "\n"
		keys = kit.Hint(st, "n", t("uimisc.inspect.key.another")) + "   " + kit.Hint(st, "b", t("uimisc.inspect.key.compare")) + "   " + kit.Hint(st, "q", t("uimisc.inspect.key.quit"))
		if a.verifier != nil && !a.inspection.Verified {
			keys = kit.Hint(st, "v", t("uimisc.inspect.key.verify")) + "   " + keys
		}
		if a.verifying {
			keys = t("uimisc.inspect.verifying")
		}
		return body, keys, true
	}
	body = st.Title.Render(t("uimisc.inspect.title")) + "\n" + st.Subtle.Render(t("uimisc.inspect.intro")) + "\n\n" + a.box.View()
	if a.err != nil {
		// In the user's language (tokeninspect's and explain's errors have catalogue texts),
		// and whole: cut at the window's edge the reason was lost.
		body += "\n" + kit.WrapText(st.Error.Render("✗ "+termsafe.Line(a.env.Text.Error(a.err))), w)
	}
	keys = kit.Hint(st, "ctrl+s", t("uimisc.inspect.key.inspect")) + "   " + kit.Hint(st, "esc", t("uimisc.inspect.key.quit"))
	return body, keys, false
}

// fillReport puts a report into its viewport: the window less the keys line, and less a
// marker line when the report is taller than that.
func (a *InspectApp) fillReport(body string) {
	room := max(a.height-1, 1)
	a.report.Width = max(a.width, 1)
	a.report.Height = room
	if lipgloss.Height(body) > room {
		a.report.Height = max(room-1, 1)
	}
	a.report.SetContent(lipgloss.NewStyle().MaxWidth(a.width).Render(strings.TrimRight(body, "\n")))
}

// View draws the paste box or the report, with its keys on the last line: a report taller
// than the window scrolls under them, with a line that says where it is.
func (a *InspectApp) View() string {
	body, keys, report := a.screen()
	switch {
	case a.height <= 0:
		return body + "\n" + keys
	case report:
		a.fillReport(body)
		body = a.report.View()
		if a.report.TotalLineCount() > a.report.Height {
			body += "\n" + scrollMarker(a.env, a.report)
		}
	default:
		lines := strings.Split(body, "\n")
		if len(lines) > a.height-1 {
			lines = lines[:max(a.height-1, 0)]
		}
		body = lipgloss.NewStyle().MaxWidth(a.width).Render(strings.Join(lines, "\n"))
	}
	return body + "\n" + lipgloss.NewStyle().MaxWidth(a.width).Render(keys)
}

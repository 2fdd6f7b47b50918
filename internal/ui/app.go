// Package ui is the terminal wizard: one root model owning a state machine of eight step
// components, each driving the UI-free code in internal/steps.
package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/ui/page"

	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// Minimum terminal size; below it the wizard shows only a request to enlarge the window.
const (
	MinWidth  = 60
	MinHeight = 20
)

// snapshotMsg asks the running program for its current screen, from its own goroutine
// (tests read screens this way instead of racing the event loop).
type snapshotMsg struct{ reply chan<- string }

// App is the root model: it owns the steps, the current one, help, scrolling, quitting and
// resuming.
type App struct {
	env     *kit.Env
	steps   []kit.Step
	current int
	done    []bool
	// entered is when each step was last entered: an invalidation made before it does not
	// reset what the step built since from the changed flow.
	entered  []time.Time
	width    int
	height   int
	help     help.Model
	fullHelp bool
	// body scrolls a step that is taller than the screen; bodyStep is the step it shows (a
	// new step starts at the top).
	body     viewport.Model
	bodyStep int
	// notice is a one-line message ("copied") shown above the footer until the next key.
	notice string
	// confirmQuit is set while the "quit mid-step?" question is shown.
	confirmQuit bool
	// resume is the saved progress offered at start, nil once answered.
	resume *Progress
	// saved reports that progress was written at least once (for the exit note).
	saved bool
	// Quitting is set when the program ends; tests read it.
	Quitting bool
	// logs is the HTTP log pane (key l).
	logs logPane
}

// New builds the wizard on env. saved is progress to offer resuming (nil for none).
func New(env *kit.Env, saved *Progress) *App {
	a := &App{env: env, help: help.New(), body: viewport.New(0, 0)}
	if env.Session != nil && len(env.Session.Warnings) > 0 && saved != nil {
		// Set-up warnings (a sandbox port taken, overridden URLs) were printed before the
		// screen took over: the resume question says them again (step 1 and step 6 show them
		// in full).
		a.notice = env.T("ui.warning", "Text", termsafe.Line(strings.Join(env.Session.Warnings, " ")))
	}
	a.help.Styles.ShortKey = env.Styles.Key
	a.help.Styles.FullKey = env.Styles.Key
	a.steps = []kit.Step{
		page.NewEnv(env, 0),
		page.NewScopes(env, 1),
		page.NewKey(env, 2),
		page.NewSystem(env, 3),
		page.NewRequest(env, 4),
		page.NewApproval(env, 5),
		page.NewToken(env, 6),
		page.NewCall(env, 7),
	}
	a.done = make([]bool, len(a.steps))
	a.entered = make([]time.Time, len(a.steps))
	if saved != nil && saved.Resumable(len(a.steps)) {
		a.resume = saved
		// The step bar under the question shows what was saved.
		a.current = min(max(saved.Current, 0), len(a.steps)-1)
		for i := range a.done {
			a.done[i] = i < len(saved.Done) && saved.Done[i]
		}
	}
	return a
}

// Init starts the first step, unless a resume question comes first.
func (a *App) Init() tea.Cmd {
	if a.resume != nil {
		return nil
	}
	return a.enterCurrent()
}

// enterCurrent enters the current step and notes when (see invalidate).
func (a *App) enterCurrent() tea.Cmd {
	a.entered[a.current] = time.Now()
	return a.steps[a.current].Enter()
}

// Current is the current step's index (tests).
func (a *App) Current() int { return a.current }

// DoneSteps reports which steps are done (tests).
func (a *App) DoneSteps() []bool { return append([]bool(nil), a.done...) }

// ExitNote is what to print after the program ends: where the next start resumes.
func (a *App) ExitNote() string {
	if !a.saved || a.env.Opts.StateDir == "" {
		return ""
	}
	all := true
	for _, d := range a.done {
		all = all && d
	}
	if all {
		return a.env.T("ui.all_done")
	}
	return a.env.T("ui.saved", "N", a.current+1, "Step", a.steps[a.current].Short()) // short: the line fits 80 columns
}

// footerLines is the height of the footer: one line, or the full help.
func (a *App) footerLines() int {
	return lipgloss.Height(a.footer())
}

// bodyRoom is the room for the step body: the screen less the header, the step bar, the
// notice and the footer.
func (a *App) bodyRoom() (int, int) { return a.roomWith(a.footerLines()) }

// roomWith is bodyRoom for a footer of footer lines.
func (a *App) roomWith(footer int) (int, int) {
	return a.bodyWidth(), max(a.height-2-len(noticeLines(a.notice, a.width))-footer, 3)
}

// maxNoticeLines is how tall the notice may grow: a warning or an error's next step is read
// whole (one line cut "Could not start a browser … (exec: "xdg-open": executa…").
const maxNoticeLines = 3

// noticeLines are a notice wrapped for a screen width columns wide, at most maxNoticeLines
// (the last cut with "…"), and one empty line when there is none.
func noticeLines(notice string, width int) []string {
	if notice == "" {
		return []string{""}
	}
	w := max(width-2, 10)
	lines := strings.Split(kit.WrapText(notice, w), "\n")
	if len(lines) > maxNoticeLines {
		lines = lines[:maxNoticeLines]
		lines[maxNoticeLines-1] = ansi.Truncate(lines[maxNoticeLines-1], w-1, "") + "…"
	}
	return lines
}

// bodyWidth is the body's width, which the footer does not change.
func (a *App) bodyWidth() int { return max(a.width-2, 10) }

// resize tells every step its room: the body less its title and a blank line.
func (a *App) resize() {
	w, h := a.bodyRoom()
	for _, s := range a.steps {
		s.SetSize(w, h-2)
	}
	a.help.Width = a.width - 1
	a.logs.SetSize(w, h)
}

func (a *App) goTo(i int) tea.Cmd {
	if i < 0 || i >= len(a.steps) || i == a.current {
		return nil
	}
	a.steps[a.current].Leave()
	a.current = i
	cmd := a.enterCurrent()
	a.resize() // the footer (and so the room) may differ
	a.save()
	return cmd
}

// advance moves to the next step; the last has none.
func (a *App) advance() tea.Cmd {
	if a.current == len(a.steps)-1 {
		return nil
	}
	return a.goTo(a.current + 1)
}

// midStep reports whether quitting now would lose work: a call in flight, or a started
// form whose input is not saved as a draft.
func (a *App) midStep() bool {
	s := a.steps[a.current]
	return s.Busy() || (s.Capturing() && !a.savesDraft())
}

// Update routes messages: global keys first, then the current step.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.resize()
		return a, a.broadcast(msg)
	case kit.CompletedMsg:
		if msg.Step >= 0 && msg.Step < len(a.done) {
			a.done[msg.Step] = true
		}
		a.save()
		return a, nil
	case kit.InvalidateMsg:
		a.invalidate(msg.From, msg.Sender, msg.At)
		return a, nil
	case kit.NoticeMsg:
		a.notice = msg.Text
		a.resize() // the notice's height is the body's to give
		return a, nil
	case kit.ScrollTopMsg:
		a.body.GotoTop()
		return a, nil
	case kit.AdvanceMsg:
		return a, a.advance()
	case kit.GotoStepMsg:
		return a, a.goTo(msg.Step)
	case snapshotMsg:
		msg.reply <- a.View()
		return a, nil
	case ReportDoneMsg:
		a.notice = reportNote(a.env.Styles, msg)
		a.resize()
		return a, nil
	case tea.KeyMsg:
		a.notice = ""
		if a.logs.open && !a.confirmQuit && msg.String() != "ctrl+c" {
			return a, a.logs.Update(a.env, msg)
		}
		cmd := a.handleKey(msg)
		a.resize() // a step's state, and so its footer, may have changed
		return a, cmd
	}
	return a, a.broadcast(msg)
}

// invalidate marks the steps from `from` on undone and makes them (except the sender) forget
// their results: they were built on what the sender had before.
func (a *App) invalidate(from, sender int, at time.Time) {
	for j := max(from, 0); j < len(a.steps); j++ {
		a.done[j] = false
		// A step entered after the change (the user pressed on before the message came) was
		// built from the changed flow: resetting it would throw away what the user typed.
		if j != sender && !a.entered[j].After(at) {
			a.steps[j].Reset()
		}
	}
	a.save()
}

// broadcast forwards non-key messages to every step: async results belong to the step that
// started them even if the user has moved on.
func (a *App) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for _, s := range a.steps {
		cmds = append(cmds, s.Update(msg))
	}
	return tea.Batch(cmds...)
}

// actions are the keys the current screen offers, the step's first: what handleKey
// dispatches and what the footer shows.
func (a *App) actions() []kit.Action {
	k := a.env.Keys
	if a.confirmQuit {
		return []kit.Action{
			kit.Act(k.Yes, a.quit),
			kit.Act(k.No, func() tea.Cmd { a.confirmQuit = false; return nil }),
			kit.Act(k.ForceQuit, a.quit).More(),
		}
	}
	if a.resume != nil {
		return []kit.Action{
			kit.Act(k.Resume, a.resumeSaved),
			kit.Act(k.Afresh, func() tea.Cmd {
				a.resume = nil
				a.current = 0
				a.done = make([]bool, len(a.steps))
				a.clearProgress()
				return a.enterCurrent()
			}),
			kit.Act(k.Quit, a.quit),
			kit.Act(k.ForceQuit, a.quit).More(),
		}
	}
	step := a.steps[a.current]
	quit := kit.Act(k.ForceQuit, a.askQuit).More()
	if step.Busy() {
		return []kit.Action{kit.Act(k.Cancel, func() tea.Cmd { step.Cancel(); return kit.Notice(a.env.T("ui.cancelled")) }), quit}
	}
	out := step.Actions()
	if step.Capturing() {
		return append(out, quit)
	}
	if a.overflows() {
		out = append(out,
			// The marker line under the body names the scroll keys; the footer keeps its room.
			kit.Act(k.Down, func() tea.Cmd { a.body.ScrollDown(1); return nil }).More(),
			kit.Act(k.Up, func() tea.Cmd { a.body.ScrollUp(1); return nil }).More(),
			kit.Act(k.PageDown, func() tea.Cmd { a.body.PageDown(); return nil }).More(),
			kit.Act(k.PageUp, func() tea.Cmd { a.body.PageUp(); return nil }).More(),
			kit.Act(k.Home, func() tea.Cmd { a.body.GotoTop(); return nil }).More(),
			kit.Act(k.End, func() tea.Cmd { a.body.GotoBottom(); return nil }).More(),
		)
	}
	if a.current > 0 {
		out = append(out, kit.Act(k.Back, func() tea.Cmd { return a.goTo(a.current - 1) }))
	}
	if a.current < len(a.steps)-1 {
		out = append(out, kit.Act(k.Next, func() tea.Cmd { return a.goTo(a.current + 1) }))
	}
	help := k.Help
	if a.fullHelp {
		help = kit.With(help, a.env.T("ui.key.fewer"))
	}
	out = append(out,
		kit.Act(help, func() tea.Cmd { a.fullHelp = !a.fullHelp; a.help.ShowAll = a.fullHelp; return nil }),
		kit.Act(k.Quit, a.askQuit),
		quit)
	// The support keys come last: where the footer is short of room they give way first, and
	// the full help (?) always lists them.
	if a.env.Record != nil {
		out = append(out, kit.Act(k.Log, func() tea.Cmd { a.logs.Open(); return nil }))
	}
	if a.env.Report != nil {
		out = append(out, kit.Act(k.Report, func() tea.Cmd {
			a.notice = a.env.T("ui.writing_report")
			return writeReport(a.env)
		}))
	}
	return out
}

func (a *App) handleKey(msg tea.KeyMsg) tea.Cmd {
	a.layoutBody()
	acts := a.actions()
	if act, ok := kit.Match(acts, msg); ok && act.Advance {
		return a.advance() // now, not by a message: the keys queued behind this one belong to the next step
	}
	capturing := a.steps[a.current].Capturing()
	if cmd, ok := kit.Dispatch(acts, msg); ok {
		if !capturing && a.steps[a.current].Capturing() {
			a.body.GotoTop() // a form opened: its first field is at the top (e after end hid it)
		}
		return cmd
	}
	if a.resume == nil && !a.confirmQuit && a.steps[a.current].Capturing() {
		return a.steps[a.current].Update(msg)
	}
	return nil
}

func (a *App) askQuit() tea.Cmd {
	if a.midStep() {
		a.confirmQuit = true
		return nil
	}
	return a.quit()
}

func (a *App) resumeSaved() tea.Cmd {
	p := a.resume
	a.resume = nil
	*a.env.Flow = p.Flow
	a.restoreDrafts(p)
	note := a.restoreKey()
	return tea.Batch(a.enterCurrent(), note)
}

// restoreKey switches the resumed session back to the key step 3 chose. A key that cannot be
// used again (a business certificate, whose password is never saved, or a key file gone)
// sends the user back to step 3, with the later steps no longer done.
func (a *App) restoreKey() tea.Cmd {
	f := a.env.Flow
	redo := func(why string) tea.Cmd {
		f.KeyFile, f.KeyKid, f.ClientID, f.KeyPKCS12 = "", "", "", false
		a.invalidate(2, -1, time.Now())
		a.current = 2
		return kit.Notice(why)
	}
	switch {
	case f.KeyPKCS12:
		return redo(a.env.T("ui.resume.pkcs12"))
	case f.KeyFile != "":
		k, err := steps.LoadKeyFile(f.KeyFile, f.KeyKid)
		if err != nil {
			return redo(a.env.T("ui.resume.key_unreadable", "Err", termsafe.Line(err.Error())))
		}
		a.env.Session = a.env.Session.WithKey(f.ClientID, k)
	}
	return nil
}

func (a *App) quit() tea.Cmd {
	a.Quitting = true
	for _, s := range a.steps {
		s.Stop()
	}
	if a.resume == nil {
		a.save()
	}
	return tea.Quit
}

// bodyContent is the current screen's body: the resume question or the step, fitted to the
// width without breaking words.
func (a *App) bodyContent() string {
	w := a.bodyWidth()
	if a.resume != nil {
		return kit.WrapText(a.resumeView(), w)
	}
	st := a.env.Styles
	title := st.StepTitle.Render(a.env.T("ui.step_heading", "N", a.current+1, "Title", a.steps[a.current].Title()))
	return kit.WrapText(title+"\n\n"+strings.TrimRight(a.steps[a.current].View(), "\n"), w)
}

// layoutBody fills the body viewport; overflowing content leaves a line for the marker. The
// footer offers the scroll keys only while the body overflows, so filling it can change the
// footer's height: then it is laid out again for the new room (else the full help grew below
// a body sized for the shorter one, and the header left the top of the screen).
func (a *App) layoutBody() {
	if a.bodyStep != a.current {
		a.bodyStep = a.current
		a.body.GotoTop()
	}
	content := a.bodyContent()
	footer := a.footerLines()
	for range 2 {
		w, h := a.roomWith(footer)
		a.body.Width = w
		a.body.Height = h
		if lipgloss.Height(content) > h {
			a.body.Height = h - 1
		}
		a.body.SetContent(content)
		now := a.footerLines()
		if now == footer {
			return
		}
		footer = now
	}
}

func (a *App) overflows() bool { return a.body.TotalLineCount() > a.body.Height }

// View draws header, step bar, the current step, a notice line and the footer.
func (a *App) View() string {
	if a.width == 0 {
		return ""
	}
	st := a.env.Styles
	if a.width < MinWidth || a.height < MinHeight {
		msg := kit.WrapText(a.env.T("ui.too_small", "W", a.width, "H", a.height, "MinW", MinWidth, "MinH", MinHeight), a.width) +
			"\n" + st.Subtle.Render(a.env.T("ui.ctrl_c_quits"))
		lines := strings.Split(msg, "\n")
		return strings.Join(lines[:min(len(lines), a.height)], "\n")
	}
	a.layoutBody()
	var b strings.Builder
	b.WriteString(a.header() + "\n")
	b.WriteString(a.stepList() + "\n")
	body := a.body.View()
	switch {
	case a.logs.open && a.resume == nil && a.logs.Detail():
		w, h := a.bodyRoom()
		body = lipgloss.NewStyle().MaxWidth(w).MaxHeight(h).Render(a.logs.View(a.env))
	case a.logs.open && a.resume == nil:
		// The log under the step: the step keeps the top of the room.
		w, h := a.bodyRoom()
		pane := a.logs.View(a.env)
		lines := strings.Split(a.bodyContent(), "\n")
		keep := max(h-lipgloss.Height(pane)-1, 1)
		if len(lines) > keep {
			lines = lines[:keep]
		}
		body = strings.Join(lines, "\n") + "\n" + st.Subtle.Render(strings.Repeat("─", max(w-2, 1))) + "\n" + lipgloss.NewStyle().MaxWidth(w).Render(pane)
	case a.overflows():
		body += "\n" + scrollMarker(a.env, a.body)
	}
	b.WriteString(lipgloss.NewStyle().PaddingLeft(1).Render(body) + "\n")
	for _, l := range noticeLines(a.notice, a.width) {
		b.WriteString(" " + st.Info.Render(l) + "\n")
	}
	b.WriteString(a.footer())
	return b.String()
}

// scrollMarker is the line under a body taller than its viewport: which lines show, and the
// keys that scroll.
func scrollMarker(env *kit.Env, vp viewport.Model) string {
	top := vp.YOffset + 1
	bottom := min(vp.YOffset+vp.Height, vp.TotalLineCount())
	arrows := "↑↓"
	switch {
	case vp.AtTop():
		arrows = " ↓"
	case vp.AtBottom():
		arrows = "↑ "
	}
	return env.Styles.Subtle.Render(env.T("ui.scroll", "Arrows", arrows, "Top", top, "Bottom", bottom, "Total", vp.TotalLineCount()))
}

func (a *App) header() string {
	st := a.env.Styles
	s := a.env.Session
	var badge string
	switch s.Env.Name {
	case "sandbox":
		badge = st.SandboxBadge.Render(a.env.T("ui.badge.sandbox"))
	case "prod":
		badge = st.ProdBadge.Render(a.env.T("ui.badge.prod"))
	default:
		badge = st.TestBadge.Render(a.env.T("ui.badge.test"))
	}
	info := a.env.T("ui.header", "Profile", termsafe.Line(s.ProfileName), "Org", termsafe.Line(s.Profile.OrgNo))
	left := st.Header.Render("sbs-tui") + " " + badge + " " + st.HeaderEnv.Render(info)
	return ansi.Truncate(left, a.width, "…")
}

// stepList is the step bar. When the names do not fit, the other steps drop their numbers
// (the current step's title has its number); when even that does not fit, they drop their
// names and only the current step keeps its name.
func (a *App) stepList() string {
	st := a.env.Styles
	const (
		full = iota
		namesOnly
		numbersOnly
	)
	render := func(level int) string {
		var parts []string
		for i, s := range a.steps {
			label, sep := fmt.Sprintf("%d %s", i+1, s.Short()), " "
			if i != a.current {
				switch level {
				case namesOnly:
					label = s.Short()
				case numbersOnly:
					label, sep = fmt.Sprint(i+1), ""
				}
			}
			switch {
			case i == a.current:
				parts = append(parts, st.StepCurrent.Render("● "+label))
			case a.done[i]:
				parts = append(parts, st.StepDone.Render("✓"+sep+label))
			default:
				parts = append(parts, st.StepPending.Render("○"+sep+label))
			}
		}
		return " " + strings.Join(parts, " ")
	}
	for _, level := range []int{full, namesOnly} {
		if s := render(level); ansi.StringWidth(s) <= a.width {
			return s
		}
	}
	return ansi.Truncate(render(numbersOnly), a.width, "…")
}

// shortHelp draws keys on one line of width, then tail; keys that do not fit are dropped for
// "…" (bubbles' own cut lets the line overflow when the ellipsis does not fit either).
func shortHelp(h help.Model, keys []key.Binding, width int, tail string) string {
	sep := h.Styles.ShortSeparator.Render(h.ShortSeparator)
	ell := " " + h.Styles.Ellipsis.Render(h.Ellipsis)
	room := width
	if tail != "" {
		room -= lipgloss.Width(sep) + lipgloss.Width(tail)
	}
	var b strings.Builder
	used := 0
	for i, k := range keys {
		if !k.Enabled() {
			continue
		}
		item := h.Styles.ShortKey.Render(k.Help().Key) + " " + h.Styles.ShortDesc.Render(k.Help().Desc)
		if used > 0 {
			item = sep + item
		}
		w := lipgloss.Width(item)
		need := w // a key that is not the last must leave room for "…"
		if i < len(keys)-1 {
			need += lipgloss.Width(ell)
		}
		if used+need > room {
			b.WriteString(ell)
			used += lipgloss.Width(ell)
			break
		}
		b.WriteString(item)
		used += w
	}
	if tail != "" {
		if used > 0 {
			b.WriteString(sep)
		}
		b.WriteString(tail)
	}
	return b.String()
}

func (a *App) footer() string {
	st := a.env.Styles
	if a.confirmQuit {
		what := a.env.T("ui.quit.busy")
		if a.steps[a.current].Capturing() {
			what = a.env.T("ui.quit.form")
		}
		return st.Warn.Render(" "+a.env.T("ui.quit.ask", "What", what)+" ") + a.help.ShortHelpView(a.keysOf(a.actions(), false))
	}
	if a.logs.open && a.resume == nil {
		return a.logs.Help(a.env)
	}
	short, full := kit.HelpOf(a.actions())
	if !a.fullHelp {
		// "? more keys" always shows: the rest is cut to fit before it.
		var rest []key.Binding
		var helpKey *key.Binding
		for i, b := range short {
			if b.Help().Key == a.env.Keys.Help.Help().Key {
				helpKey = &short[i]
				continue
			}
			rest = append(rest, b)
		}
		if helpKey == nil {
			return " " + shortHelp(a.help, rest, a.width-1, "")
		}
		h := a.help
		tail := h.Styles.ShortKey.Render(helpKey.Help().Key) + " " + h.Styles.ShortDesc.Render(helpKey.Help().Desc)
		return " " + shortHelp(a.help, rest, a.width-1, tail)
	}
	return lipgloss.NewStyle().PaddingLeft(1).Render(fullHelpFit(a.help, full, a.width-1))
}

func (a *App) keysOf(acts []kit.Action, full bool) []key.Binding {
	s, f := kit.HelpOf(acts)
	if full {
		return f
	}
	return s
}

func (a *App) resumeView() string {
	st := a.env.Styles
	p := a.resume
	var b strings.Builder
	b.WriteString(st.Title.Render(a.env.T("ui.resume.title")) + "\n\n")
	b.WriteString(a.env.T("ui.resume.saved", "When", savedAt(a.env.Text, p.UpdatedAt.Local()), "N", a.current+1, "Step", a.steps[a.current].Title()) + "\n\n")
	for i, s := range a.steps {
		mark := "○"
		if a.done[i] {
			mark = "✓"
		}
		fmt.Fprintf(&b, "  %s %d %s\n", mark, i+1, s.Title())
	}
	if raw := p.Drafts[a.current]; raw != nil {
		b.WriteString("\n" + a.env.T("ui.resume.draft", "N", a.current+1, "Step", a.steps[a.current].Title()) + "\n")
	}
	if p.Flow.RequestID != "" {
		b.WriteString("\n" + a.env.T("ui.resume.request", "ID", termsafe.Line(p.Flow.RequestID), "Org", termsafe.Line(p.Flow.CustomerOrg), "Status", termsafe.Line(p.Flow.Status)) + "\n")
	}
	return b.String()
}

// savedAt is when progress was saved: ISO in English as before, the language's form otherwise.
func savedAt(p *i18n.Printer, t time.Time) string {
	if p.Lang() == i18n.EN {
		return t.Format("2006-01-02 15:04")
	}
	return p.DateTime(t)
}

// fullHelpFit lays the bindings out in columns of four rows, or as many more rows as it takes
// for every column to fit in width: the full help lists every key, none cut with "…".
func fullHelpFit(h help.Model, full []key.Binding, width int) string {
	h.Width = 0
	var view string
	for rows := 4; rows <= max(len(full), 4); rows++ {
		var cols [][]key.Binding
		for i := 0; i < len(full); i += rows {
			cols = append(cols, full[i:min(i+rows, len(full))])
		}
		view = h.FullHelpView(cols)
		if lipgloss.Width(view) <= width {
			break
		}
	}
	return view
}

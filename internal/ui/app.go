package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// Minimum terminal size; below it the wizard shows only a request to enlarge the window.
const (
	MinWidth  = 60
	MinHeight = 20
)

// App is the root model: it owns the steps, the current one, help, quitting and resuming.
type App struct {
	env      *Env
	steps    []Step
	current  int
	done     []bool
	width    int
	height   int
	help     help.Model
	fullHelp bool
	// confirmQuit is set while the "quit mid-step?" question is shown.
	confirmQuit bool
	// resume is the saved progress offered at start, nil once answered.
	resume *Progress
	// Quitting is set when the program ends; tests read it.
	Quitting bool
	// logs is the HTTP log pane (key l); note is a one-off line above the footer.
	logs logPane
	note string
}

// New builds the wizard on env. saved is progress to offer resuming (nil for none).
func New(env *Env, saved *Progress) *App {
	a := &App{env: env, help: help.New()}
	a.help.Styles.ShortKey = env.Styles.Key
	a.help.Styles.FullKey = env.Styles.Key
	a.steps = []Step{
		newEnvStep(env, 0),
		newScopesStep(env, 1),
		newKeyStep(env, 2),
		newSystemStep(env, 3),
		newRequestStep(env, 4),
		newApprovalStep(env, 5),
		newTokenStep(env, 6),
		newCallStep(env, 7),
	}
	a.done = make([]bool, len(a.steps))
	if saved != nil && saved.Resumable(len(a.steps)) {
		a.resume = saved
	}
	return a
}

// Init starts the first step, unless a resume question comes first.
func (a *App) Init() tea.Cmd {
	if a.resume != nil {
		return nil
	}
	return a.steps[a.current].Enter()
}

// Current is the current step's index (tests).
func (a *App) Current() int { return a.current }

// DoneSteps reports which steps are done (tests).
func (a *App) DoneSteps() []bool { return append([]bool(nil), a.done...) }

// bodySize is the room for a step: the screen less the header, the step list and the footer.
func (a *App) bodySize() (int, int) {
	footer := 1
	if a.fullHelp {
		footer = 5
	}
	return a.width - 2, a.height - 2 - footer
}

func (a *App) resize() {
	w, h := a.bodySize()
	for _, s := range a.steps {
		s.SetSize(w, h)
	}
	a.help.Width = a.width
	a.logs.SetSize(w, h)
}

func (a *App) goTo(i int) tea.Cmd {
	if i < 0 || i >= len(a.steps) || i == a.current {
		return nil
	}
	a.steps[a.current].Leave()
	a.current = i
	return a.steps[i].Enter()
}

// midStep reports whether quitting now would lose work: a call in flight, or a started
// step with unsaved input.
func (a *App) midStep() bool {
	s := a.steps[a.current]
	return s.Busy() || (s.Capturing() && !s.Done())
}

// Update routes messages: global keys first, then the current step.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.resize()
		return a, a.broadcast(msg)
	case completedMsg:
		if msg.step >= 0 && msg.step < len(a.done) {
			a.done[msg.step] = true
		}
		a.save()
		return a, nil
	case advanceMsg:
		if a.current == len(a.steps)-1 {
			return a, nil
		}
		return a, a.goTo(a.current + 1)
	case gotoStepMsg:
		return a, a.goTo(msg.step)
	case snapshotMsg:
		msg.reply <- a.View()
		return a, nil
	case reportDoneMsg:
		a.note = reportNote(a.env.Styles, msg)
		return a, nil
	case tea.KeyMsg:
		a.note = ""
		if a.logs.open && !a.confirmQuit && msg.String() != "ctrl+c" {
			return a, a.logs.Update(a.env, msg)
		}
		return a, a.handleKey(msg)
	}
	return a, a.broadcast(msg)
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

func (a *App) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := a.env.Keys
	if a.confirmQuit {
		switch msg.String() {
		case "y", "Y", "ctrl+c":
			return a.quit()
		default:
			a.confirmQuit = false
			return nil
		}
	}
	if a.resume != nil {
		switch msg.String() {
		case "r", "enter":
			p := a.resume
			a.resume = nil
			*a.env.Flow = p.Flow
			for i := range a.done {
				a.done[i] = i < len(p.Done) && p.Done[i]
			}
			a.current = min(max(p.Current, 0), len(a.steps)-1)
			return a.steps[a.current].Enter()
		case "s":
			a.resume = nil
			a.clearProgress()
			return a.steps[a.current].Enter()
		case "q", "ctrl+c":
			return a.quit()
		}
		return nil
	}
	if key.Matches(msg, k.ForceQuit) {
		if a.midStep() {
			a.confirmQuit = true
			return nil
		}
		return a.quit()
	}
	step := a.steps[a.current]
	capturing := step.Capturing()
	switch {
	case msg.String() == "pgup":
		return a.goTo(a.current - 1)
	case msg.String() == "pgdown":
		return a.goTo(a.current + 1)
	case !capturing && key.Matches(msg, k.Quit):
		if a.midStep() {
			a.confirmQuit = true
			return nil
		}
		return a.quit()
	case !capturing && a.env.Record != nil && key.Matches(msg, k.Log):
		a.logs.Open()
		return nil
	case !capturing && a.env.Report != nil && key.Matches(msg, k.Report):
		a.note = a.env.Styles.Subtle.Render("Writing the support report…")
		return writeReport(a.env)
	case !capturing && key.Matches(msg, k.Help):
		a.fullHelp = !a.fullHelp
		a.help.ShowAll = a.fullHelp
		a.resize()
		return nil
	case !capturing && !step.Busy() && msg.String() == "b":
		return a.goTo(a.current - 1)
	case !capturing && !step.Busy() && msg.String() == "n":
		return a.goTo(a.current + 1)
	}
	return step.Update(msg)
}

func (a *App) quit() tea.Cmd {
	a.Quitting = true
	for _, s := range a.steps {
		if w, ok := s.(interface{ stopWork() }); ok {
			w.stopWork()
		}
	}
	return tea.Quit
}

// View draws header, step list, the current step and the footer.
func (a *App) View() string {
	if a.width == 0 {
		return ""
	}
	st := a.env.Styles
	if a.width < MinWidth || a.height < MinHeight {
		return fmt.Sprintf("The terminal is %d×%d.\nsbs-tui needs at least %d×%d: enlarge the window.\n\n%s",
			a.width, a.height, MinWidth, MinHeight, st.Subtle.Render("ctrl+c quits"))
	}
	var b strings.Builder
	b.WriteString(a.header())
	b.WriteString("\n")
	b.WriteString(a.stepList())
	b.WriteString("\n")
	w, _ := a.bodySize()
	footer := a.footer()
	h := max(a.height-2-lipgloss.Height(footer), 1)
	var body string
	switch {
	case a.resume != nil:
		body = a.resumeView()
	case a.logs.open && a.logs.Detail():
		body = a.logs.View(a.env)
	case a.logs.open:
		// The log under the step: the step keeps the top of the room.
		pane := a.logs.View(a.env)
		step := st.StepTitle.Render(fmt.Sprintf("%d. %s", a.current+1, a.steps[a.current].Title())) + "\n\n" + a.steps[a.current].View()
		lines := strings.Split(lipgloss.NewStyle().Width(max(w-1, 1)).Render(step), "\n")
		keep := max(h-lipgloss.Height(pane)-1, 1)
		if len(lines) > keep {
			lines = lines[:keep]
		}
		body = strings.Join(lines, "\n") + "\n" + st.Subtle.Render(strings.Repeat("─", max(w-2, 1))) + "\n" + pane
	default:
		body = st.StepTitle.Render(fmt.Sprintf("%d. %s", a.current+1, a.steps[a.current].Title())) + "\n\n" + a.steps[a.current].View()
	}
	body = lipgloss.NewStyle().Width(w).MaxWidth(w).Height(h).MaxHeight(h).PaddingLeft(1).Render(body)
	b.WriteString(body)
	b.WriteString("\n")
	b.WriteString(footer)
	return b.String()
}

func (a *App) header() string {
	st := a.env.Styles
	s := a.env.Session
	var badge string
	switch s.Env.Name {
	case "sandbox":
		badge = st.SandboxBadge.Render("SANDBOX")
	case "prod":
		badge = st.ProdBadge.Render("PRODUCTION")
	default:
		badge = st.TestBadge.Render("TEST · TT02")
	}
	info := fmt.Sprintf("profile %s · org %s", termsafe.Line(s.ProfileName), termsafe.Line(s.Profile.OrgNo))
	left := st.Header.Render("sbs-tui") + " " + badge + " " + st.HeaderEnv.Render(info)
	return lipgloss.NewStyle().MaxWidth(a.width).Render(left)
}

func (a *App) stepList() string {
	st := a.env.Styles
	var parts []string
	for i, s := range a.steps {
		label := fmt.Sprintf("%d %s", i+1, s.Short())
		switch {
		case i == a.current:
			parts = append(parts, st.StepCurrent.Render("● "+label))
		case a.done[i]:
			parts = append(parts, st.StepDone.Render("✓ "+label))
		default:
			parts = append(parts, st.StepPending.Render("○ "+label))
		}
	}
	return lipgloss.NewStyle().MaxWidth(a.width).Render(" " + strings.Join(parts, " "))
}

func (a *App) footer() string {
	st := a.env.Styles
	if a.confirmQuit {
		return st.Warn.Render(" A step is in progress. Quit anyway? y/n")
	}
	step := a.steps[a.current]
	k := a.env.Keys
	globals := []key.Binding{k.Back, k.Next, k.Help, k.ForceQuit}
	if step.Capturing() {
		globals = []key.Binding{
			key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "previous step")),
			key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "next step")),
			k.ForceQuit,
		}
	}
	if a.resume != nil {
		return st.Footer.Render(" r resume · s start afresh · q quit")
	}
	note := ""
	if a.note != "" {
		note = " " + a.note + "\n"
	}
	if a.logs.open {
		return note + a.logs.Help(st)
	}
	if !step.Capturing() {
		if a.env.Record != nil {
			globals = append([]key.Binding{k.Log}, globals...)
		}
		if a.env.Report != nil {
			globals = append([]key.Binding{k.Report}, globals...)
		}
	}
	keys := helpKeys{short: append(step.ShortHelp(), globals...), full: append(step.FullHelp(), globals)}
	return note + " " + a.help.View(keys)
}

func (a *App) resumeView() string {
	st := a.env.Styles
	p := a.resume
	var b strings.Builder
	b.WriteString(st.Title.Render("Resume where you left off?") + "\n\n")
	fmt.Fprintf(&b, "Saved %s, at step %d (%s).\n\n", p.UpdatedAt.Local().Format("2006-01-02 15:04"), p.Current+1, a.steps[min(p.Current, len(a.steps)-1)].Title())
	for i, s := range a.steps {
		mark := "○"
		if i < len(p.Done) && p.Done[i] {
			mark = "✓"
		}
		fmt.Fprintf(&b, "  %s %d %s\n", mark, i+1, s.Title())
	}
	if p.Flow.RequestID != "" {
		fmt.Fprintf(&b, "\nRequest %s for %s (status %s) — approval can take days.\n", termsafe.Line(p.Flow.RequestID), termsafe.Line(p.Flow.CustomerOrg), termsafe.Line(p.Flow.Status))
	}
	b.WriteString("\n" + st.Key.Render("r") + " resume   " + st.Key.Render("s") + " start afresh\n")
	return b.String()
}

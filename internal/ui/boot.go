package ui

import (
	"io"
	"strings"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// The two control sequences the first frame needs (Bubble Tea's renderer writes the same).
const (
	cursorHome     = "\x1b[H"
	eraseLineRight = "\x1b[K"
)

// Boot is the wizard's first screen while its session is set up (on a fresh home that creates
// the sandbox: keys, seed). It draws at once, runs the set-up in the background, and hands
// every message to the wizard once the set-up returns.
type Boot struct {
	styles        kit.Styles
	text          *i18n.Printer
	spin          spinner.Model
	what          string
	load          func() (*kit.Env, *Progress, error)
	first         io.Writer
	width, height int

	app *App
	err error
}

// bootedMsg carries the set-up's result.
type bootedMsg struct {
	env   *kit.Env
	saved *Progress
	err   error
}

// NewBoot shows what (e.g. "creating the sandbox…") with a spinner while load runs. With a
// known terminal size and out, Init writes the first frame to out at once instead of on the
// renderer's first tick (≈ 17 ms later at 60 fps); the renderer then draws the same frame.
func NewBoot(styles kit.Styles, text *i18n.Printer, what string, width, height int, out io.Writer, load func() (*kit.Env, *Progress, error)) *Boot {
	return &Boot{styles: styles, text: text, spin: spinner.New(spinner.WithSpinner(spinner.MiniDot)), what: what,
		load: load, first: out, width: width, height: height}
}

// Init starts the set-up and the spinner, and writes the first frame.
func (b *Boot) Init() tea.Cmd {
	if b.first != nil && b.width > 0 && b.height > 0 {
		lines := strings.Split(b.View(), "\n")
		for i, l := range lines {
			lines[i] = l + eraseLineRight
		}
		_, _ = io.WriteString(b.first, cursorHome+strings.Join(lines, "\r\n"))
	}
	load := b.load
	return tea.Batch(b.spin.Tick, func() tea.Msg {
		env, saved, err := load()
		return bootedMsg{env: env, saved: saved, err: err}
	})
}

// Update waits for the set-up, then forwards everything to the wizard.
func (b *Boot) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if b.app != nil {
		_, cmd := b.app.Update(msg)
		return b, cmd
	}
	switch msg := msg.(type) {
	case bootedMsg:
		if msg.err != nil {
			b.err = msg.err
			return b, tea.Quit
		}
		b.app = New(msg.env, msg.saved)
		cmds := []tea.Cmd{b.app.Init()}
		if b.width > 0 {
			_, cmd := b.app.Update(tea.WindowSizeMsg{Width: b.width, Height: b.height})
			cmds = append(cmds, cmd)
		}
		return b, tea.Batch(cmds...)
	case tea.WindowSizeMsg:
		b.width, b.height = msg.Width, msg.Height
	case tea.KeyMsg:
		if s := msg.String(); s == "ctrl+c" || s == "q" {
			return b, tea.Quit
		}
	case spinner.TickMsg:
		var cmd tea.Cmd
		b.spin, cmd = b.spin.Update(msg)
		return b, cmd
	}
	return b, nil
}

// View is the wizard's once it runs; until then the set-up's progress.
func (b *Boot) View() string {
	if b.app != nil {
		return b.app.View()
	}
	if b.width == 0 {
		return ""
	}
	st := b.styles
	return st.Header.Render("sbs-tui") + "\n\n " + b.spin.View() + " " + b.what + "\n\n " + st.Subtle.Render(b.text.T("ui.ctrl_c_quits"))
}

// Err is the set-up's error, if it failed.
func (b *Boot) Err() error { return b.err }

// App is the wizard once it runs (nil before).
func (b *Boot) App() *App { return b.app }

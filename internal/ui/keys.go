package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the global keys. Single-letter keys only act when no text field has focus.
type KeyMap struct {
	Quit, ForceQuit, Help, Back, Next, Retry, Copy, Open, Cancel, Enter key.Binding
	// Log opens the HTTP log pane; Report writes the support report.
	Log, Report key.Binding
}

// DefaultKeys are the wizard's keys.
func DefaultKeys() KeyMap {
	return KeyMap{
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Back:      key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", "previous step")),
		Next:      key.NewBinding(key.WithKeys("pgdown", "n"), key.WithHelp("pgdn/n", "next step")),
		Retry:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "redo")),
		Copy:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy")),
		Open:      key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open in browser")),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Enter:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		Log:       key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "HTTP log")),
		Report:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "support report")),
	}
}

// helpKeys adapts a list of bindings to bubbles/help.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }

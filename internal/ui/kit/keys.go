package kit

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// KeyMap holds every key the wizard binds, in one place. Single-letter keys only act when no
// text field has focus. A step offers a subset through its actions; the footer and the full
// help are drawn from the same actions that handle the keys, so they cannot disagree.
type KeyMap struct {
	// Global keys.
	Quit, ForceQuit, Help, Back, Next, Cancel, Enter key.Binding
	// Scrolling the step body.
	Up, Down, PageUp, PageDown, Home, End key.Binding
	// Step keys.
	Retry, Copy, Open, Edit, Form, Import, DryRun, Generate, PKCS12, Provision,
	Poll, Approve, Reject, Recreate, Invert, EditURL, Headers, Change, Client, Target key.Binding
	// PickNext moves down a list shown under a text field (↑ moves up; both are named in its help).
	PickNext key.Binding
	// Log opens the HTTP log pane; Report writes the support report.
	Log, Report key.Binding
	// Resume and quit questions.
	Resume, Afresh, Yes, No key.Binding
}

// DefaultKeys are the wizard's keys.
func DefaultKeys() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Quit:      b("q", "quit", "q"),
		ForceQuit: b("ctrl+c", "quit", "ctrl+c"),
		Help:      b("?", "more keys", "?"),
		Back:      b("b", "previous step", "b"),
		Next:      b("n", "next step", "n"),
		Cancel:    b("esc", "cancel", "esc"),
		Enter:     b("enter", "continue", "enter"),

		Up:       b("↑", "scroll up", "up"),
		Down:     b("↓", "scroll down", "down"),
		PageUp:   b("pgup", "page up", "pgup"),
		PageDown: b("pgdn", "page down", "pgdown"),
		Home:     b("home", "top", "home"),
		End:      b("end", "bottom", "end"),

		Retry:     b("r", "retry", "r"),
		Copy:      b("c", "copy", "c"),
		Open:      b("o", "open in browser", "o"),
		Edit:      b("e", "edit", "e"),
		Form:      b("f", "fill in the form", "f"),
		Import:    b("i", "import system.json", "i"),
		DryRun:    b("d", "compare only", "d"),
		Generate:  b("g", "generate a key", "g"),
		PKCS12:    b("p", "load PKCS#12", "p"),
		Provision: b("u", "create client with key", "u"),
		Poll:      b("p", "check now", "p"),
		Approve:   b("a", "approve", "a"),
		Reject:    b("x", "reject (sandbox)", "x"),
		Recreate:  b("d", "delete and recreate", "d"),
		Invert:    b("i", "invert QR", "i"),
		EditURL:   b("u", "edit URL", "u"),
		Headers:   b("h", "headers", "h"),
		Change:    b("k", "ask for the change", "k"),
		Client:    b("k", "call for a client", "k"),
		Target:    b("t", "switch API", "t"),
		PickNext:  b("↑/↓", "pick", "down"),
		Log:       b("l", "HTTP log", "l"),
		Report:    b("s", "support report", "s"),

		Resume: b("r", "resume", "r", "enter"),
		Afresh: b("s", "start afresh", "s"),
		Yes:    b("y", "quit", "y", "Y"),
		No:     b("n", "stay", "n", "N", "esc"),
	}
}

// With relabels a binding for one use ("enter" → "register").
func With(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// Action is a key a step offers in its current state: the binding (its help is what the
// footer shows) and what it does. full marks keys shown only in the full help (?).
type Action struct {
	Key  key.Binding
	Do   func() tea.Cmd
	Full bool
}

// Act is the action of binding b doing do.
func Act(b key.Binding, do func() tea.Cmd) Action { return Action{Key: b, Do: do} }

// More marks an action as full-help only.
func (a Action) More() Action { a.Full = true; return a }

// Dispatch runs the first action matching msg; ok is false when none does, or when the
// matching key belongs to a focused field (an action without do).
func Dispatch(actions []Action, msg tea.KeyMsg) (cmd tea.Cmd, ok bool) {
	for _, a := range actions {
		if key.Matches(msg, a.Key) {
			if a.Do == nil {
				return nil, false
			}
			return a.Do(), true
		}
	}
	return nil, false
}

// HelpOf splits actions into the short and full help.
func HelpOf(actions []Action) (short, full []key.Binding) {
	for _, a := range actions {
		if !a.Full {
			short = append(short, a.Key)
		}
		full = append(full, a.Key)
	}
	return short, full
}

// HelpKeys adapts a list of bindings to bubbles/help.
type HelpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

// ShortHelp and FullHelp are bubbles/help's KeyMap.
func (h HelpKeys) ShortHelp() []key.Binding  { return h.short }
func (h HelpKeys) FullHelp() [][]key.Binding { return h.full }

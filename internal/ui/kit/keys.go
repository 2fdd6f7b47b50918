package kit

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
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

	// text is the language of the help texts, also for the form keys huh names (FormKey).
	text *i18n.Printer
}

// FormKey is one of huh's form keys with its help text in the keys' language: huh names its
// keys in English ("next", "submit", "toggle"), the catalogue holds them as kit.form_key.*.
// A text the catalogue lacks stays as huh wrote it.
func (k KeyMap) FormKey(b key.Binding) key.Binding {
	h := b.Help()
	if k.text == nil {
		return b
	}
	id := "kit.form_key." + strings.Join(strings.FieldsFunc(strings.ToLower(h.Desc), func(r rune) bool { //i18n:ignore a message-id prefix
		return !unicode.IsLetter(r)
	}), "_")
	if !k.text.Has(id) {
		return b
	}
	b.SetHelp(h.Key, k.text.T(id))
	return b
}

// DefaultKeys are the wizard's keys, their help texts in p's language (the keys themselves
// are the same in every language).
func DefaultKeys(p *i18n.Printer) KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Quit:      b("q", p.T("kit.key.quit"), "q"),
		ForceQuit: b("ctrl+c", p.T("kit.key.quit"), "ctrl+c"),
		Help:      b("?", p.T("kit.key.more_keys"), "?"),
		Back:      b("b", p.T("kit.key.back"), "b"),
		Next:      b("n", p.T("kit.key.next"), "n"),
		Cancel:    b("esc", p.T("kit.key.cancel"), "esc"),
		Enter:     b("enter", p.T("kit.key.continue"), "enter"),

		Up:       b("↑", p.T("kit.key.up"), "up"),
		Down:     b("↓", p.T("kit.key.down"), "down"),
		PageUp:   b("pgup", p.T("kit.key.page_up"), "pgup"),
		PageDown: b("pgdn", p.T("kit.key.page_down"), "pgdown"),
		Home:     b("home", p.T("kit.key.top"), "home"),
		End:      b("end", p.T("kit.key.bottom"), "end"),

		Retry:     b("r", p.T("kit.key.retry"), "r"),
		Copy:      b("c", p.T("kit.key.copy"), "c"),
		Open:      b("o", p.T("kit.key.open"), "o"),
		Edit:      b("e", p.T("kit.key.edit"), "e"),
		Form:      b("f", p.T("kit.key.form"), "f"),
		Import:    b("i", p.T("kit.key.import"), "i"),
		DryRun:    b("d", p.T("kit.key.dry_run"), "d"),
		Generate:  b("g", p.T("kit.key.generate"), "g"),
		PKCS12:    b("p", p.T("kit.key.pkcs12"), "p"),
		Provision: b("u", p.T("kit.key.provision"), "u"),
		Poll:      b("p", p.T("kit.key.poll"), "p"),
		Approve:   b("a", p.T("kit.key.approve"), "a"),
		Reject:    b("x", p.T("kit.key.reject"), "x"),
		Recreate:  b("d", p.T("kit.key.recreate"), "d"),
		Invert:    b("i", p.T("kit.key.invert"), "i"),
		EditURL:   b("u", p.T("kit.key.edit_url"), "u"),
		Headers:   b("h", p.T("kit.key.headers"), "h"),
		Change:    b("k", p.T("kit.key.change"), "k"),
		Client:    b("k", p.T("kit.key.client"), "k"),
		Target:    b("t", p.T("kit.key.target"), "t"),
		PickNext:  b("↑/↓", p.T("kit.key.pick"), "down"),
		Log:       b("l", p.T("kit.key.log"), "l"),
		Report:    b("s", p.T("kit.key.report"), "s"),

		Resume: b("r", p.T("kit.key.resume"), "r", "enter"),
		Afresh: b("s", p.T("kit.key.afresh"), "s"),
		Yes:    b("y", p.T("kit.key.quit"), "y", "Y"),
		No:     b("n", p.T("kit.key.stay"), "n", "N", "esc"),
		text:   p,
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
	// Advance marks the step's "continue" key: the root moves to the next step in the same
	// update as the key, so keys typed right after it (a paste) reach the next step.
	Advance bool
}

// Act is the action of binding b doing do.
func Act(b key.Binding, do func() tea.Cmd) Action { return Action{Key: b, Do: do} }

// Continue is the action of binding b moving on to the next step. Its Do sends AdvanceMsg, for
// a step on its own (tests); the root moves at once instead.
func Continue(b key.Binding) Action {
	return Action{Key: b, Do: func() tea.Cmd { return Advance }, Advance: true}
}

// More marks an action as full-help only.
func (a Action) More() Action { a.Full = true; return a }

// Dispatch runs the first action matching msg; ok is false when none does, or when the
// matching key belongs to a focused field (an action without do).
func Dispatch(actions []Action, msg tea.KeyMsg) (cmd tea.Cmd, ok bool) {
	a, ok := Match(actions, msg)
	if !ok || a.Do == nil {
		return nil, false
	}
	return a.Do(), true
}

// Match is the first action whose key matches msg.
func Match(actions []Action, msg tea.KeyMsg) (Action, bool) {
	for _, a := range actions {
		if key.Matches(msg, a.Key) {
			return a, true
		}
	}
	return Action{}, false
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

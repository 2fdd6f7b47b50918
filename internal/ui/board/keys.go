package board

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"github.com/charmbracelet/bubbles/table"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// keyMap is the board's keys; the table's own (arrows, pgup/pgdn, home/end, j/k) move.
type keyMap struct {
	Up, Down, Page                              key.Binding
	Filter, ClearFilter, Sort, Reverse, Refresh key.Binding
	QR, Copy, Open, Recreate, Approve, Reject   key.Binding
	Help, Quit, ForceQuit                       key.Binding
	sandbox                                     bool
}

// newKeys are the board's keys, their help texts in p's language (the keys are the same in
// every language).
func newKeys(p *i18n.Printer, sandbox bool) keyMap {
	k := keyMap{
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", p.T("board.key.up"))),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", p.T("board.key.down"))),
		Page:        key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", p.T("board.key.page"))),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", p.T("board.key.filter"))),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", p.T("board.key.clear_filter"))),
		Sort:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", p.T("board.key.sort"))),
		Reverse:     key.NewBinding(key.WithKeys("S"), key.WithHelp("S", p.T("board.key.reverse"))),
		Refresh:     key.NewBinding(key.WithKeys("R"), key.WithHelp("R", p.T("board.key.refresh"))),
		QR:          key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", p.T("board.key.qr"))),
		Copy:        key.NewBinding(key.WithKeys("c"), key.WithHelp("c", p.T("board.key.copy_link"))),
		Open:        key.NewBinding(key.WithKeys("o"), key.WithHelp("o", p.T("board.key.open"))),
		Recreate:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", p.T("board.key.resend"))),
		Approve:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", p.T("board.key.approve"))),
		Reject:      key.NewBinding(key.WithKeys("x"), key.WithHelp("x", p.T("board.key.reject"))),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", p.T("board.key.help"))),
		Quit:        key.NewBinding(key.WithKeys("q"), key.WithHelp("q", p.T("board.key.quit"))),
		ForceQuit:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", p.T("board.key.quit"))),
		sandbox:     sandbox,
	}
	k.Approve.SetEnabled(sandbox)
	k.Reject.SetEnabled(sandbox)
	return k
}

// ShortHelp is the footer: the keys a newcomer needs first.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Filter, k.Sort, k.QR, k.Approve, k.Reject, k.Help, k.Quit}
}

// FullHelp is the help screen.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Page, k.Filter, k.ClearFilter},
		{k.Sort, k.Reverse, k.Refresh, k.Help, k.Quit},
		{k.QR, k.Copy, k.Open, k.Recreate, k.Approve, k.Reject},
	}
}

// styles are every style the board draws with, from one renderer.
type styles struct {
	title, badge, subtle, pass, warn, fail, info, flash, flashErr, box lipgloss.Style
	table                                                              table.Styles
}

func newStyles(r *lipgloss.Renderer) styles {
	s := styles{
		title:    r.NewStyle().Bold(true),
		badge:    r.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).Background(lipgloss.Color("3")).Padding(0, 1),
		subtle:   r.NewStyle().Faint(true),
		pass:     r.NewStyle().Foreground(lipgloss.Color("2")),
		warn:     r.NewStyle().Foreground(lipgloss.Color("3")),
		fail:     r.NewStyle().Foreground(lipgloss.Color("1")),
		info:     r.NewStyle().Foreground(lipgloss.Color("6")),
		flash:    r.NewStyle().Foreground(lipgloss.Color("6")),
		flashErr: r.NewStyle().Foreground(lipgloss.Color("1")),
		box:      r.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1),
	}
	s.table = table.Styles{
		Header:   r.NewStyle().Bold(true).Padding(0, 1).BorderStyle(lipgloss.NormalBorder()).BorderBottom(false),
		Cell:     r.NewStyle().Padding(0, 1),
		Selected: r.NewStyle().Reverse(true),
	}
	return s
}

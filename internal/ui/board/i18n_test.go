package board

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/steps"
)

// TestBoardInNorwegianFits: in bokmål and nynorsk every screen of the board comes from the
// catalogue (no ⟨missing id⟩), uses the language's headings and fits 80×24.
func TestBoardInNorwegianFits(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lang                  i18n.Lang
		title, name, forwards string
	}{
		{i18n.NB, "Kunder av", "Navn", "Videresendt"},
		{i18n.NN, "Kundar av", "Namn", "Vidaresendt"},
	} {
		t.Run(string(c.lang), func(t *testing.T) {
			p := i18n.MustNew(c.lang)
			f := &fake{rows: fakeRows(200)}
			f.rows[1].Escalated = true
			d := f.deps()
			m := New(d, Options{SystemID: "974761076_demo", Renderer: plain(), Text: p})
			var tm tea.Model = m
			tm, _ = tm.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			check := func(what, v string, want ...string) {
				t.Helper()
				if strings.Contains(v, "⟨") {
					t.Errorf("%s: a message is missing:\n%s", what, v)
				}
				lines := strings.Split(v, "\n")
				if len(lines) > 24 {
					t.Errorf("%s: %d lines, more than 24:\n%s", what, len(lines), v)
				}
				for _, l := range lines {
					if w := lipgloss.Width(l); w > 80 {
						t.Errorf("%s: line %d cells wide: %q", what, w, l)
					}
				}
				for _, w := range want {
					if !strings.Contains(v, w) {
						t.Errorf("%s: no %q in\n%s", what, w, v)
					}
				}
			}
			check("loading", tm.View(), "974761076_demo")

			rows, _ := d.Load(context.Background())
			tm, cmd := tm.Update(loadedMsg{rows: rows})
			m = feed(tm.(Model), run(cmd))
			check("board", m.View(), c.title, c.name, c.forwards, "200", p.T("board.key.filter"))

			m, _ = press(t, m, "down")
			check("forwarded row", m.View(), p.T("board.forwarded_note"))

			h, _ := press(t, m, "?")
			check("help", h.View(), p.T("board.help.title"), p.T("board.key.resend"))

			m, _ = press(t, m, "/", "3", "1", "enter")
			check("filtered", m.View(), " av 200 ", p.T("board.filter_line", "Filter", "31"))

			m, _ = press(t, m, "esc")
			m.tbl.SetCursor(3) // a rejected row
			m, _ = press(t, m, "r")
			check("confirm", m.View(), "y/n")
			m, _ = press(t, m, "n")
			check("not deleted", m.View(), p.T("board.nothing_deleted"))

			e := New(d, Options{SystemID: "x", Renderer: plain(), Text: p})
			tm, _ = e.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			tm, _ = tm.Update(loadedMsg{err: errors.New("read request list: HTTP 503")})
			check("load failed", tm.View(), "HTTP 503")
			tm, _ = tm.Update(loadedMsg{rows: []steps.BoardRow{}})
			check("empty", tm.View(), "sbs-tui request bulk")
		})
	}
}

package board

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// A request the customer forwarded to their Tilgangsstyrer reads "Forwarded" on the board,
// from the sandbox's real list over loopback, and its message line says who approves it;
// the filter finds it by that word.
func TestBoardShowsAForwardedRequest(t *testing.T) {
	t.Parallel()
	w := uitest.NewWorld(t)
	waiting, forwarded := w.Requested(t), w.Requested(t)
	if _, err := w.H.SB.Escalate(forwarded.RequestID); err != nil {
		t.Fatal(err)
	}
	s := w.H.Env.Session
	d := SessionDeps(s, w.Def.ID, func(string) error { return nil }, func(string) error { return nil })
	rows, err := d.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	marks := map[string]bool{}
	for _, r := range rows {
		marks[r.RequestID] = r.Escalated
	}
	if !marks[forwarded.RequestID] || marks[waiting.RequestID] {
		t.Fatalf("escalation marks %v (forwarded %s)", marks, forwarded.RequestID)
	}
	m := New(d, Options{SystemID: w.Def.ID, Renderer: plain()})
	var tm tea.Model = m
	tm, _ = tm.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	tm, _ = tm.Update(loadedMsg{gen: 0, rows: rows})
	m = tm.(Model)
	m, _ = press(t, m, "/")
	m, _ = press(t, m, strings.Split("forwarded", "")...)
	if v := m.View(); len(m.view) != 1 || !strings.Contains(v, "Forwarded") {
		t.Fatalf("filtered on forwarded: %d rows\n%s", len(m.view), v)
	}
	// Without the filter, the forwarded row's message line says who approves it.
	m, _ = press(t, m, "enter", "esc")
	for i := 0; i < len(rows); i++ {
		if r, ok := m.selected(); ok && r.RequestID == forwarded.RequestID {
			break
		}
		m, _ = press(t, m, "down")
	}
	if v := m.View(); !strings.Contains(v, "Tilgangsstyrer, who approves it") {
		t.Fatalf("forwarded row selected:\n%s", v)
	}
}

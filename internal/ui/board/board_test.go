package board

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

var t0 = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func fakeRows(n int) []steps.BoardRow {
	rows := make([]steps.BoardRow, n)
	statuses := []string{altinn.StatusNew, altinn.StatusNew, altinn.StatusAccepted, altinn.StatusRejected}
	for i := range rows {
		org := fmt.Sprintf("3%08d", i)
		rows[i] = steps.BoardRow{RequestID: fmt.Sprintf("req-%05d", i), Org: org, Agent: i%5 == 0, Status: statuses[i%len(statuses)],
			Created: t0.Add(-time.Duration(i) * time.Minute), ExternalRef: "kunde-" + org,
			ConfirmURL: "https://am.ui.tt02.altinn.no/accessmanagement/ui/systemuser/request?id=req-" + fmt.Sprint(i)}
	}
	return rows
}

// fake records what the board asked for.
type fake struct {
	rows    []steps.BoardRow
	decided []string
	copied  []string
	loads   int
}

func (f *fake) deps() Deps {
	return Deps{
		Load: func(context.Context) ([]steps.BoardRow, error) { f.loads++; return f.rows, nil },
		Name: func(_ context.Context, org string) (string, error) { return "Firma " + org + " AS", nil },
		Decide: func(_ context.Context, u string, approve bool) error {
			f.decided = append(f.decided, fmt.Sprint(approve, " ", u))
			return nil
		},
		Recreate: func(_ context.Context, r steps.BoardRow) (*steps.RequestResult, error) {
			return &steps.RequestResult{Request: &altinn.Request{ID: "new-" + r.RequestID}, Created: true}, nil
		},
		Copy: func(s string) error { f.copied = append(f.copied, s); return nil },
		Open: func(string) error { return errors.New("no browser here") },
		Now:  func() time.Time { return t0 },
	}
}

func plain() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// loaded returns a board at w×h that has loaded f's rows.
func loaded(t testing.TB, f *fake, w, h int) Model {
	m := New(f.deps(), Options{SystemID: "974761076_demo", Renderer: plain()})
	var tm tea.Model = m
	tm, _ = tm.Update(tea.WindowSizeMsg{Width: w, Height: h})
	rows, err := f.deps().Load(context.Background())
	tm, _ = tm.Update(loadedMsg{gen: 0, rows: rows, err: err})
	return tm.(Model)
}

func press(t testing.TB, m Model, keys ...string) (Model, []tea.Msg) {
	t.Helper()
	var msgs []tea.Msg
	for _, k := range keys {
		tm, cmd := m.Update(uitest.Press(k))
		m = tm.(Model)
		msgs = append(msgs, run(cmd)...)
	}
	return m, msgs
}

// run executes a command (and batches) except ticks, returning the messages.
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		if b, ok := msg.(tea.BatchMsg); ok {
			var out []tea.Msg
			for _, c := range b {
				out = append(out, run(c)...)
			}
			return out
		}
		return []tea.Msg{msg}
	case <-time.After(200 * time.Millisecond):
		return nil // a tick: not run
	}
}

func feed(m Model, msgs []tea.Msg) Model {
	for _, msg := range msgs {
		if _, ok := msg.(pollMsg); ok {
			continue
		}
		tm, _ := m.Update(msg)
		m = tm.(Model)
	}
	return m
}

func TestBoardCountsFilterSortAndRowActions(t *testing.T) {
	t.Parallel()
	f := &fake{rows: fakeRows(200)}
	m := loaded(t, f, 80, 24)
	v := m.View()
	if lines := strings.Split(v, "\n"); len(lines) != 24 {
		t.Fatalf("%d lines at 80x24:\n%s", len(lines), v)
	}
	for _, want := range []string{"Customers of 974761076_demo", "New 100", "Accepted 50", "Rejected 50", "200 rows", "300000000", "/ filter"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	for _, l := range strings.Split(v, "\n") {
		if lipgloss.Width(l) > 80 {
			t.Errorf("line wider than 80: %q", l)
		}
	}
	// Filter: typing narrows the rows live; enter keeps the filter.
	m, _ = press(t, m, "/", "3", "0", "0", "0", "0", "0", "0", "1", "enter")
	if v = m.View(); !strings.Contains(v, "10 of 200 rows") || strings.Contains(v, "300000002 ") {
		t.Fatalf("filter:\n%s", v)
	}
	m, _ = press(t, m, "esc")
	if v = m.View(); !strings.Contains(v, "· 200 rows") {
		t.Fatalf("esc did not clear:\n%s", v)
	}
	// Sort by age (oldest first), then reverse; the cursor stays on the same customer.
	m, _ = press(t, m, "s", "s", "s", "s")
	if r, _ := m.selected(); !strings.Contains(m.View(), "by age ↑") || r.Org != "300000010" {
		t.Fatalf("age sort: cursor on %s\n%s", r.Org, m.View())
	}
	m.tbl.SetCursor(0)
	if r, _ := m.selected(); r.Org != "300000199" {
		t.Fatalf("age ↑: first row %s", r.Org)
	}
	m, _ = press(t, m, "S")
	if r, _ := m.selected(); r.Org != "300000199" || !strings.Contains(m.View(), "by age ↓") {
		t.Fatalf("reverse moved the cursor to %s", r.Org)
	}
	m.tbl.SetCursor(0)
	if r, _ := m.selected(); r.Org != "300000000" {
		t.Fatalf("age ↓: first row %s", r.Org)
	}
	// Approve a New row as the customer: the board calls Decide and reloads.
	m.tbl.SetCursor(1) // 300000001: New
	row, _ := m.selected()
	m, msgs := press(t, m, "a")
	if len(f.decided) != 1 || f.decided[0] != "true "+row.ConfirmURL {
		t.Fatalf("decided %v", f.decided)
	}
	m = feed(m, msgs)
	if !strings.Contains(m.View(), "approved the request") {
		t.Fatalf("no confirmation:\n%s", m.View())
	}
	// Copy goes to the clipboard; open without a browser says what to do instead.
	m, _ = press(t, m, "c")
	if len(f.copied) != 1 || f.copied[0] != row.ConfirmURL {
		t.Fatalf("copied %v", f.copied)
	}
	m, _ = press(t, m, "o")
	if !strings.Contains(m.View(), "copy the link with c") {
		t.Fatalf("open failure not explained:\n%s", m.View())
	}
	// Resend only works on rejected rows, and asks first.
	m, _ = press(t, m, "r")
	if !strings.Contains(m.View(), "Only a rejected or timed-out request") {
		t.Fatalf("resend of a New row:\n%s", m.View())
	}
	m.tbl.SetCursor(3) // 300000003: Rejected
	m, _ = press(t, m, "r")
	if !strings.Contains(m.View(), "Delete the rejected request of 300000003") {
		t.Fatalf("no confirmation question:\n%s", m.View())
	}
	m, msgs = press(t, m, "y")
	m = feed(m, msgs)
	if !strings.Contains(m.View(), "new-req-00003") {
		t.Fatalf("resend:\n%s", m.View())
	}
	// The QR of a row: at 80x24 there is no room, and the board says so.
	m, _ = press(t, m, "enter")
	if v = m.View(); !strings.Contains(v, "needs a larger window") {
		t.Fatalf("QR at 80x24:\n%s", v)
	}
	m, _ = press(t, m, "esc")
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	m = tm.(Model)
	m, _ = press(t, m, "enter")
	if v = m.View(); strings.Count(v, "█") < 100 || !strings.Contains(v, "req-3") {
		t.Fatalf("QR at 200x50:\n%s", v)
	}
}

func TestBoardNamesOnlyForVisibleRows(t *testing.T) {
	t.Parallel()
	f := &fake{rows: fakeRows(5000)}
	var asked atomic.Int32
	d := f.deps()
	d.Name = func(_ context.Context, org string) (string, error) { asked.Add(1); return "Firma " + org, nil }
	m := New(d, Options{SystemID: "x", Renderer: plain()})
	var tm tea.Model = m
	tm, _ = tm.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	tm, cmd := tm.Update(loadedMsg{rows: f.rows})
	msgs := run(cmd)
	m = feed(tm.(Model), msgs)
	if n := asked.Load(); n == 0 || n > 60 {
		t.Fatalf("%d name lookups for 5,000 rows", n)
	}
	if !strings.Contains(m.View(), "Firma 300000000") {
		t.Fatalf("names not shown:\n%s", m.View())
	}
}

func TestBoardPollsWithBackoff(t *testing.T) {
	t.Parallel()
	f := &fake{rows: fakeRows(10)}
	m := loaded(t, f, 80, 24)
	first := m.wait
	// Unchanged lists slow the polling down; a change brings it back to the first interval.
	for range 3 {
		tm, _ := m.Update(loadedMsg{gen: m.gen, rows: f.rows})
		m = tm.(Model)
	}
	if m.wait <= first {
		t.Fatalf("wait %s after unchanged polls, first %s", m.wait, first)
	}
	changed := append([]steps.BoardRow(nil), f.rows...)
	changed[3].Status = altinn.StatusAccepted
	tm, _ := m.Update(loadedMsg{gen: m.gen, rows: changed})
	if m = tm.(Model); m.wait != first || !strings.Contains(m.View(), "Accepted 3") {
		t.Fatalf("after a change: wait %s\n%s", m.wait, m.View())
	}
	// A stale answer (from before a manual refresh) is ignored.
	tm, _ = m.Update(loadedMsg{gen: m.gen - 1, rows: nil})
	if m = tm.(Model); len(m.all) != 10 {
		t.Fatal("a stale load replaced the rows")
	}
	// A failed refresh keeps the last list and says so.
	tm, _ = m.Update(loadedMsg{gen: m.gen, err: errors.New("AUTH-00000 boom")})
	if m = tm.(Model); len(m.all) != 10 || !strings.Contains(m.View(), "Refresh failed") {
		t.Fatalf("failed refresh:\n%s", m.View())
	}
}

func BenchmarkBoardView5000(b *testing.B) {
	f := &fake{rows: fakeRows(5000)}
	m := loaded(b, f, 200, 50)
	m, _ = press(b, m, "down", "down", "down")
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

func BenchmarkBoardMoveAndView5000(b *testing.B) {
	f := &fake{rows: fakeRows(5000)}
	m := loaded(b, f, 200, 50)
	down := tea.KeyMsg{Type: tea.KeyDown}
	b.ResetTimer()
	for b.Loop() {
		tm, _ := m.Update(down)
		m = tm.(Model)
		_ = m.View()
	}
}

func TestBoardKeysTypedAheadArriveTogether(t *testing.T) {
	t.Parallel()
	f := &fake{rows: fakeRows(50)}
	m := loaded(t, f, 80, 24)
	// A loaded terminal delivers "/" and the number typed after it as one message.
	tm, _ := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/300000042")})
	m = tm.(Model)
	if !m.filtering || m.filter.Value() != "300000042" || !strings.Contains(m.View(), "1 of 50 rows") {
		t.Fatalf("filtering %v %q\n%s", m.filtering, m.filter.Value(), m.View())
	}
	m, _ = press(t, m, "enter")
	tm, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("sss")})
	if m = tm.(Model); m.sortCol != colStatus {
		t.Fatalf("three s pressed together sort by column %d", m.sortCol)
	}
}

func TestBoardEscThenKeyReadAsAlt(t *testing.T) {
	t.Parallel()
	f := &fake{rows: fakeRows(50)}
	m := loaded(t, f, 80, 24)
	m, _ = press(t, m, "/", "4", "2", "enter")
	// Esc (clear the filter) and s (sort) read together as Alt+s.
	tm, _ := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s"), Alt: true})
	if m = tm.(Model); m.filter.Value() != "" || m.sortCol != colName {
		t.Fatalf("filter %q, sort %d", m.filter.Value(), m.sortCol)
	}
}

func TestBoardEmptyAndFailedFirstLoad(t *testing.T) {
	t.Parallel()
	f := &fake{}
	m := loaded(t, f, 80, 24)
	if v := m.View(); !strings.Contains(v, "No requests yet") || !strings.Contains(v, "request bulk") || len(strings.Split(v, "\n")) != 24 {
		t.Fatalf("empty board:\n%s", v)
	}
	m = New(f.deps(), Options{SystemID: "x", Renderer: plain()})
	tm, _ := m.Update(loadedMsg{err: errors.New("read request list: HTTP 503")})
	v := tm.(Model).View()
	if !strings.Contains(v, "Could not load the board") || !strings.Contains(v, "503") || !strings.Contains(v, "R tries now") {
		t.Fatalf("failed first load:\n%s", v)
	}
	// The footer shows approve and reject only where they work: in the sandbox.
	d := f.deps()
	d.Decide = nil
	if v := New(d, Options{SystemID: "x", Renderer: plain()}).View(); strings.Contains(v, "approve") {
		t.Fatalf("approve offered outside the sandbox:\n%s", v)
	}
}

func TestBoardPollsNoFasterThanItLoads(t *testing.T) {
	t.Parallel()
	f := &fake{rows: fakeRows(10)}
	m := loaded(t, f, 80, 24)
	changed := append([]steps.BoardRow(nil), f.rows...)
	changed[1].Status = altinn.StatusRejected
	tm, _ := m.Update(loadedMsg{gen: m.gen, rows: changed, took: 5 * time.Second})
	if m = tm.(Model); m.wait != 20*time.Second {
		t.Fatalf("a 5 s load is followed by a %s wait", m.wait)
	}
}

// TestHeaderCountsWhileIdle: "updated … ago · next in …" is the time since the last load and
// until the next, redrawn every second by the clock; it used to stay as drawn at the load
// ("updated 0s ago · next in 3s") until the next one.
func TestHeaderCountsWhileIdle(t *testing.T) {
	t.Parallel()
	f := &fake{rows: fakeRows(10)}
	now := t0
	d := f.deps()
	d.Now = func() time.Time { return now }
	var tm tea.Model = New(d, Options{SystemID: "974761076_demo", Renderer: plain()})
	tm, _ = tm.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	tm, _ = tm.Update(loadedMsg{rows: f.rows})
	if v := tm.View(); !strings.Contains(v, "updated 0s ago · next in 3s") {
		t.Fatalf("just loaded:\n%s", v)
	}
	now = now.Add(2 * time.Second)
	tm, cmd := tm.Update(clockMsg{})
	if v := tm.View(); !strings.Contains(v, "updated 2s ago · next in 1s") {
		t.Errorf("two seconds on:\n%s", v)
	}
	if cmd == nil {
		t.Error("the clock stopped after one tick")
	}
	now = now.Add(5 * time.Second) // the load is late: never a negative wait
	if v := tm.View(); !strings.Contains(v, "updated 7s ago · next in 0s") {
		t.Errorf("overdue:\n%s", v)
	}
}

// On the help and QR screens q goes back, as they say any key does (it quit the board); the
// resend question takes j (ja) as well as y.
func TestBoardOverlaysGoBackOnQAndJConfirms(t *testing.T) {
	t.Parallel()
	f := &fake{rows: fakeRows(20)}
	m := loaded(t, f, 100, 40)
	m, msgs := press(t, m, "?", "q")
	for _, msg := range msgs {
		if _, quit := msg.(tea.QuitMsg); quit {
			t.Fatal("q on the help screen quit the board")
		}
	}
	if m.overlay != overlayNone {
		t.Fatalf("q did not close the help:\n%s", m.View())
	}
	m.tbl.SetCursor(3) // 300000003: Rejected
	m, _ = press(t, m, "r")
	m, msgs = press(t, m, "j")
	m = feed(m, msgs)
	if !strings.Contains(m.View(), "new-req-00003") {
		t.Fatalf("j did not confirm the resend:\n%s", m.View())
	}
}

// A confirmUrl as Altinn and the sandbox write it is longer than 80 columns. The message line
// cuts it visibly, and the QR view, which a support person reads it from when the code does not
// fit, shows all of it over as many lines as it takes.
func TestBoardLongConfirmURLIsWholeInTheQRView(t *testing.T) {
	long := "http://127.0.0.1:35199/altinn-ui/accessmanagement/ui/systemuser/request?id=f12c88fe-384a-4c47-8a2e-155d587e6ef9&DONTCHOOSEREPORTEE=true"
	rows := fakeRows(3)
	rows[0].ConfirmURL = long
	rows[1].ConfirmURL, rows[1].Escalated = long, true
	m := loaded(t, &fake{rows: rows}, 80, 24)
	for i, prefix := range []string{long[:40], long[:16]} {
		m.tbl.SetCursor(i)
		v := m.View()
		if strings.Contains(v, long) || !strings.Contains(v, prefix) {
			t.Fatalf("row %d: the message line should show the URL's start:\n%s", i, v)
		}
		for _, l := range strings.Split(v, "\n") {
			if w := ansi.StringWidth(l); w > 80 {
				t.Fatalf("row %d: a line of %d columns: %q", i, w, l)
			}
			if strings.Contains(l, prefix) && !strings.HasSuffix(strings.TrimRight(l, " "), "…") {
				t.Fatalf("row %d: the URL is cut without …: %q", i, l)
			}
		}
	}
	m.tbl.SetCursor(0)
	for _, size := range [][2]int{{80, 24}, {60, 20}, {200, 60}} {
		tm, _ := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m = tm.(Model)
		m, _ = press(t, m, "enter")
		v := m.View()
		if !strings.Contains(strings.ReplaceAll(v, "\n", ""), long) {
			t.Fatalf("%dx%d: the QR view lacks the whole URL:\n%s", size[0], size[1], v)
		}
		if n := strings.Count(v, "\n") + 1; n > size[1] {
			t.Fatalf("%dx%d: the QR view has %d lines", size[0], size[1], n)
		}
		m, _ = press(t, m, "esc")
	}
}

// A filter with letters and the sort by name see every row's name, not only those of the rows
// shown so far: the board looks them all up, 60 at a time, and says how many it has meanwhile.
func TestBoardFilterAndSortByNameLookUpEveryName(t *testing.T) {
	f := &fake{rows: fakeRows(500)}
	target := f.rows[437].Org // far below the first screen
	d := f.deps()
	asked := map[string]int{}
	var mu sync.Mutex
	d.Name = func(_ context.Context, org string) (string, error) {
		mu.Lock() // lookups run four at a time
		asked[org]++
		mu.Unlock()
		if org == target {
			return "Spesiell Tiger AS", nil
		}
		return "Firma " + org + " AS", nil
	}
	m := New(d, Options{SystemID: "974761076_demo", Renderer: plain()})
	// settle applies the messages and those their commands bring, until none are left.
	settle := func(msgs ...tea.Msg) {
		for i := 0; len(msgs) > 0 && i < 200; i++ {
			msg := msgs[0]
			msgs = msgs[1:]
			if _, ok := msg.(pollMsg); ok {
				continue
			}
			tm, cmd := m.Update(msg)
			m = tm.(Model)
			msgs = append(msgs, run(cmd)...)
		}
	}
	settle(tea.WindowSizeMsg{Width: 100, Height: 30}, loadedMsg{gen: 0, rows: f.rows})
	if len(asked) > 60 {
		t.Fatalf("%d names looked up for the first screen", len(asked))
	}
	m, msgs := press(t, m, "/", "t")
	if v := m.View(); !strings.Contains(v, "names looked up") {
		t.Fatalf("no count of the names while they come:\n%s", v)
	}
	settle(msgs...)
	m, msgs = press(t, m, "i", "g", "e", "r")
	settle(msgs...)
	v := m.View()
	if !strings.Contains(v, target) || !strings.Contains(v, "Spesiell Tiger AS") || !strings.Contains(v, "1 of 500") {
		t.Fatalf("the filter did not find %s by its name:\n%s", target, v)
	}
	if strings.Contains(v, "names looked up") {
		t.Fatalf("every name is known, yet the count shows:\n%s", v)
	}
	for org, n := range asked {
		if n != 1 {
			t.Fatalf("%s looked up %d times", org, n)
		}
	}
	if len(asked) != 500 {
		t.Fatalf("%d of 500 names looked up", len(asked))
	}
}

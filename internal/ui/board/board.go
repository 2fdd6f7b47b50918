// Package board is the status board: a full-screen table of one system's customer requests
// and system users, polled with backoff, with per-row actions (QR, copy, open, recreate, and
// in the sandbox approve or reject as the customer). It stays smooth with thousands of rows:
// the table renders only the visible window, and names are looked up only for rows on screen.
package board

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/ui/qr"
)

// Deps are the board's calls to the outside world; SessionDeps binds them to a session.
type Deps struct {
	Load func(ctx context.Context) ([]steps.BoardRow, error)
	Name func(ctx context.Context, org string) (string, error)
	// Decide approves or rejects as the customer; nil outside the sandbox.
	Decide   func(ctx context.Context, confirmURL string, approve bool) error
	Recreate func(ctx context.Context, r steps.BoardRow) (*steps.RequestResult, error)
	Copy     func(text string) error
	Open     func(url string) error
	Now      func() time.Time
}

// SessionDeps binds the board to a session and system; copy and open are the caller's.
func SessionDeps(s *steps.Session, systemID string, copyFn, openFn func(string) error) Deps {
	d := Deps{
		Load: func(ctx context.Context) ([]steps.BoardRow, error) { return steps.LoadBoard(ctx, s, systemID) },
		Name: func(ctx context.Context, org string) (string, error) { return steps.OrgName(ctx, s, org) },
		Recreate: func(ctx context.Context, r steps.BoardRow) (*steps.RequestResult, error) {
			return steps.RecreateBoardRow(ctx, s, systemID, r)
		},
		Copy: copyFn, Open: openFn, Now: s.Now,
	}
	if s.Env.IsSandbox() {
		d.Decide = func(ctx context.Context, u string, approve bool) error {
			return steps.SandboxDecide(ctx, s, u, approve)
		}
	}
	return d
}

// Options describe the board.
type Options struct {
	SystemID string
	EnvName  string
	Renderer *lipgloss.Renderer
	QR       qr.Mode
	Poll     steps.PollBackoff
	// Base is the context calls run under (the program's).
	Base context.Context
	// CallTimeout bounds each call (a load of thousands of rows takes a while).
	CallTimeout time.Duration
	// Text is the catalogue the board speaks from (cli.App's printer); nil is English.
	Text *i18n.Printer
}

// Columns, in order; the sort cycles through them.
const (
	colOrg = iota
	colName
	colType
	colStatus
	colAge
	colRef
	numCols
)

// colIDs are the columns' headings in the catalogue.
var colIDs = [numCols]string{"board.col.org", "board.col.name", "board.col.type", "board.col.status", "board.col.age", "board.col.ref"}

// colTitle is column c's heading in the board's language.
func (m Model) colTitle(c int) string { return m.p.T(colIDs[c]) }

type overlay int

const (
	overlayNone overlay = iota
	overlayQR
	overlayConfirm
	overlayHelp
)

// Model is the board.
type Model struct {
	d    Deps
	o    Options
	p    *i18n.Printer
	st   styles
	keys keyMap
	help help.Model

	all   []steps.BoardRow
	names map[string]string
	asked map[string]bool
	orgs  int   // distinct organisations in all
	view  []int // indices into all, filtered and sorted
	tbl   table.Model

	filter    textinput.Model
	filtering bool
	sortCol   int
	desc      bool

	counts   map[string]int
	w, h     int
	loaded   bool
	loading  bool
	err      error
	lastLoad time.Time
	wait     time.Duration
	nextAt   time.Time // when the next load is due
	gen      int
	busy     string
	flash    string
	flashErr bool

	overlay overlay
	subject steps.BoardRow // the row an overlay is about
}

// New returns a board; Init loads the rows.
func New(d Deps, o Options) Model {
	if o.Renderer == nil {
		o.Renderer = lipgloss.DefaultRenderer()
	}
	if o.Poll.First == 0 {
		o.Poll = steps.PollBackoff{First: 3 * time.Second, Max: 60 * time.Second}
	}
	if o.Base == nil {
		o.Base = context.Background()
	}
	if o.CallTimeout == 0 {
		o.CallTimeout = 2 * time.Minute
	}
	if o.QR == "" {
		o.QR = qr.Auto
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if o.Text == nil {
		o.Text = i18n.English()
	}
	st := newStyles(o.Renderer)
	ti := textinput.New()
	ti.Prompt = "/"
	ti.Placeholder = o.Text.T("board.filter_placeholder")
	ti.CharLimit = 100
	m := Model{d: d, o: o, p: o.Text, st: st, keys: newKeys(o.Text, d.Decide != nil), help: help.New(), names: map[string]string{}, asked: map[string]bool{},
		filter: ti, counts: map[string]int{}, w: 80, h: 24, loading: true} // Init starts the first load
	m.tbl = table.New(table.WithFocused(true), table.WithStyles(st.table))
	m.layout()
	return m
}

// Init starts the first load.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.load(m.gen), clock())
}

// Messages, each the result of one command.
type (
	loadedMsg struct {
		gen  int
		rows []steps.BoardRow
		err  error
		took time.Duration
	}
	pollMsg   struct{ gen int }
	clockMsg  struct{}
	namesMsg  struct{ names map[string]string }
	actionMsg struct {
		text   string
		err    error
		reload bool
	}
)

func (m Model) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(m.o.Base, m.o.CallTimeout)
}

func (m Model) load(gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		start := m.d.Now()
		rows, err := m.d.Load(ctx)
		return loadedMsg{gen: gen, rows: rows, err: err, took: m.d.Now().Sub(start)}
	}
}

// lookupNames asks the register for the names of the rows around the cursor not asked yet;
// while a filter or the sort needs every name (allNames), for those of all rows, 60 at a time,
// each batch's answer asking for the next.
func (m *Model) lookupNames() tea.Cmd {
	if m.d.Name == nil || len(m.all) == 0 { // a filter can show no row while names are missing
		return nil
	}
	var orgs []string
	ask := func(org string) {
		if !m.asked[org] {
			m.asked[org] = true
			orgs = append(orgs, org)
		}
	}
	c := m.tbl.Cursor()
	for i := max(0, c-m.tbl.Height()); i < min(len(m.view), c+2*m.tbl.Height()) && len(orgs) < 60; i++ {
		ask(m.all[m.view[i]].Org)
	}
	if m.allNames() {
		for i := 0; i < len(m.all) && len(orgs) < 60; i++ {
			ask(m.all[i].Org)
		}
	}
	if len(orgs) == 0 {
		return nil
	}
	name := m.d.Name
	base := m.o.Base
	return func() tea.Msg {
		out := make(map[string]string, len(orgs))
		var mu sync.Mutex
		var wg sync.WaitGroup
		sem := make(chan struct{}, 4)
		for _, org := range orgs {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				ctx, cancel := context.WithTimeout(base, steps.OrgLookupTimeout)
				defer cancel()
				n, err := name(ctx, org)
				if err != nil {
					n = "–"
				}
				mu.Lock()
				out[org] = n
				mu.Unlock()
			}()
		}
		wg.Wait()
		return namesMsg{names: out}
	}
}

func (m *Model) tick() tea.Cmd {
	gen := m.gen
	m.nextAt = m.d.Now().Add(m.wait)
	return tea.Tick(m.wait, func(time.Time) tea.Msg { return pollMsg{gen: gen} })
}

// clock redraws the board every second, so "updated … ago · next in …" counts while nothing
// else happens.
func clock() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockMsg{} })
}

// Update handles keys, window sizes and call results.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.layout()
		m.fillTable()
		return m, m.lookupNames()
	case loadedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.loading = false
		if msg.err != nil {
			m.err = msg.err
			m.wait = m.o.Poll.Next(m.wait)
			next := m.tick() // before m is returned: tick records when the load is due
			return m, next
		}
		changed := !m.loaded || statusSignature(m.all) != statusSignature(msg.rows)
		keep, had := m.selected()
		m.err, m.loaded, m.lastLoad = nil, true, m.d.Now()
		m.all = msg.rows
		m.counts = countStatuses(m.all)
		m.orgs = distinctOrgs(m.all)
		m.rebuildKeeping(keep, had)
		if changed {
			m.wait = m.o.Poll.First
		} else {
			m.wait = m.o.Poll.Next(m.wait)
		}
		// A list of thousands takes hundreds of calls: wait at least four times as long as the
		// load took, so the board never spends more than a fifth of its time loading.
		m.wait = max(m.wait, min(4*msg.took, m.o.Poll.Max))
		next := tea.Batch(m.tick(), m.lookupNames())
		return m, next
	case clockMsg:
		return m, clock()
	case pollMsg:
		if msg.gen != m.gen || m.loading {
			return m, nil
		}
		m.loading = true
		return m, m.load(m.gen)
	case namesMsg:
		for k, v := range msg.names {
			m.names[k] = termsafe.Truncate(termsafe.Line(v), 60)
		}
		if m.allNames() { // the new names can change what the filter lets through, and the order
			m.rebuild()
			return m, m.lookupNames()
		}
		m.fillTable()
		return m, nil
	case actionMsg:
		m.busy = ""
		m.flash, m.flashErr = msg.text, msg.err != nil
		if msg.err != nil {
			m.flash = msg.text + ": " + termsafe.Line(msg.err.Error())
		}
		if msg.reload {
			return m.refresh()
		}
		return m, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && msg.Alt && !msg.Paste {
			// Esc and a key typed right after it arrive as Alt+key; the board has no Alt keys.
			next, cmd := m.key(tea.KeyMsg{Type: tea.KeyEsc})
			after, cmd2 := next.(Model).Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: msg.Runes})
			return after, tea.Batch(cmd, cmd2)
		}
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !m.filtering {
			return m.keys1by1(msg.Runes)
		}
		return m.key(msg)
	}
	return m, nil
}

// keys1by1 handles typed-ahead keys one at a time: a busy terminal delivers "/", "3", "1" …
// as one message with several runes, which would otherwise match no key. Once a key opens
// the filter, the rest is typed into it.
func (m Model) keys1by1(runes []rune) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	var cur tea.Model = m
	for i, r := range runes {
		mm := cur.(Model)
		var cmd tea.Cmd
		if mm.filtering {
			cur, cmd = mm.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: runes[i:]})
			cmds = append(cmds, cmd)
			break
		}
		cur, cmd = mm.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		cmds = append(cmds, cmd)
	}
	return cur, tea.Batch(cmds...)
}

func (m Model) refresh() (tea.Model, tea.Cmd) {
	m.gen++
	m.loading = true
	m.wait = m.o.Poll.First
	return m, m.load(m.gen)
}

func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.ForceQuit) {
		return m, tea.Quit
	}
	switch m.overlay {
	case overlayQR, overlayHelp:
		// Any key but c and o goes back, q too, as the overlay says (ctrl+c quits).
		switch {
		case m.overlay == overlayQR && key.Matches(msg, m.keys.Copy):
			return m.copyURL(m.subject)
		case m.overlay == overlayQR && key.Matches(msg, m.keys.Open):
			return m.openURL(m.subject)
		}
		m.overlay = overlayNone // any other key closes it
		return m, nil
	case overlayConfirm:
		m.overlay = overlayNone
		if k := msg.String(); k == "y" || k == "j" { // j: ja, as a Norwegian answers
			return m.recreate(m.subject)
		}
		m.flash, m.flashErr = m.p.T("board.nothing_deleted"), false
		return m, nil
	}
	if m.filtering {
		switch msg.Type {
		case tea.KeyEnter:
			m.filtering = false
			m.filter.Blur()
			return m, m.lookupNames()
		case tea.KeyEsc:
			m.filtering = false
			m.filter.Blur()
			m.filter.SetValue("")
			m.rebuild()
			return m, m.lookupNames()
		}
		var cmd tea.Cmd
		before := m.filter.Value()
		m.filter, cmd = m.filter.Update(msg)
		if m.filter.Value() != before {
			m.rebuild()
			cmd = tea.Batch(cmd, m.lookupNames())
		}
		return m, cmd
	}
	row, hasRow := m.selected()
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(msg, m.keys.Help):
		m.overlay = overlayHelp
		return m, nil
	case key.Matches(msg, m.keys.Filter):
		m.filtering = true
		m.flash = ""
		return m, m.filter.Focus()
	case key.Matches(msg, m.keys.ClearFilter) && m.filter.Value() != "":
		m.filter.SetValue("")
		m.rebuild()
		return m, m.lookupNames()
	case key.Matches(msg, m.keys.Sort):
		m.sortCol = (m.sortCol + 1) % numCols
		m.rebuild()
		return m, m.lookupNames()
	case key.Matches(msg, m.keys.Reverse):
		m.desc = !m.desc
		m.rebuild()
		return m, m.lookupNames()
	case key.Matches(msg, m.keys.Refresh):
		m.flash = ""
		return m.refresh()
	case key.Matches(msg, m.keys.QR) && hasRow:
		if row.ConfirmURL == "" {
			m.flash, m.flashErr = m.p.T("board.no_confirm_url"), true
			return m, nil
		}
		m.overlay, m.subject = overlayQR, row
		return m, nil
	case key.Matches(msg, m.keys.Copy) && hasRow:
		return m.copyURL(row)
	case key.Matches(msg, m.keys.Open) && hasRow:
		return m.openURL(row)
	case key.Matches(msg, m.keys.Recreate) && hasRow:
		if !row.Recreatable() {
			m.flash, m.flashErr = m.p.T("board.only_recreatable", "Status", row.Status), true
			return m, nil
		}
		m.overlay, m.subject = overlayConfirm, row
		return m, nil
	case (key.Matches(msg, m.keys.Approve) || key.Matches(msg, m.keys.Reject)) && hasRow && m.d.Decide != nil:
		return m.decide(row, key.Matches(msg, m.keys.Approve))
	}
	before := m.tbl.Cursor()
	var cmd tea.Cmd
	m.tbl, cmd = m.tbl.Update(msg)
	if m.tbl.Cursor() != before {
		m.flash = ""
		return m, tea.Batch(cmd, m.lookupNames())
	}
	return m, cmd
}

func (m Model) copyURL(r steps.BoardRow) (tea.Model, tea.Cmd) {
	if r.ConfirmURL == "" || m.d.Copy == nil {
		m.flash, m.flashErr = m.p.T("board.nothing_to_copy"), true
		return m, nil
	}
	if err := m.d.Copy(r.ConfirmURL); err != nil {
		m.flash, m.flashErr = m.p.T("board.copy_failed", "Err", err.Error()), true
		return m, nil
	}
	m.flash, m.flashErr = m.p.T("board.copied", "Org", r.Org), false
	return m, nil
}

func (m Model) openURL(r steps.BoardRow) (tea.Model, tea.Cmd) {
	if r.ConfirmURL == "" || m.d.Open == nil {
		m.flash, m.flashErr = m.p.T("board.nothing_to_open"), true
		return m, nil
	}
	if err := m.d.Open(r.ConfirmURL); err != nil {
		m.flash, m.flashErr = m.p.T("board.open_failed", "Err", err.Error()), true
		return m, nil
	}
	m.flash, m.flashErr = m.p.T("board.opened", "Org", r.Org), false
	return m, nil
}

func (m Model) decide(r steps.BoardRow, approve bool) (tea.Model, tea.Cmd) {
	if r.Status != altinn.StatusNew || r.ConfirmURL == "" {
		m.flash, m.flashErr = m.p.T("board.only_new", "Status", r.Status), true
		return m, nil
	}
	busy, done := "board.approving", "board.approved"
	if !approve {
		busy, done = "board.rejecting", "board.rejected"
	}
	m.busy = m.p.T(busy, "Org", r.Org)
	decide, p := m.d.Decide, m.p
	return m, func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		if err := decide(ctx, r.ConfirmURL, approve); err != nil {
			return actionMsg{text: p.T("board.decide_failed", "Org", r.Org), err: err}
		}
		return actionMsg{text: p.T(done, "Org", r.Org), reload: true}
	}
}

func (m Model) recreate(r steps.BoardRow) (tea.Model, tea.Cmd) {
	m.busy = m.p.T("board.recreating", "Org", r.Org)
	rec, p := m.d.Recreate, m.p
	return m, func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		res, err := rec(ctx, r)
		if err != nil {
			return actionMsg{text: p.T("board.recreate_failed", "Org", r.Org), err: err, reload: true}
		}
		return actionMsg{text: p.T("board.recreated", "Org", r.Org, "ID", res.Request.ID), reload: true}
	}
}

// selected is the row under the cursor.
func (m Model) selected() (steps.BoardRow, bool) {
	c := m.tbl.Cursor()
	if c < 0 || c >= len(m.view) {
		return steps.BoardRow{}, false
	}
	return m.all[m.view[c]], true
}

// statusSignature changes when any row's status or the set of rows changes.
func statusSignature(rows []steps.BoardRow) string {
	var b strings.Builder
	b.Grow(len(rows) * 40)
	for _, r := range rows {
		b.WriteString(r.RequestID)
		b.WriteString(r.Status)
	}
	return b.String()
}

func countStatuses(rows []steps.BoardRow) map[string]int {
	c := map[string]int{}
	for _, r := range rows {
		c[r.Status]++
	}
	return c
}

// rebuild recomputes the filtered, sorted view and the table's rows, keeping the cursor on
// the same request when it is still shown.
func (m *Model) rebuild() {
	keep, had := m.selected()
	m.rebuildKeeping(keep, had)
}

func (m *Model) rebuildKeeping(keep steps.BoardRow, hadRow bool) {
	q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	m.view = make([]int, 0, len(m.all))
	for i, r := range m.all {
		if q == "" || m.matches(r, q) {
			m.view = append(m.view, i)
		}
	}
	less := m.lessFunc()
	sort.SliceStable(m.view, func(a, b int) bool {
		ra, rb := m.all[m.view[a]], m.all[m.view[b]]
		if m.desc {
			return less(rb, ra)
		}
		return less(ra, rb)
	})
	m.fillTable()
	cursor := 0
	if hadRow {
		for i, idx := range m.view {
			if r := m.all[idx]; r.RequestID == keep.RequestID && r.Org == keep.Org && r.ExternalRef == keep.ExternalRef {
				cursor = i
				break
			}
		}
	}
	m.tbl.SetCursor(cursor)
}

// allNames reports whether every row's name is needed: to sort by name, or for a filter with
// letters in it (it may be part of a name). Other rows' names are asked only when shown.
func (m *Model) allNames() bool {
	return m.sortCol == colName || strings.IndexFunc(m.filter.Value(), unicode.IsLetter) >= 0
}

func distinctOrgs(rows []steps.BoardRow) int {
	seen := make(map[string]struct{}, len(rows))
	for _, r := range rows {
		seen[r.Org] = struct{}{}
	}
	return len(seen)
}

func (m *Model) matches(r steps.BoardRow, q string) bool {
	for _, f := range []string{r.Org, r.Status, m.statusCell(r), r.ExternalRef, r.Type(), m.names[r.Org]} {
		if strings.Contains(strings.ToLower(f), q) {
			return true
		}
	}
	return false
}

func (m *Model) lessFunc() func(a, b steps.BoardRow) bool {
	tie := func(a, b steps.BoardRow) bool {
		if a.Org != b.Org {
			return a.Org < b.Org
		}
		return a.ExternalRef < b.ExternalRef
	}
	switch m.sortCol {
	case colName:
		return func(a, b steps.BoardRow) bool {
			if na, nb := m.names[a.Org], m.names[b.Org]; na != nb {
				return na < nb
			}
			return tie(a, b)
		}
	case colType:
		return func(a, b steps.BoardRow) bool {
			if a.Agent != b.Agent {
				return !a.Agent
			}
			return tie(a, b)
		}
	case colStatus:
		return func(a, b steps.BoardRow) bool {
			if a.Status != b.Status {
				return a.Status < b.Status
			}
			return tie(a, b)
		}
	case colAge: // oldest first
		return func(a, b steps.BoardRow) bool {
			if !a.Created.Equal(b.Created) {
				return a.Created.Before(b.Created)
			}
			return tie(a, b)
		}
	case colRef:
		return func(a, b steps.BoardRow) bool {
			if a.ExternalRef != b.ExternalRef {
				return a.ExternalRef < b.ExternalRef
			}
			return tie(a, b)
		}
	}
	return tie
}

// fillTable gives the table the view's rows as text (the table renders only the visible ones).
func (m *Model) fillTable() {
	now := m.d.Now()
	rows := make([]table.Row, len(m.view))
	for i, idx := range m.view {
		r := m.all[idx]
		name, ok := m.names[r.Org]
		if !ok {
			name = "…"
		}
		rows[i] = table.Row{r.Org, name, r.Type(), m.statusCell(r), m.age(now.Sub(r.Created)), r.ExternalRef}
	}
	m.tbl.SetRows(rows)
}

// age is a row's age in at most four cells: 5s, 3m, 2h (2t in nb and nn), 4d.
func (m Model) age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return m.p.T("board.age.s", "N", max(0, int(d.Seconds())))
	case d < time.Hour:
		return m.p.T("board.age.m", "N", int(d.Minutes()))
	case d < 48*time.Hour:
		return m.p.T("board.age.h", "N", int(d.Hours()))
	default:
		return m.p.T("board.age.d", "N", int(d.Hours()/24))
	}
}

// waitText says how long until the next load: Go's form in English ("1m0s", as always), the
// language's own otherwise ("1 min").
func (m Model) waitText() string {
	left := max(0, m.nextAt.Sub(m.d.Now())).Round(time.Second)
	if m.p.Lang() == i18n.EN {
		return left.String()
	}
	return m.p.Duration(left)
}

// layout sizes the columns and the table to the window: fixed columns for number, type,
// status and age; name and reference share the rest.
func (m *Model) layout() {
	const pad = 2 * numCols // the cell style's padding
	// The status column is as wide as the longest status ("Vidaresendt" in nn).
	status := max(9, lipgloss.Width(m.p.T("board.forwarded")))
	age := max(4, lipgloss.Width(m.colTitle(colAge)))
	fixed := 9 + 8 + status + age
	rest := max(m.w-fixed-pad, 16)
	name := rest * 3 / 5
	ref := rest - name
	m.tbl.SetColumns([]table.Column{{Title: m.colTitle(colOrg), Width: 9}, {Title: m.colTitle(colName), Width: name}, {Title: m.colTitle(colType), Width: 8},
		{Title: m.colTitle(colStatus), Width: status}, {Title: m.colTitle(colAge), Width: age}, {Title: m.colTitle(colRef), Width: ref}})
	m.tbl.SetWidth(m.w)
	// Title, counts, table header, message line, footer.
	m.tbl.SetHeight(max(m.h-4, 3))
	m.filter.Width = max(m.w-4, 10)
	m.help.Width = m.w
}

// statusCell is the row's status code, or for a New request the customer forwarded to their
// Tilgangsstyrer (still New, waiting for someone with the role) the word for forwarded.
func (m Model) statusCell(r steps.BoardRow) string {
	if r.Escalated {
		return m.p.T("board.forwarded")
	}
	return r.Status
}

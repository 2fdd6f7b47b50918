package board

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/ui/qr"
)

// statusOrder is how the counts line lists statuses; others follow alphabetically.
var statusOrder = []string{altinn.StatusNew, altinn.StatusAccepted, steps.StatusActive, altinn.StatusRejected, altinn.StatusDenied, altinn.StatusTimedout}

// View draws the board: title, counts, the table's visible window, a message line and keys.
func (m Model) View() string {
	switch m.overlay {
	case overlayQR:
		return m.qrView()
	case overlayHelp:
		return m.fit(m.st.title.Render(m.p.T("board.help.title")) + "\n\n" + m.help.FullHelpView(m.keys.FullHelp()) +
			"\n\n" + m.st.subtle.Width(m.w).Render(m.p.T("board.help.note")))
	}
	var b strings.Builder
	b.WriteString(m.titleLine())
	b.WriteByte('\n')
	b.WriteString(m.countsLine())
	b.WriteByte('\n')
	switch {
	case !m.loaded && m.err == nil:
		b.WriteString(m.fill(m.p.T("board.loading", "System", m.o.SystemID)))
	case !m.loaded:
		b.WriteString(m.fill(m.st.fail.Render(m.p.T("board.load_failed", "Err", termsafe.Line(m.err.Error()))) + "\n" +
			m.st.subtle.Render(m.p.T("board.retry_in", "Wait", m.waitText()))))
	case len(m.all) == 0:
		b.WriteString(m.fill(m.p.T("board.empty", "System", m.o.SystemID)))
	default:
		b.WriteString(m.fill(m.tbl.View()))
	}
	b.WriteByte('\n')
	b.WriteString(m.messageLine())
	b.WriteByte('\n')
	b.WriteString(m.help.ShortHelpView(m.keys.ShortHelp()))
	return b.String()
}

// fill pads (or cuts) text to the table's height, header included, so that the footer stays
// at the bottom.
func (m Model) fill(text string) string {
	h := m.tbl.Height() + 1
	lines := strings.Split(text, "\n")
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines[:h], "\n")
}

func (m Model) fit(s string) string {
	return lipgloss.NewStyle().MaxWidth(m.w).MaxHeight(m.h).Render(s)
}

func (m Model) titleLine() string {
	left := m.st.title.Render(m.p.T("board.title", "System", m.o.SystemID))
	if m.d.Decide != nil {
		left = m.st.badge.Render(m.p.T("board.sandbox")) + " " + left
	}
	var right string
	switch {
	case m.loading && m.loaded:
		right = m.p.T("board.refreshing")
	case m.loaded:
		right = m.p.T("board.updated", "Age", m.age(m.d.Now().Sub(m.lastLoad)), "Wait", m.waitText())
	}
	right = m.st.subtle.Render(right)
	gap := m.w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return lipgloss.NewStyle().MaxWidth(m.w).Render(left)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m Model) countsLine() string {
	var parts []string
	seen := map[string]bool{}
	add := func(s string) {
		n := m.counts[s]
		if n == 0 || seen[s] {
			return
		}
		seen[s] = true
		text := fmt.Sprintf("%s %s", s, m.p.Number(n)) //i18n:ignore the status code and its count
		switch s {
		case altinn.StatusAccepted, steps.StatusActive:
			text = m.st.pass.Render(text)
		case altinn.StatusNew:
			text = m.st.warn.Render(text)
		case altinn.StatusRejected, altinn.StatusDenied, altinn.StatusTimedout:
			text = m.st.fail.Render(text)
		}
		parts = append(parts, text)
	}
	for _, s := range statusOrder {
		add(s)
	}
	var rest []string
	for s := range m.counts {
		if !seen[s] {
			rest = append(rest, s)
		}
	}
	sort.Strings(rest)
	for _, s := range rest {
		add(s)
	}
	dir := "↑"
	if m.desc {
		dir = "↓"
	}
	shown := m.p.T("board.shown_of", "Shown", m.p.Number(len(m.view)), "All", m.p.Number(len(m.all)))
	if len(m.view) == len(m.all) {
		shown = m.p.Number(len(m.all))
	}
	tail := m.st.subtle.Render(m.p.N("board.rows", len(m.all), "Shown", shown, "Column", strings.ToLower(m.colTitle(m.sortCol)), "Dir", dir))
	return lipgloss.NewStyle().MaxWidth(m.w).Render(strings.Join(parts, "  ") + tail + m.namesLoading())
}

func (m Model) messageLine() string {
	var s string
	switch {
	case m.overlay == overlayConfirm:
		s = m.st.warn.Render(m.p.T("board.confirm_recreate", "Status", strings.ToLower(m.subject.Status), "Org", m.subject.Org))
	case m.filtering:
		s = m.filter.View()
	case m.busy != "":
		s = m.st.info.Render(m.busy)
	case m.flash != "" && m.flashErr:
		s = m.st.flashErr.Render(m.flash)
	case m.flash != "":
		s = m.st.flash.Render(m.flash)
	case m.err != nil:
		s = m.st.fail.Render(m.p.T("board.refresh_failed", "Err", termsafe.Line(m.err.Error())))
	case m.filter.Value() != "":
		s = m.st.subtle.Render(m.p.T("board.filter_line", "Filter", m.filter.Value()))
	default:
		// The confirmUrl is longer than 80 columns: cut it visibly; enter shows all of it.
		if r, ok := m.selected(); ok && r.Escalated {
			note := m.p.T("board.forwarded_note")
			s = m.st.warn.Render(note) + m.st.subtle.Render(ansi.Truncate(r.ConfirmURL, m.w-ansi.StringWidth(note), "…"))
		} else if ok && r.ConfirmURL != "" {
			s = m.st.subtle.Render(ansi.Truncate(r.ConfirmURL, m.w, "…"))
		}
	}
	return lipgloss.NewStyle().MaxWidth(m.w).Render(s)
}

// namesLoading says, while a filter or the sort by name waits for names, how many are known:
// a row whose name has not come yet is not matched by it.
func (m Model) namesLoading() string {
	known := min(len(m.names), m.orgs)
	if m.d.Name == nil || !m.allNames() || known >= m.orgs {
		return ""
	}
	return m.st.subtle.Render("  " + m.p.T("board.names_loading", "Known", m.p.Number(known), "All", m.p.Number(m.orgs)))
}

func (m Model) qrView() string {
	r := m.subject
	head := m.st.title.Render(m.p.T("board.qr.title", "Org", r.Org, "Name", m.names[r.Org]))
	foot := m.st.subtle.Render(m.p.T("board.qr.footer"))
	// Title, blank line, the whole URL (broken over lines: it is what a support person reads
	// out when the code does not fit) and footer around the code.
	link := ansi.Hardwrap(r.ConfirmURL, max(m.w, 1), false)
	code, err := qr.Fit(m.o.Renderer, r.ConfirmURL, m.o.QR, m.w, m.h-3-strings.Count(link, "\n")-1)
	var body string
	switch {
	case errors.Is(err, qr.ErrDoesNotFit):
		body = m.st.warn.Width(m.w).Render(m.p.T("board.qr.too_small", "W", m.w, "H", m.h))
	case err != nil:
		body = m.st.fail.Render(err.Error())
	default:
		body = code
	}
	return head + "\n\n" + body + "\n" + link + "\n" + foot
}

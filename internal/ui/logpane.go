package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/support"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// logPane is the HTTP log over the step (key l): one line per exchange of the session's
// record, newest last, coloured by status; enter shows one exchange in full (already
// redacted by the record); esc goes back, and closes the pane from the list. It derives what
// it shows from the record each time, so exchanges made while it is open appear.
type logPane struct {
	open   bool
	detail bool
	// cursor is the selected exchange's index; -1 follows the newest.
	cursor int
	vp     viewport.Model
	width  int
	height int
}

func (p *logPane) exchanges(env *kit.Env) []httpx.Exchange {
	if env.Record == nil {
		return nil
	}
	return env.Record()
}

func (p *logPane) Open() {
	p.open, p.detail, p.cursor = true, false, -1
}

func (p *logPane) SetSize(w, h int) {
	// The body is drawn with a one-column left padding and wraps at its width: stay inside.
	p.width, p.height = max(w-2, 20), h
	p.vp.Width, p.vp.Height = w, max(h-2, 1)
}

// listRows is how many exchanges the list shows: it sits under the step, taking at most
// half the room (the detail of one exchange takes all of it).
func (p *logPane) listRows() int { return min(max(p.height/2-2, 3), 10) }

// Detail reports whether one exchange fills the body (else the list sits under the step).
func (p *logPane) Detail() bool { return p.detail }

func (p *logPane) selected(n int) int {
	if p.cursor < 0 || p.cursor >= n {
		return n - 1
	}
	return p.cursor
}

// Update handles a key while the pane is open.
func (p *logPane) Update(env *kit.Env, msg tea.KeyMsg) tea.Cmd {
	list := p.exchanges(env)
	n := len(list)
	if p.detail {
		switch msg.String() {
		case "esc", "backspace", "left", "h":
			p.detail = false
			return nil
		case "q":
			p.open = false
			return nil
		}
		var cmd tea.Cmd
		p.vp, cmd = p.vp.Update(msg)
		return cmd
	}
	cur := p.selected(n)
	switch msg.String() {
	case "esc", "l", "q":
		p.open = false
	case "up", "k":
		if cur > 0 {
			p.cursor = cur - 1
		}
	case "down", "j":
		if cur < n-1 {
			p.cursor = cur + 1
		}
		if p.cursor == n-1 {
			p.cursor = -1 // back to following the newest
		}
	case "home", "g":
		if n > 0 {
			p.cursor = 0
		}
	case "end", "G":
		p.cursor = -1
	case "enter", "right":
		if n > 0 {
			p.cursor = cur
			p.detail = true
			p.vp.SetContent(exchangeDetail(env.Text, env.Styles, list[cur], p.width))
			p.vp.GotoTop()
		}
	}
	return nil
}

// Help is the pane's key line in env's language.
func (p *logPane) Help(env *kit.Env) string { return p.helpIn(env.Text, env.Styles) }

func (p *logPane) helpIn(t *i18n.Printer, st kit.Styles) string {
	k := func(key, what string) string { return st.Key.Render(key) + " " + st.Subtle.Render(what) }
	if p.detail {
		return " " + strings.Join([]string{k("↑/↓", t.T("uimisc.log.key.scroll")), k("esc", t.T("uimisc.log.key.back")), k("q", t.T("uimisc.log.key.close"))}, st.Subtle.Render(" • "))
	}
	return " " + strings.Join([]string{k("↑/↓", t.T("uimisc.log.key.select")), k("enter", t.T("uimisc.log.key.show")), k("esc", t.T("uimisc.log.key.close_log"))}, st.Subtle.Render(" • "))
}

// View draws the list or one exchange in the room given.
func (p *logPane) View(env *kit.Env) string {
	st := env.Styles
	list := p.exchanges(env)
	if p.detail {
		cur := p.selected(len(list))
		title := env.T("uimisc.log.title")
		if cur >= 0 {
			title = env.T("uimisc.log.title_one", "ID", list[cur].ID, "Total", len(list))
		}
		return st.StepTitle.Render(title) + "\n\n" + p.vp.View()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", st.StepTitle.Render(env.N("uimisc.log.title_list", len(list))))
	if len(list) == 0 {
		b.WriteString(st.Subtle.Render(env.T("uimisc.log.empty")))
		return b.String()
	}
	rows := p.listRows()
	cur := p.selected(len(list))
	start := 0
	if len(list) > rows {
		start = min(max(cur-rows+1, 0), len(list)-rows)
		if cur < start {
			start = cur
		}
	}
	for i := start; i < len(list) && i < start+rows; i++ {
		line := logLine(env.Text, st, list[i], p.width-2)
		if i == cur {
			line = st.Selected.Render("›") + " " + line
		} else {
			line = "  " + line
		}
		b.WriteString(lipgloss.NewStyle().MaxWidth(p.width).Render(line))
		if i < len(list)-1 && i < start+rows-1 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// statusStyle colours by outcome: 2xx/3xx pass, 4xx warn, 5xx and no answer fail.
func statusStyle(st kit.Styles, e httpx.Exchange) (lipgloss.Style, string) {
	switch {
	case e.Err != "":
		return st.Fail, "ERR"
	case !e.Done && e.Status == 0:
		return st.Subtle, "…"
	case e.Status >= 500:
		return st.Fail, fmt.Sprint(e.Status)
	case e.Status >= 400:
		return st.Warn, fmt.Sprint(e.Status)
	default:
		return st.Pass, fmt.Sprint(e.Status)
	}
}

// logLine is one exchange in one line: time, method, status, duration, host and path, code.
func logLine(t *i18n.Printer, st kit.Styles, e httpx.Exchange, width int) string {
	style, status := statusStyle(st, e)
	target := e.URL
	if u, err := url.Parse(e.URL); err == nil {
		target = u.Host + u.Path
	}
	o := support.DescribeIn(t, e)
	code := ""
	if o.Code != "" {
		code = " " + o.Code
	}
	left := fmt.Sprintf("%s %-4s ", e.Started.Local().Format("15:04:05"), e.Method)
	right := fmt.Sprintf(" %5s%s", shortDuration(e.Duration), code)
	room := max(width-len(left)-6-len(right), 8)
	target = termsafe.Truncate(termsafe.Line(target), room)
	return st.Subtle.Render(left) + style.Render(fmt.Sprintf("%-3s", status)) + " " + fmt.Sprintf("%-*s", room, target) + st.Subtle.Render(termsafe.Line(right))
}

func shortDuration(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return fmt.Sprintf("%dms", d.Milliseconds())
}

// exchangeDetail is one exchange in full, as recorded (redacted), wrapped to width.
func exchangeDetail(t *i18n.Printer, st kit.Styles, e httpx.Exchange, width int) string {
	var b strings.Builder
	style, status := statusStyle(st, e)
	fmt.Fprintf(&b, "%s %s\n", st.Bold.Render(e.Method), termsafe.Line(e.URL))
	fmt.Fprintf(&b, "%s  %s · %s\n", style.Render(status+" "+e.StatusText), e.Started.Local().Format("2006-01-02 15:04:05.000"), e.Duration.Round(time.Millisecond))
	o := support.DescribeIn(t, e)
	if o.Code != "" {
		fmt.Fprintf(&b, "%s %s\n", st.Bold.Render(t.T("uimisc.log.code")), termsafe.Line(o.Code))
	}
	if o.TraceID != "" {
		fmt.Fprintf(&b, "%s %s\n", st.Bold.Render(t.T("uimisc.log.trace_id")), termsafe.Line(o.TraceID))
	}
	if o.Explanation != "" {
		fmt.Fprintf(&b, "%s\n", termsafe.Line(o.Explanation))
	}
	headers := func(title string, h map[string][]string) {
		fmt.Fprintf(&b, "\n%s\n", st.Title.Render(title))
		for _, k := range slices.Sorted(maps.Keys(h)) {
			for _, v := range h[k] {
				fmt.Fprintf(&b, "%s: %s\n", st.Subtle.Render(termsafe.Line(k)), termsafe.Line(v))
			}
		}
	}
	body := func(text string, size int64, truncated bool) {
		if text == "" {
			return
		}
		var pretty bytes.Buffer
		if json.Indent(&pretty, []byte(text), "", "  ") == nil {
			text = pretty.String()
		}
		fmt.Fprintf(&b, "\n%s\n", termsafe.Clean(text))
		if truncated {
			fmt.Fprintf(&b, "%s\n", st.Subtle.Render(t.T("uimisc.log.truncated", "Kept", bytesIn(t, httpx.MaxRecordedBody), "Size", bytesIn(t, size))))
		}
	}
	headers(t.T("uimisc.log.request"), e.RequestHeaders)
	body(e.RequestBody, e.RequestBodySize, e.Truncated && int64(len(e.RequestBody)) < e.RequestBodySize)
	headers(t.T("uimisc.log.response"), e.ResponseHeaders)
	body(e.ResponseBody, e.ResponseBodySize, e.Truncated && int64(len(e.ResponseBody)) < e.ResponseBodySize)
	if e.Err != "" {
		fmt.Fprintf(&b, "\n%s %s\n", st.Fail.Render(t.T("uimisc.log.no_response")), termsafe.Line(e.Err))
	}
	if e.BodiesDropped {
		fmt.Fprintf(&b, "\n%s\n", st.Subtle.Render(t.T("uimisc.log.bodies_dropped")))
	}
	b.WriteString("\n" + st.Subtle.Render(t.T("uimisc.log.redacted")))
	return lipgloss.NewStyle().Width(max(width, 20)).Render(b.String())
}

// bytesIn is a byte count in the language's digit grouping; English keeps plain digits, as before.
func bytesIn(t *i18n.Printer, n int64) string {
	if t.Lang() == i18n.EN {
		return strconv.FormatInt(n, 10)
	}
	return t.Number(int(n))
}

// ReportDoneMsg says where the support report went (key s).
type ReportDoneMsg struct {
	path string
	err  error
	// text is the catalogue of the session that asked (reportNote has only the styles).
	text *i18n.Printer
}

// writeReport runs Env.Report off the event loop.
func writeReport(env *kit.Env) tea.Cmd {
	if env.Report == nil {
		return nil
	}
	text := env.Text
	return func() tea.Msg {
		path, err := env.Report()
		return ReportDoneMsg{path: path, err: err, text: text}
	}
}

// reportNote is the line shown after key s.
func reportNote(st kit.Styles, m ReportDoneMsg) string {
	t := m.text
	if t == nil {
		t = i18n.MustNew(i18n.EN)
	}
	if m.err != nil {
		return st.Fail.Render(t.T("uimisc.report.failed")) + termsafe.Line(m.err.Error())
	}
	return st.Pass.Render(t.T("uimisc.report.written")) + termsafe.Line(m.path) + st.Subtle.Render(t.T("uimisc.report.where"))
}

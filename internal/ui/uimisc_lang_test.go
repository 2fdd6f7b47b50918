package ui

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// TestLineModeSpeaksNorwegian: the line prompts and the error for a closed input are bokmål.
func TestLineModeSpeaksNorwegian(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	h.Env.Text = i18n.MustNew(i18n.NB)
	var out bytes.Buffer
	err := NewLineMode(h.Env, strings.NewReader(""), &out).Run(h.Env.Base)
	if !errors.Is(err, ErrInputEnded) || !strings.Contains(err.Error(), "veiviseren") {
		t.Fatalf("err = %v, want the input's end in bokmål", err)
	}
	text := out.String()
	for _, want := range []string{"Steg 1 av 8", "Steg 4 av 8: systemet.", "Sti til system.json"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	if strings.Contains(text, "⟨") || strings.Contains(text, "Step ") {
		t.Errorf("a missing message or English:\n%s", text)
	}
}

// TestLogPaneSpeaksNorwegian: the log's list, key line, one exchange and the report note in bokmål.
func TestLogPaneSpeaksNorwegian(t *testing.T) {
	t.Parallel()
	e := httpx.Exchange{ID: 1, Started: time.Date(2026, 12, 5, 14, 3, 0, 0, time.UTC), Method: "GET", Duration: 12 * time.Millisecond,
		URL: "http://127.0.0.1:8459/altinn/x", Status: 404, Done: true, RequestHeaders: http.Header{}, ResponseHeaders: http.Header{},
		ResponseBody: `{"code":"AUTH-00010","status":404,"traceId":"00-abc-01"}`, BodiesDropped: true}
	env := &kit.Env{Text: i18n.MustNew(i18n.NB), Styles: kit.NewStyles(lipgloss.DefaultRenderer()), Record: func() []httpx.Exchange { return []httpx.Exchange{e} }}
	var p logPane
	p.SetSize(80, 24)
	p.Open()
	list := p.View(env) + "\n" + p.Help(env)
	p.Update(env, tea.KeyMsg{Type: tea.KeyEnter})
	detail := p.View(env) + "\n" + p.Help(env)
	note := reportNote(env.Styles, ReportDoneMsg{path: "rapport.zip", text: env.Text})
	for _, c := range []struct{ text, want string }{
		{list, "HTTP-logg · 1 utveksling i denne økten"}, {list, "lukk loggen"},
		{detail, "utveksling nr. 1 av 1"}, {detail, "Forespørsel"}, {detail, "signaturen er fjernet"}, {detail, "tilbake til listen"},
		{note, "Supportrapport skrevet"},
	} {
		if !strings.Contains(c.text, c.want) {
			t.Errorf("no %q in:\n%s", c.want, c.text)
		}
	}
	if all := list + detail + note; strings.Contains(all, "⟨") || strings.Contains(all, "exchange") {
		t.Errorf("a missing message or English:\n%s", all)
	}
}

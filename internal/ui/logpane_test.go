package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

func TestLogPaneListDetailAndClose(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	var list []httpx.Exchange
	for i := 1; i <= 30; i++ {
		e := httpx.Exchange{ID: i, Started: start.Add(time.Duration(i) * time.Second), Method: "GET", Duration: 12 * time.Millisecond,
			URL: "http://127.0.0.1:8459/altinn/authentication/api/v1/systemuser/request/vendor/some-very-long-request-id-that-does-not-fit", Status: 200, Done: true,
			RequestHeaders: http.Header{"Authorization": {"Bearer eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6ImEifQ." + httpx.SignatureRemoved}}, ResponseHeaders: http.Header{}}
		list = append(list, e)
	}
	list[29].Status, list[29].ResponseBody = 404, `{"code":"AUTH-00010","title":"The Id does not refer to a Request in our system.","status":404,"traceId":"00-abc-01"}`
	list[29].ResponseHeaders.Set("Content-Type", "application/problem+json")
	env := &kit.Env{Text: i18n.MustNew(i18n.EN), Styles: kit.NewStyles(lipgloss.DefaultRenderer()), Record: func() []httpx.Exchange { return list }}
	var p logPane
	p.SetSize(78, 20)
	p.Open()
	v := p.View(env)
	lines := strings.Split(v, "\n")
	if !strings.Contains(lines[0], "30 exchanges") || len(lines) > 20 {
		t.Fatalf("list (%d lines):\n%s", len(lines), v)
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 76 {
			t.Fatalf("line of width %d: %q", w, l)
		}
	}
	// The newest is selected and shown, with its code.
	last := lines[len(lines)-1]
	if !strings.Contains(last, "›") || !strings.Contains(last, "404") || !strings.Contains(last, "AUTH-00010") {
		t.Fatalf("newest line: %q", last)
	}
	key := func(k string) { p.Update(env, uitest.Press(k)) }
	key("enter")
	v = p.View(env)
	for _, want := range []string{"exchange #30 of 30", "404", "AUTH-00010", "00-abc-01", "Authorization", "SIGNATURE-"} {
		if !strings.Contains(v, want) {
			t.Fatalf("detail lacks %q:\n%s", want, v)
		}
	}
	key("esc")
	key("up")
	key("enter")
	if v := p.View(env); !strings.Contains(v, "exchange #29 of 30") {
		t.Fatalf("after up: %s", v)
	}
	key("esc")
	key("esc")
	if p.open {
		t.Fatal("esc from the list did not close the pane")
	}
	// Without exchanges it says so.
	empty := &kit.Env{Text: i18n.MustNew(i18n.EN), Styles: env.Styles, Record: func() []httpx.Exchange { return nil }}
	p.Open()
	if v := p.View(empty); !strings.Contains(v, "No exchange yet") {
		t.Fatalf("empty: %s", v)
	}
}

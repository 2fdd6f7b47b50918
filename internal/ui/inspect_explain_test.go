package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
)

// pasteBox is inspect's paste box in lang at w×h, with no verifier.
func pasteBox(lang i18n.Lang, w, h int) *InspectApp {
	p := i18n.MustNew(lang)
	env := &kit.Env{Text: p, Styles: kit.NewStyles(lipgloss.DefaultRenderer()), Keys: kit.DefaultKeys(p), Now: time.Now, Base: context.Background()}
	a := NewInspectApp(env, nil)
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return a
}

// paste puts text in the box and inspects it with ctrl+s, as a user does.
func paste(t *testing.T, a *InspectApp, text string) {
	t.Helper()
	a.box.SetValue(text)
	_, cmd := a.Update(tea.KeyMsg{Type: tea.KeyCtrlS})
	if cmd == nil {
		t.Fatal("ctrl+s did nothing")
	}
	a.Update(cmd())
}

// The inspect paste box takes an error body too and explains its code.
func TestInspectBoxExplainsAnErrorBody(t *testing.T) {
	t.Parallel()
	a := pasteBox(i18n.EN, 80, 24)
	paste(t, a, `{"error":"invalid_grant","error_description":"Invalid authorization details values. No system user found for the given system user organization (trace_id: 4f2a)","error_uri":"https://test.maskinporten.no/errors/MP-303"}`)
	v := a.View()
	for _, want := range []string{"Error body", "MP-303", "4f2a", "approved system user"} {
		if !strings.Contains(v, want) {
			t.Fatalf("view lacks %q:\n%s", want, v)
		}
	}
	a.box.Reset()
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("n")})
	paste(t, a, `{"nothing": 1}`)
	if v := a.View(); !strings.Contains(v, "not an error body") {
		t.Fatalf("garbage:\n%s", v)
	}
}

// b compares the inspected token with a second one, claim by claim.
func TestInspectBoxComparesTwoTokens(t *testing.T) {
	t.Parallel()
	a := pasteBox(i18n.EN, 100, 40)
	tokA := "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL3Rlc3QubWFza2lucG9ydGVuLm5vLyIsInNjb3BlIjoiYTpiIiwiY29uc3VtZXIiOnsiYXV0aG9yaXR5IjoiaXNvNjUyMy1hY3RvcmlkLXVwaXMiLCJJRCI6IjAxOTI6OTc0NzYxMDc2In19.c2ln"
	tokB := "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsyIn0.eyJpc3MiOiJodHRwczovL21hc2tpbnBvcnRlbi5uby8iLCJzY29wZSI6ImE6YiIsImNvbnN1bWVyIjp7ImF1dGhvcml0eSI6Imlzbzk2NTIzLWFjdG9yaWQtdXBpcyIsIklEIjoiMDE5Mjo5NzQ3NjEwNzYifX0.c2ln"
	inspect := func(tok string) {
		paste(t, a, tok)
	}
	inspect(tokA)
	if v := a.View(); !strings.Contains(v, "b compare with another") {
		t.Fatalf("no compare key:\n%s", v)
	}
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("b")})
	inspect(tokA)
	if v := a.View(); !strings.Contains(v, "same token") {
		t.Fatalf("the same token again:\n%s", v)
	}
	inspect(tokB)
	v := a.View()
	for _, want := range []string{"claim by claim", "different issuers", "different signing keys", "= scope"} {
		if !strings.Contains(v, want) {
			t.Fatalf("compare view lacks %q:\n%s", want, v)
		}
	}
}

// The paste box wraps a finding to its width: it cut each one at 80 columns.
func TestInspectBoxWrapsFindings(t *testing.T) {
	t.Parallel()
	a := pasteBox(i18n.EN, 42, 60)
	paste(t, a, "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL3Rlc3QubWFza2lucG9ydGVuLm5vLyIsImV4cCI6MTAwMDAwMDAwMCwiaWF0Ijo5OTk5OTk4ODAsInNjb3BlIjoiYTpiIiwiY2xpZW50X2lkIjoiYyJ9.c2ln") // expired in 2001, no consumer
	flat := strings.Join(strings.Fields(a.View()), " ")
	n := 0
	for _, f := range a.inspection.Report.Findings {
		if f.Level == tokeninspect.Warn || f.Level == tokeninspect.Error {
			n++
			if !strings.Contains(flat, strings.Join(strings.Fields(f.Text), " ")) {
				t.Errorf("finding cut: %q\n%s", f.Text, a.View())
			}
		}
	}
	if n == 0 {
		t.Fatal("the token has no finding to show")
	}
}

// A report taller than the window scrolls under the keys on the last line: a line says which
// lines show, and end shows the report's last one (it was cut off and lost).
func TestInspectBoxScrollsALongReportAndKeepsItsKeys(t *testing.T) {
	t.Parallel()
	a := pasteBox(i18n.EN, 80, 10)
	paste(t, a, "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL3Rlc3QubWFza2lucG9ydGVuLm5vLyIsInNjb3BlIjoiYTpiIiwiY29uc3VtZXIiOnsiYXV0aG9yaXR5IjoiaXNvNjUyMy1hY3RvcmlkLXVwaXMiLCJJRCI6IjAxOTI6OTc0NzYxMDc2In19.c2ln")
	screen := func() []string {
		lines := strings.Split(a.View(), "\n")
		if len(lines) > 10 || !strings.Contains(lines[len(lines)-1], "q quit") {
			t.Fatalf("%d lines, last %q:\n%s", len(lines), lines[len(lines)-1], strings.Join(lines, "\n"))
		}
		return lines
	}
	lines := screen()
	if !strings.HasPrefix(lines[0], "Token") || !strings.Contains(lines[len(lines)-2], "lines 1–8 of") {
		t.Fatalf("the top, with a marker line:\n%s", strings.Join(lines, "\n"))
	}
	a.Update(tea.KeyMsg{Type: tea.KeyEnd})
	lines = screen()
	if !strings.Contains(strings.Join(lines, "\n"), "consumer") || strings.HasPrefix(lines[0], "Token") {
		t.Fatalf("end shows the last claim:\n%s", strings.Join(lines, "\n"))
	}
	a.Update(tea.KeyMsg{Type: tea.KeyUp})
	if up := screen(); up[0] == lines[0] {
		t.Fatalf("↑ did not scroll:\n%s", strings.Join(up, "\n"))
	}
	a.Update(tea.KeyMsg{Type: tea.KeyHome})
	if lines = screen(); !strings.HasPrefix(lines[0], "Token") {
		t.Fatalf("home:\n%s", strings.Join(lines, "\n"))
	}
}

// The comparison says why a difference matters in the user's language, wrapped, and scrolls:
// its notes were English in every language.
func TestInspectBoxComparesInTheLanguage(t *testing.T) {
	t.Parallel()
	a := pasteBox(i18n.NB, 60, 16)
	paste(t, a, "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL3Rlc3QubWFza2lucG9ydGVuLm5vLyIsInNjb3BlIjoiYTpiIiwiY29uc3VtZXIiOnsiYXV0aG9yaXR5IjoiaXNvNjUyMy1hY3RvcmlkLXVwaXMiLCJJRCI6IjAxOTI6OTc0NzYxMDc2In19.c2ln")
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("b")})
	paste(t, a, "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsyIn0.eyJpc3MiOiJodHRwczovL21hc2tpbnBvcnRlbi5uby8iLCJzY29wZSI6ImE6YiIsImNvbnN1bWVyIjp7ImF1dGhvcml0eSI6Imlzbzk2NTIzLWFjdG9yaWQtdXBpcyIsIklEIjoiMDE5Mjo5NzQ3NjEwNzYifX0.c2ln")
	var seen strings.Builder
	for i := 0; i < 6; i++ {
		v := a.View()
		for _, l := range strings.Split(v, "\n") {
			if w := lipgloss.Width(l); w > 60 {
				t.Fatalf("a line of %d columns: %q", w, l)
			}
		}
		seen.WriteString(v + "\n")
		a.Update(tea.KeyMsg{Type: tea.KeyPgDown})
	}
	flat := strings.Join(strings.Fields(seen.String()), " ")
	for _, want := range []string{"ulike signeringsnøkler: nøklene er per miljø", "ulike utstedere: tokenene kommer fra ulike miljøer (eller det ene er et grant)", "linje"} {
		if !strings.Contains(flat, want) {
			t.Fatalf("the comparison lacks %q:\n%s", want, seen.String())
		}
	}
	if strings.Contains(flat, "different") {
		t.Fatalf("English in the bokmål comparison:\n%s", seen.String())
	}
}

// The paste box says why an input is not a token in the user's language, wrapped to the
// window: it showed tokeninspect's English, cut at the edge.
func TestInspectBoxSaysDecodeErrorsInTheLanguage(t *testing.T) {
	t.Parallel()
	a := pasteBox(i18n.NB, 60, 24)
	paste(t, a, "a.b.c.d.e")
	v := a.View()
	if flat := strings.Join(strings.Fields(v), " "); !strings.Contains(flat, "bare signerte tokener (tre deler) kan inspiseres") {
		t.Fatalf("the reason is not whole and in bokmål:\n%s", v)
	}
}

package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// The inspect paste box takes an error body too and explains its code.
func TestInspectBoxExplainsAnErrorBody(t *testing.T) {
	env := &Env{Styles: NewStyles(lipgloss.DefaultRenderer()), Keys: DefaultKeys(), Now: time.Now}
	a := NewInspectApp(env, nil)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	a.box.SetValue(`{"error":"invalid_grant","error_description":"Invalid authorization details values. No system user found for the given system user organization (trace_id: 4f2a)","error_uri":"https://test.maskinporten.no/errors/MP-303"}`)
	_, cmd := a.Update(tea.KeyMsg{Type: tea.KeyCtrlS})
	if cmd == nil {
		t.Fatal("ctrl+s did nothing")
	}
	a.Update(cmd())
	v := a.View()
	for _, want := range []string{"Error body", "MP-303", "4f2a", "approved system user"} {
		if !strings.Contains(v, want) {
			t.Fatalf("view lacks %q:\n%s", want, v)
		}
	}
	a.box.Reset()
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("n")})
	a.box.SetValue(`{"nothing": 1}`)
	_, cmd = a.Update(tea.KeyMsg{Type: tea.KeyCtrlS})
	a.Update(cmd())
	if v := a.View(); !strings.Contains(v, "not an error body") {
		t.Fatalf("garbage:\n%s", v)
	}
}

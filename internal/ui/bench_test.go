package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// BenchmarkFirstFrame is the time from building the wizard to its first drawn screen: New,
// Init, the window size, and View (the environment check runs asynchronously and is not
// waited for, as in the real program).
func BenchmarkFirstFrame(b *testing.B) {
	h := uitest.NewHarness(b)
	b.ReportAllocs()
	for b.Loop() {
		a := New(h.Env, nil)
		_ = a.Init()
		a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		if a.View() == "" {
			b.Fatal("empty frame")
		}
		a.steps[0].Stop()
	}
}

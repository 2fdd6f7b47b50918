package kit

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// ← and → on a yes/no question move towards the arrow (Yes is left, No right); huh toggled on
// either, so → on No chose Yes and a system was registered visible.
func TestArrowsOnAYesNoQuestionFollowTheArrow(t *testing.T) {
	var yes bool
	f := NewForm(huh.NewGroup(huh.NewConfirm().Title("Visible?").Value(&yes), huh.NewInput().Title("next")))
	f.Init()
	for _, step := range []struct {
		key  tea.KeyType
		want bool
	}{{tea.KeyRight, false}, {tea.KeyLeft, true}, {tea.KeyLeft, true}, {tea.KeyRight, false}, {tea.KeyRight, false}} {
		f.Update(tea.KeyMsg{Type: step.key})
		if yes != step.want {
			t.Fatalf("after %v: yes=%v, want %v", step.key, yes, step.want)
		}
	}
}

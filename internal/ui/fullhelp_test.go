package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

// With the full help open, every screen fits 80×24 with its header on the first line, also
// the first time it is drawn: a body that starts to overflow adds the scroll keys to the
// footer, and the body must give up the rows they take (the header left the top of the screen).
func TestFullHelpKeepsTheHeaderOnEveryScreen(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for name, build := range screens(t, w) {
		a := keys(build(), "?")
		v := a.View()
		if h := lipgloss.Height(v); h > 24 || !strings.HasPrefix(v, " sbs-tui") {
			t.Errorf("%s with the full help: %d lines, first %q", name, h, strings.SplitN(v, "\n", 2)[0])
		}
	}
	// Drawn short, then grown: step 4's choice, then its import's review (33 lines of JSON).
	a := keys(to(w.app(nil), 3), "?")
	_ = a.View()
	keys(a, "i", w.H.SystemFile(t), "enter")
	v := a.View()
	if h := lipgloss.Height(v); h > 24 || !strings.HasPrefix(v, " sbs-tui") || !strings.Contains(v, "JSON to send") {
		t.Errorf("the import's review with the full help: %d lines, first %q\n%s", h, strings.SplitN(v, "\n", 2)[0], v)
	}
}

// A form opened with the body scrolled down starts at its top, where its first field has
// the focus: step 7's e after end showed the form's last lines only.
func TestOpeningAFormScrollsToItsTop(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := to(w.approved(t), 6)
	keys(a, "end")
	if a.body.YOffset == 0 {
		t.Skipf("step 7 does not overflow at 80×24:\n%s", a.View())
	}
	keys(a, "e")
	if v := a.View(); a.body.YOffset != 0 || !strings.Contains(v, "Organisation that owns the system user") {
		t.Fatalf("the form opened scrolled to %d:\n%s", a.body.YOffset, v)
	}
}

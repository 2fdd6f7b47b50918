package ui

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// A step's change reaches the root through a command, so on a loaded machine the user can be
// in the next step before it arrives: step 4 registered a changed system, the user pressed on
// to step 5 and typed the customer's number, then the invalidation came. Step 5 was built
// from the changed flow: it keeps its form and the number (it lost both, and a journey saw
// "No request yet.").
func TestLateInvalidationKeepsTheFormTheUserIsIn(t *testing.T) {
	w := newWorld(t)
	a := to(w.registered(), 3)
	late := kit.Invalidate(4, 3) // the change is made now; its message comes later
	to(a, 4)
	keys(a, "313367002")
	uitest.Run(upd(a), late(), quick)
	if !a.steps[4].Capturing() || !strings.Contains(a.View(), "313367002") {
		t.Fatalf("the late invalidation threw away step 5's form:\n%s", a.View())
	}
	if a.done[4] {
		t.Fatal("step 5 is marked done")
	}

	// An invalidation made after the step was entered still resets it.
	uitest.Run(upd(a), kit.Invalidate(4, 3)(), quick)
	if a.steps[4].Capturing() {
		t.Fatalf("a later invalidation left step 5's form:\n%s", a.View())
	}
}

package ui

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// quitAndReload quits a with ctrl+c, which must not ask (the form's answers are saved as a
// draft), and reads the progress file back.
func quitAndReload(t *testing.T, a *App) *Progress {
	t.Helper()
	keys(a, "ctrl+c")
	if !a.Quitting || a.confirmQuit {
		t.Fatalf("ctrl+c in a form with a draft did not quit (asking: %v):\n%s", a.confirmQuit, a.View())
	}
	p, err := LoadProgress(i18n.English(), a.progressPath())
	if err != nil || p == nil {
		t.Fatalf("progress: %+v %v", p, err)
	}
	return p
}

// draftFields is step i's saved draft as JSON fields.
func draftFields(t *testing.T, p *Progress, i int) map[string]any {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal(p.Drafts[i], &d); err != nil {
		t.Fatalf("draft of step %d: %v (%q)", i+1, err, p.Drafts[i])
	}
	return d
}

// Quitting with step 4's form half filled in and starting again brings the form back with
// what was typed: the progress file keeps the unfinished answers as the step's draft. A walk
// found the form empty after a resume.
func TestQuitMidFormKeepsStep4Draft(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := keys(to(w.app(nil), 3), "f", "demo", "enter", "Min demo")
	p := quitAndReload(t, a)
	id := a.env.Session.Profile.OrgNo + "_demo"
	if d := draftFields(t, p, 3); d["id"] != id || d["name"] != "Min demo" {
		t.Fatalf("draft of step 4: %v", d)
	}

	b := w.app(p)
	if v := b.View(); !strings.Contains(v, "unfinished answers of step 4") {
		t.Fatalf("the resume question does not mention the draft:\n%s", v)
	}
	uitest.RunCmd(upd(b), b.handleKey(uitest.Press("r")), quick)
	if v := b.bodyContent(); b.current != 3 || !b.steps[3].Capturing() || !strings.Contains(v, id) {
		t.Fatalf("resumed at step %d, form open %v:\n%s", b.current+1, b.steps[3].Capturing(), v)
	}
	keys(b, "shift+tab") // back to the first group: the name is there too
	if v := b.bodyContent(); !strings.Contains(v, "Min demo") {
		t.Fatalf("the name was not restored:\n%s", v)
	}
}

// Step 5's form: the customer typed before quitting is back after the resume.
func TestQuitMidFormKeepsStep5Draft(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := keys(to(w.registered(), 4), "313367002")
	p := quitAndReload(t, a)
	if d := draftFields(t, p, 4); d["org"] != "313367002" || d["SystemID"] != nil || d["system_id"] != nil {
		t.Fatalf("draft of step 5: %v", d)
	}
	b := w.on(w.Registered(), p)
	uitest.RunCmd(upd(b), b.handleKey(uitest.Press("r")), quick)
	if v := b.bodyContent(); b.current != 4 || !b.steps[4].Capturing() || !strings.Contains(v, "313367002") {
		t.Fatalf("resumed at step %d:\n%s", b.current+1, v)
	}
}

// Without a progress file (--fresh) nothing is saved, so quitting mid-form still asks; an
// untouched form has no draft either.
func TestQuitMidFormAsksWhenNothingIsSaved(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := keys(to(w.app(nil), 3), "f")
	keys(a, "ctrl+c")
	if !a.confirmQuit || !strings.Contains(a.View(), "A form is open") {
		t.Fatalf("an untouched form quit without asking:\n%s", a.View())
	}
	b := keys(to(w.app(nil), 3), "f", "demo")
	b.env.Opts.StateDir = "" // as --fresh
	keys(b, "ctrl+c")
	if !b.confirmQuit || b.Quitting {
		t.Fatalf("a --fresh run quit mid-form without asking:\n%s", b.View())
	}
}

// A paste right behind the Enter that leaves step 4 lands in step 5's form: the root moves on
// in the same update as the Enter (kit.Continue), not by a later message that the pasted keys
// would overtake. Before, step 4 took the keys and the number was lost.
func TestKeysRightAfterContinueReachTheNextStep(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := to(w.registered(), 3)
	_, cmd := a.Update(uitest.Press("enter"))
	a.Update(uitest.Press("313367002")) // before any command of the Enter has run
	uitest.RunCmd(upd(a), cmd, quick)
	if v := a.bodyContent(); a.current != 4 || !strings.Contains(v, "> 313367002") {
		t.Fatalf("at step %d after enter and a paste:\n%s", a.current+1, v)
	}
}

// A draft that does not parse (a progress file edited by hand, or from another version) is
// dropped: the step starts as if there were none, and nothing panics.
func TestUnreadableDraftIsDropped(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := &Progress{Version: 1, Current: 3, Done: []bool{true, true, true}, Drafts: map[int]json.RawMessage{
		3: json.RawMessage(`{"id": 5}`), 4: json.RawMessage(`[`), 42: json.RawMessage(`{}`), -1: json.RawMessage(`{}`)}}
	a := w.app(p)
	uitest.RunCmd(upd(a), a.handleKey(uitest.Press("r")), quick)
	if a.current != 3 || a.steps[3].Capturing() || !strings.Contains(a.View(), "f fill in the form") {
		t.Fatalf("resumed with an unreadable draft:\n%s", a.View())
	}
}

// A draft of another step than the one resumed at does not open its form on the way past:
// resumed after step 4 with an unfinished edit of step 4, b b b b typed the last b's into
// step 4's system id. The draft stays for when the form is opened.
func TestDraftOfAnEarlierStepOpensOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := to(w.approved(t), 3)
	keys(a, "e", "x") // the registered system's form, being edited when the wizard quits
	p := quitAndReload(t, a)
	if p.Drafts[3] == nil {
		t.Fatal("no draft of step 4 was saved")
	}
	p.Current = 4 // as if the user had gone on to step 5 before quitting
	b := w.on(w.Approved(t), p)
	uitest.RunCmd(upd(b), b.handleKey(uitest.Press("r")), quick)
	keys(b, "b")
	if b.current != 3 || b.steps[3].Capturing() {
		t.Fatalf("at step %d, form open %v:\n%s", b.current+1, b.steps[3].Capturing(), b.View())
	}
	keys(b, "b")
	if b.current != 2 {
		t.Fatalf("b from step 4 went to step %d:\n%s", b.current+1, b.View())
	}
	keys(b, "n", "e")
	if v := b.bodyContent(); !b.steps[3].Capturing() || !strings.Contains(v, a.env.Flow.SystemID+"x") {
		t.Fatalf("e did not open the draft:\n%s", v)
	}
}

package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

func sized(a *App, w, h int) {
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
}

// upd adapts App.Update to uitest.Run.
func upd(a *App) func(tea.Msg) tea.Cmd {
	return func(m tea.Msg) tea.Cmd { _, c := a.Update(m); return c }
}

func TestFirstScreenAt80x24(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	a := New(h.Env, nil)
	sized(a, 80, 24)
	uitest.RunCmd(upd(a), a.Init(), uitest.Wait) // the environment check
	screen := a.View()
	if !strings.Contains(screen, "SANDBOX") || !strings.Contains(screen, "✓ clock") {
		t.Fatalf("first screen:\n%s", screen)
	}
	if n := len(strings.Split(screen, "\n")); n != 24 {
		t.Fatalf("%d lines, want 24:\n%s", n, screen)
	}
	for _, line := range strings.Split(screen, "\n") {
		if w := len([]rune(line)); w > 80 {
			t.Fatalf("line wider than 80 (%d): %q", w, line)
		}
	}
	uitest.Golden(t, "env-80x24", screen)
	if !a.DoneSteps()[0] {
		t.Fatal("step 1 not marked done")
	}
}

func TestMinimumSizeScreen(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	a := New(h.Env, nil)
	sized(a, 50, 15)
	if s := a.View(); !strings.Contains(s, "at least 60×20") || !strings.Contains(s, "50×15") {
		t.Fatalf("small screen: %q", s)
	}
}

func TestQuitAsksWhileBusy(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	a := New(h.Env, nil)
	sized(a, 80, 24)
	a.Init() // starts the check: busy, and its result is never delivered here
	if !a.steps[0].Busy() {
		t.Fatal("step 1 is not busy after Init")
	}
	_, cmd := a.Update(uitest.Press("ctrl+c"))
	if cmd != nil || !a.confirmQuit || !strings.Contains(a.View(), "Quit anyway? y quit • n stay") {
		t.Fatal("ctrl+c mid-call did not ask")
	}
	a.Update(uitest.Press("n"))
	if a.confirmQuit || a.Quitting {
		t.Fatal("n did not cancel quitting")
	}
	a.Update(uitest.Press("ctrl+c"))
	if _, cmd = a.Update(uitest.Press("y")); cmd == nil || !a.Quitting {
		t.Fatal("y did not quit")
	}
}

func TestNavigationAndHelp(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	a := New(h.Env, nil)
	sized(a, 100, 30)
	uitest.Run(upd(a), uitest.Press("n"), uitest.Wait)
	if a.Current() != 1 {
		t.Fatalf("n: step %d", a.Current())
	}
	uitest.Run(upd(a), uitest.Press("b"), uitest.Wait)
	if a.Current() != 0 {
		t.Fatalf("b: step %d", a.Current())
	}
	a.Update(uitest.Press("?"))
	if !strings.Contains(a.View(), "next step") || !strings.Contains(a.View(), "ctrl+c") || !a.fullHelp {
		t.Fatal("? did not show full help")
	}
	// Single letters belong to a focused text field: on step 8, u edits the URL.
	a.goTo(7)
	a.Update(uitest.Press("u"))
	if a.Current() != 7 || !a.steps[7].Capturing() {
		t.Fatalf("step 8 input not focused (step %d)", a.Current())
	}
	a.Update(uitest.Press("q"))
	if a.Quitting {
		t.Fatal("q quit while typing a URL")
	}
}

func TestResumeRestoresFlowAndStep(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	saved := &Progress{Version: 1, Current: 5, Done: []bool{true, true, true, true, true, false, false, false},
		UpdatedAt: uitest.T0, Flow: kit.Flow{SystemID: "974761076_x", RequestID: "r-1", CustomerOrg: "313367002", Status: "New", ConfirmURL: "http://x/altinn-ui/y"}}
	a := New(h.Env, saved)
	sized(a, 80, 24)
	if a.Init() != nil || !strings.Contains(a.View(), "Resume where you left off?") || !strings.Contains(a.View(), "Request r-1 for 313367002") {
		t.Fatalf("resume screen:\n%s", a.View())
	}
	a.Update(uitest.Press("r"))
	if a.Current() != 5 || h.Env.Flow.RequestID != "r-1" || !a.DoneSteps()[4] {
		t.Fatalf("after resume: step %d, flow %+v", a.Current(), h.Env.Flow)
	}
	// Nothing to resume when everything is done.
	all := &Progress{Done: []bool{true, true, true, true, true, true, true, true}}
	if New(h.Env, all).resume != nil {
		t.Fatal("a finished run was offered for resuming")
	}
}

func TestInspectAppDecodesPastedToken(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	tok, _, err := h.Env.Session.Token(h.Env.Base, uitest.TokenReq("digdir:dialogporten"))
	if err != nil {
		t.Fatal(err)
	}
	a := NewInspectApp(h.Env, func(_ context.Context, _ string) (*steps.Session, error) { return h.Env.Session, nil })
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	a.box.SetValue("Bearer " + tok.AccessToken)
	uitest.Run(func(m tea.Msg) tea.Cmd { _, c := a.Update(m); return c }, uitest.Press("ctrl+s"), 2*time.Second)
	if a.inspection == nil || !strings.Contains(a.View(), "[signature not verified]") {
		t.Fatalf("view:\n%s", a.View())
	}
	uitest.Run(func(m tea.Msg) tea.Cmd { _, c := a.Update(m); return c }, uitest.Press("v"), 2*time.Second)
	if !a.inspection.Verified || !strings.Contains(a.View(), "[signature verified]") {
		t.Fatalf("after v:\n%s", a.View())
	}
}

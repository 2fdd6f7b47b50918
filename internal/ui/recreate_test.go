package ui

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/page"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// Step 6's d (delete and recreate) on a rejected request sends a new request and shows it in
// step 5 (a newcomer's walk found it only went back, with the rejected request still shown).
func TestRejectedRequestIsRecreatedFromStep6(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.requested(t)
	old := a.env.Flow.RequestID
	if _, err := w.H.SB.Reject(old); err != nil {
		t.Fatal(err)
	}
	a.env.Flow.Status = altinn.StatusRejected
	a.done = []bool{true, true, true, true, true, false, false, false}
	to(a, 5)
	if v := a.bodyContent(); !strings.Contains(v, "Status Rejected") {
		t.Fatalf("step 6 does not show the rejection:\n%s", v)
	}
	uitest.RunCmd(upd(a), a.handleKey(uitest.Press("d")), quick)
	f := a.env.Flow
	if a.current != 4 || f.RequestID == old || f.Status != altinn.StatusNew || !strings.Contains(a.bodyContent(), f.RequestID) {
		t.Fatalf("after d: step %d, flow request %s (old %s), status %s\n%s", a.current+1, f.RequestID, old, f.Status, a.bodyContent())
	}
}

// Step 6's o says so when no browser starts, and the message stays (the walk found it wiped
// by the next status check within two seconds).
func TestOpenWithoutABrowserSaysSo(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.requested(t)
	a.done = []bool{true, true, true, true, true, false, false, false}
	a.env.Browser = func(string) error { return errors.New(`exec: "xdg-open": executable file not found in $PATH`) }
	// The step's next status check is the tick it schedules, fired by hand after o.
	var mu sync.Mutex
	var next func(time.Time) tea.Msg
	a.env.Tick = func(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		mu.Lock()
		next = fn
		mu.Unlock()
		return nil
	}
	to(a, 5)
	keys(a, "o")
	mu.Lock()
	tick := next
	mu.Unlock()
	if tick == nil {
		t.Fatal("step 6 scheduled no status check")
	}
	uitest.Run(upd(a), tick(time.Now()), quick)
	if v := a.View(); !strings.Contains(v, "Could not start a browser, c copies the confirmUrl") {
		t.Fatalf("no message:\n%s", v)
	}
}

// The full help lists every key at 80×24, even on a scrolling screen with many of them (the
// walk found its last column cut with "…": q, ctrl+c and ? were not listed).
func TestFullHelpListsEveryKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.app(nil)
	a.env.Opts.KeyDir = t.TempDir()
	to(a, 2)
	keys(a, "g", "?")
	v := a.View()
	lines := strings.Split(v, "\n")
	for _, want := range []string{"ctrl+c", "fewer keys", "previous step", "next step", "quit", "page down"} {
		if !strings.Contains(v, want) {
			t.Fatalf("the full help lacks %q:\n%s", want, v)
		}
	}
	for _, l := range lines[len(lines)-6:] {
		if strings.Contains(l, "…") || len([]rune(l)) > 80 {
			t.Fatalf("a help line is cut or too wide: %q\n%s", l, v)
		}
	}
}

// Set-up warnings (the sandbox's port taken by another program) are on the wizard's first
// screen: printed before the screen took over, they were seen only after it ended.
func TestFirstScreenShowsSetupWarnings(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const long = "127.0.0.1:8459, the address recorded for the sandbox, is in use by another program: stop that program, or move the sandbox with sbs-tui sandbox serve --addr 127.0.0.1:PORT."
	w.H.Env.Session.Warnings = []string{long}
	a := w.app(nil)
	if v := a.View(); !strings.Contains(v, "Warning: 127.0.0.1:8459, the address recorded") {
		t.Fatalf("no warning on the first screen:\n%s", v)
	}
	// The notice line holds one line; step 1 says the whole of it, wrapped at 80 columns.
	if v := strings.Join(strings.Fields(a.View()), " "); !strings.Contains(v, "move the sandbox with sbs-tui sandbox serve --addr 127.0.0.1:PORT.") {
		t.Fatalf("the warning is cut on the first screen:\n%s", a.View())
	}
}

// Step 4's d (compare only) and enter show their outcome at the top of the step: pressed with
// the JSON scrolled to its end, the outcome was written out of view (a newcomer's walk).
func TestSystemOutcomeIsScrolledIntoView(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := keys(to(w.app(nil), 3), "i", w.H.SystemFile(t), "enter")
	keys(a, "end")
	if a.body.YOffset == 0 {
		t.Fatalf("end did not scroll:\n%s", a.View())
	}
	keys(a, "d")
	if v := a.View(); a.body.YOffset != 0 || !strings.Contains(v, "System 974761076_skatt_demo_system: unchanged") {
		t.Fatalf("the outcome is out of view (offset %d):\n%s", a.body.YOffset, v)
	}
}

// A notice is wrapped to at most three lines and the body gives up the rows (one line cut
// "Could not start a browser … (exec: "xdg-open": executa…"); the screen still fits. The
// set-up warning is the resume question's notice, and step 6 says it where the customer's link
// is, so a resumed approval does not show a link to another program without a word.
func TestLongNoticesWrapAndStep6ShowsSetupWarnings(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := to(w.approved(t), 2)
	end := "and this is the end of it, which matters."
	a.Update(kit.NoticeMsg{Text: "Could not start a browser; c copies the confirmUrl (exec: \"xdg-open\": executable file not found in $PATH) " + end})
	v := a.View()
	screenFits(t, v, 80, 24)
	if !strings.Contains(strings.Join(strings.Fields(v), " "), end) {
		t.Fatalf("the notice is cut:\n%s", v)
	}
	const warning = "127.0.0.1:8459, the address recorded for the sandbox, is in use by another program."
	p := quitAndReload(t, keys(to(w.app(nil), 3), "f", "demo"))
	w.H.Env.Session.Warnings = []string{warning}
	r := w.app(p)
	if v := r.View(); !strings.Contains(strings.Join(strings.Fields(v), " "), warning) {
		t.Fatalf("the resume question does not say the set-up warning:\n%s", v)
	}
	s6 := page.NewApproval(w.EnvWith(w.Requested(t)), 5)
	s6.SetSize(78, 40)
	uitest.RunCmd(s6.Update, s6.Enter(), quick)
	if v := s6.View(); !strings.Contains(strings.Join(strings.Fields(v), " "), warning) {
		t.Fatalf("step 6 does not say the set-up warning:\n%s", v)
	}
}

package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

const quick = uitest.Quick

// world is the shared fixture's world with each screen as a wizard at 80×24 on its own flow.
type world struct{ *uitest.World }

func newWorld(t *testing.T) *world { return &world{uitest.NewWorld(t)} }

// app is a new wizard at 80×24 on a fresh flow.
func (w *world) app(saved *Progress) *App { return w.on(&kit.Flow{}, saved) }

func (w *world) on(f *kit.Flow, saved *Progress) *App {
	a := New(w.EnvWith(f), saved)
	sized(a, 80, 24)
	return a
}

// registered is a wizard whose flow holds the registered system.
func (w *world) registered() *App { return w.on(w.Registered(), nil) }

// requested is a wizard whose flow holds a new request (its own external reference).
func (w *world) requested(t *testing.T) *App { return w.on(w.Requested(t), nil) }

// approved is a wizard whose flow holds an approved request.
func (w *world) approved(t *testing.T) *App { return w.on(w.Approved(t), nil) }

// to moves a wizard to step i and lets it settle.
func to(a *App, i int) *App {
	uitest.RunCmd(upd(a), a.goTo(i), quick)
	return a
}

func keys(a *App, ks ...string) *App {
	for _, k := range ks {
		uitest.Run(upd(a), uitest.Press(k), quick)
	}
	return a
}

// screens are the step states the journeys reach, each built from scratch.
func screens(t *testing.T, w *world) map[string]func() *App {
	return map[string]func() *App{
		"1 checked":       func() *App { a := w.app(nil); uitest.RunCmd(upd(a), a.Init(), quick); return a },
		"2 scopes":        func() *App { return to(w.app(nil), 1) },
		"3 key":           func() *App { return to(w.app(nil), 2) },
		"3 pkcs12 form":   func() *App { return keys(to(w.app(nil), 2), "p") },
		"3 key generated": func() *App { return keys(to(w.app(nil), 2), "g") },
		"4 choose":        func() *App { return to(w.app(nil), 3) },
		"4 form":          func() *App { return keys(to(w.app(nil), 3), "f") },
		"4 import":        func() *App { return keys(to(w.app(nil), 3), "i") },
		"4 import failed": func() *App { return keys(to(w.app(nil), 3), "i", "/no/such/file.json", "enter") },
		"4 registered":    func() *App { return to(w.registered(), 3) },
		"4 problems":      func() *App { return keys(to(w.registered(), 3), "e", "enter", " x", "enter") },
		"5 form":          func() *App { return to(w.registered(), 4) },
		"5 request":       func() *App { return to(w.requested(t), 4) },
		"6 waiting":       func() *App { return to(w.requested(t), 5) },
		"6 rejected": func() *App {
			a := w.requested(t)
			if _, err := w.H.SB.Reject(a.env.Flow.RequestID); err != nil {
				t.Fatal(err)
			}
			return to(a, 5)
		},
		"6 approved":       func() *App { a := to(w.approved(t), 5); return to(a, 5) },
		"7 token":          func() *App { return to(w.approved(t), 6) },
		"7 form":           func() *App { return keys(to(w.approved(t), 6), "e") },
		"8 ready":          func() *App { return to(w.approved(t), 7) },
		"8 editing URL":    func() *App { return keys(to(w.approved(t), 7), "u") },
		"8 answered":       func() *App { return keys(to(w.approved(t), 7), "enter") },
		"resume question":  func() *App { return w.app(&Progress{Current: 3, Done: []bool{true, true, true}}) },
		"quit question":    func() *App { return keys(to(w.app(nil), 3), "f", "ctrl+c") },
		"8 answered, help": func() *App { return keys(to(w.approved(t), 7), "enter", "?") },
	}
}

// state is what a key can visibly change: the screen, the step, the marks, the calls out.
// Any key clears the notice line, so a notice from before does not count.
func state(a *App, h *uitest.Harness) string {
	h.Mu.Lock()
	defer h.Mu.Unlock()
	return fmt.Sprintf("%s|%d|%v|%v|%d|%d|%v", a.View(), a.current, a.done, a.Quitting, len(h.Copied), len(h.Opened), a.notice)
}

// TestFooterTruth: on every screen, each key the footer or the full help names does
// something visible, and no other key does anything (outside text fields, where keys type).
func TestFooterTruth(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	candidates := []string{"enter", "esc", "tab", " ", "up", "down", "pgup", "pgdown", "home", "end", "?"}
	for c := 'a'; c <= 'z'; c++ {
		candidates = append(candidates, string(c))
	}
	for name, build := range screens(t, w) {
		t.Run(name, func(t *testing.T) {
			a := build()
			a.View()
			acts := a.actions()
			if len(acts) == 0 {
				t.Fatalf("no keys offered:\n%s", a.View())
			}
			// The footer shows the short help; ? shows every key. It never overflows the line.
			footer := a.footer()
			for _, l := range strings.Split(footer, "\n") {
				if n := len([]rune(l)); n > 80 {
					t.Errorf("footer line of %d columns: %q", n, l)
				}
			}
			for _, act := range acts {
				if act.Full || act.Do == nil {
					continue
				}
				if !strings.Contains(footer, act.Key.Help().Key) && !strings.Contains(footer, "…") {
					t.Errorf("%q is offered but not in the footer %q", act.Key.Help().Key, footer)
				}
			}
			advertised := map[string]bool{}
			for _, act := range acts {
				for _, k := range act.Key.Keys() {
					advertised[k] = true
				}
				if act.Do == nil {
					continue // a field's own key: huh's business
				}
				b := build()
				b.notice = ""
				before := state(b, w.H)
				// Scrolling up needs somewhere to scroll from.
				if k := act.Key.Keys()[0]; k == "up" || k == "pgup" || k == "home" {
					uitest.Run(upd(b), uitest.Press("end"), quick)
					b.notice = ""
					before = state(b, w.H)
				}
				uitest.Run(upd(b), uitest.Press(act.Key.Keys()[0]), quick)
				if state(b, w.H) == before {
					t.Errorf("%s (%s) changed nothing:\n%s", act.Key.Help().Key, act.Key.Help().Desc, b.View())
				}
			}
			if a.resume == nil && !a.confirmQuit && a.steps[a.current].Capturing() {
				return // letters belong to the field
			}
			for _, k := range candidates {
				if advertised[k] {
					continue
				}
				a.notice = ""
				before := state(a, w.H)
				uitest.Run(upd(a), uitest.Press(k), quick)
				if after := state(a, w.H); after != before {
					t.Errorf("%q is not in the help but changed the screen:\n%s", k, a.View())
					a = build()
				}
			}
		})
	}
}

// The step list gives up what does not fit in order: first the other steps' numbers (the
// bokmål names did not fit 80 columns, and all of them went), then their names; the current
// step keeps its number and name at every width.
func TestStepListGivesUpNumbersBeforeNames(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := to(w.app(nil), 4)
	for _, c := range []struct {
		width int
		want  string
	}{
		{80, " ○ 1 Env ○ 2 Scopes ○ 3 Key ○ 4 System ● 5 Request ○ 6 Approve ○ 7 Token ○ 8 API"},
		{70, " ○ Env ○ Scopes ○ Key ○ System ● 5 Request ○ Approve ○ Token ○ API"},
		{60, " ○1 ○2 ○3 ○4 ● 5 Request ○6 ○7 ○8"},
	} {
		sized(a, c.width, 24)
		if got := strings.Split(a.View(), "\n")[1]; strings.TrimRight(got, " ") != c.want {
			t.Errorf("at %d columns the step list is\n%q, want\n%q", c.width, got, c.want)
		}
	}
}

package ui

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
)

const quick = 2 * time.Second // the harness has no timers: only cursor blinks wait

// world is one sandbox with a registered (agent) system, shared by the screens a test builds;
// every screen gets its own wizard and flow.
type world struct {
	h    *harness
	def  altinn.SystemDefinition
	json string
	refs atomic.Int64
}

func newWorld(t *testing.T) *world {
	h := newHarness(t)
	f, err := steps.ReadSystemFile(h.systemFile(t), h.env.Session.Catalog(h.env.Base), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := steps.RegisterSystem(h.env.Base, h.env.Session, f.Definition, false); err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(f.Definition)
	return &world{h: h, def: f.Definition, json: string(data)}
}

// app is a new wizard at 80×24 on a fresh flow.
func (w *world) app(saved *Progress) *App {
	env := *w.h.env
	env.Flow = &Flow{}
	a := New(&env, saved)
	sized(a, 80, 24)
	return a
}

// registered is a wizard whose flow holds the registered system.
func (w *world) registered() *App {
	a := w.app(nil)
	f := a.env.Flow
	f.SystemID, f.SystemJSON = w.def.ID, w.json
	for _, p := range w.def.AccessPackages {
		f.Packages = append(f.Packages, p.URN)
	}
	return a
}

// requested is a wizard whose flow holds a new request (its own external reference).
func (w *world) requested(t *testing.T) *App {
	a := w.registered()
	ref := fmt.Sprintf("ref-%d-%d", time.Now().UnixNano(), w.refs.Add(1))
	r, err := steps.CreateRequest(w.h.env.Base, w.h.env.Session, steps.RequestParams{SystemID: w.def.ID, OrgNo: "313367002",
		Packages: a.env.Flow.Packages, Agent: true, ExternalRef: ref})
	if err != nil {
		t.Fatal(err)
	}
	f := a.env.Flow
	f.CustomerOrg, f.Agent, f.ExternalRef = "313367002", true, ref
	f.RequestID, f.ConfirmURL, f.Status = r.Request.ID, r.Request.ConfirmURL, r.Request.Status
	f.RequestPackages = f.Packages
	return a
}

func (w *world) approved(t *testing.T) *App {
	a := w.requested(t)
	if _, err := w.h.sb.Approve(a.env.Flow.RequestID); err != nil {
		t.Fatal(err)
	}
	a.env.Flow.Status = altinn.StatusAccepted
	return a
}

// to moves a wizard to step i and lets it settle.
func to(a *App, i int) *App {
	runCmd(upd(a), a.goTo(i), quick)
	return a
}

func keys(a *App, ks ...string) *App {
	for _, k := range ks {
		run(upd(a), press(k), quick)
	}
	return a
}

// screens are the step states the journeys reach, each built from scratch.
func screens(t *testing.T, w *world) map[string]func() *App {
	return map[string]func() *App{
		"1 checked":       func() *App { a := w.app(nil); runCmd(upd(a), a.Init(), quick); return a },
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
			if _, err := w.h.sb.Reject(a.env.Flow.RequestID); err != nil {
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
func state(a *App, h *harness) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return fmt.Sprintf("%s|%d|%v|%v|%d|%d|%v", a.View(), a.current, a.done, a.Quitting, len(h.copied), len(h.opened), a.notice)
}

// keyOf turns a binding's first key into a key message.
func keyOf(k string) tea.KeyMsg {
	switch k {
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "home":
		return tea.KeyMsg{Type: tea.KeyHome}
	case "end":
		return tea.KeyMsg{Type: tea.KeyEnd}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case " ":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return press(k)
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
				if act.full || act.do == nil {
					continue
				}
				if !strings.Contains(footer, act.key.Help().Key) && !strings.Contains(footer, "…") {
					t.Errorf("%q is offered but not in the footer %q", act.key.Help().Key, footer)
				}
			}
			advertised := map[string]bool{}
			for _, act := range acts {
				for _, k := range act.key.Keys() {
					advertised[k] = true
				}
				if act.do == nil {
					continue // a field's own key: huh's business
				}
				b := build()
				b.notice = ""
				before := state(b, w.h)
				// Scrolling up needs somewhere to scroll from.
				if k := act.key.Keys()[0]; k == "up" || k == "pgup" || k == "home" {
					run(upd(b), keyOf("end"), quick)
					b.notice = ""
					before = state(b, w.h)
				}
				run(upd(b), keyOf(act.key.Keys()[0]), quick)
				if state(b, w.h) == before {
					t.Errorf("%s (%s) changed nothing:\n%s", act.key.Help().Key, act.key.Help().Desc, b.View())
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
				before := state(a, w.h)
				run(upd(a), keyOf(k), quick)
				if after := state(a, w.h); after != before {
					t.Errorf("%q is not in the help but changed the screen:\n%s", k, a.View())
					a = build()
				}
			}
		})
	}
}

package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// waitView waits until the program's own view holds every text and has settled, and returns
// it: it reads the screen's state, not the byte stream, so a golden is the screen a user sees.
func waitView(t *testing.T, tm *teatest.TestModel, texts ...string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := snapshot(tm)
		missing := ""
		for _, x := range texts {
			if !strings.Contains(s, x) {
				missing = x
				break
			}
		}
		if missing == "" {
			if s = settled(tm, ""); containsAll(s, texts) {
				return s
			}
		} else if time.Now().After(deadline) {
			t.Fatalf("the screen never showed %q:\n%s", missing, s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func containsAll(s string, texts []string) bool {
	for _, x := range texts {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}

// TestEveryStepScreenInNorwegianAndEnglish (an ASCII name: teatest types the temporary path,
// named after the test, byte by byte) walks the standard flow at 80×24 in bokmål and English and
// compares every step's settled screen with its golden file (testdata/lang-<lang>-*.golden).
// It waits on the catalogue's own texts, so a missing or renamed message fails here, and it
// checks that each screen fits 80×24 and that no message id leaked onto it.
func TestEveryStepScreenInNorwegianAndEnglish(t *testing.T) {
	t.Parallel()
	for _, lang := range []i18n.Lang{i18n.EN, i18n.NB} {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			h := uitest.NewHarness(t)
			h.UseLang(lang)
			p := h.Env.Text
			sys := h.SystemFile(t)
			tm := teatest.NewTestModel(t, New(h.Env, nil), teatest.WithInitialTermSize(80, 24))
			n := 0
			screen := func(name string, texts ...string) {
				t.Helper()
				s := waitView(t, tm, texts...)
				lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
				if len(lines) > 24 {
					t.Errorf("%s: %d lines, more than 24:\n%s", name, len(lines), s)
				}
				for i, l := range lines {
					if w := lipgloss.Width(l); w > 80 {
						t.Errorf("%s: line %d is %d columns wide: %q", name, i+1, w, l)
					}
				}
				for _, area := range []string{"page.", "kit.", "ui.", "steps.", "token."} {
					if strings.Contains(s, " "+area) {
						t.Errorf("%s: a message id shows on screen:\n%s", name, s)
					}
				}
				n++
				uitest.Golden(t, fmt.Sprintf("lang-%s-%02d-%s", lang, n, name), s)
			}
			title := func(n int, id string) string { return p.T("ui.step_heading", "N", n, "Title", p.T(id)) }

			screen("env", title(1, "page.env.title"), p.T("steps.doctor.clock_ok", "Offset", p.Duration(0), "Max", p.Duration(5*time.Second)))
			tm.Send(uitest.Press("enter"))
			screen("scopes", title(2, "page.scopes.title"), p.T("steps.doctor.scope_ok", "Seconds", 120))
			tm.Send(uitest.Press("enter"))
			screen("key", title(3, "page.key.title"))
			tm.Send(uitest.Press("enter"))
			screen("system", title(4, "page.system.title"), opening(p.T("page.system.choose")))
			tm.Send(uitest.Press("i"))
			waitView(t, tm, p.T("page.system.form.path"))
			typeSlowly(tm, sys)
			tm.Send(uitest.Press("enter"))
			screen("system-json", p.T("page.system.json"))
			tm.Send(uitest.Press("enter"))
			screen("system-created", p.T("page.system.result", "ID", "974761076_skatt_demo_system", "Action", p.T("steps.register.action.created")))
			tm.Send(uitest.Press("enter"))
			// The number's help is a DescriptionFunc, which huh draws a frame later.
			screen("request", title(5, "page.request.title"), p.T("page.request.form.org"), opening(p.T("page.request.form.org_help")))
			sendSettled(tm, uitest.Press("enter"))
			typeSlowly(tm, "313367002")
			tm.Send(uitest.Press("enter"))
			waitView(t, tm, p.T("page.request.form.packages"))
			sendSettled(tm, uitest.Press("enter")) // the system's packages are chosen already
			for i := 0; i < 3; i++ {               // agent (chosen for us), external reference, redirect URL
				sendSettled(tm, uitest.Press("enter"))
			}
			screen("request-created", p.T("page.request.created"), "Lystig Ærlig Tiger AS") // the name arrives by itself
			tm.Send(uitest.Press("enter"))
			// The first status check has answered (under load the screen could still say
			// "checking…"): wait for its count.
			polled := p.T("page.approval.next_check", "In", "\x00", "Polls", 1)
			screen("approval", title(6, "page.approval.title"), polled[strings.Index(polled, "\x00")+1:])
			tm.Send(uitest.Press("a")) // approved as the customer: the step moves on to the token
			screen("token", title(7, "page.token.title"), p.T("kit.inspector.verified"))
			tm.Send(uitest.Press("enter"))
			screen("call", title(8, "page.call.title"), "URL:")
			tm.Send(uitest.Press("enter"))
			screen("call-answer", "HTTP 200 OK", p.T("page.call.all_done"))
			tm.Send(uitest.Press("q"))
			tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
		})
	}
}

// opening is a message's first words: a long message wraps on screen.
func opening(s string) string {
	w := strings.Fields(s)
	return strings.Join(w[:min(len(w), 3)], " ")
}

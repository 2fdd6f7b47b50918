package page

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// nbScreen is one step's screen in bokmål and the words it must hold.
type nbScreen struct {
	name  string
	view  func() string
	words []string
}

// inBokmal is the world's env for flow f, speaking bokmål.
func inBokmal(w *uitest.World, f *kit.Flow) *kit.Env {
	env := w.EnvWith(f)
	env.Text = i18n.MustNew(i18n.NB)
	return env
}

// TestStepsInBokmål renders each step of the wizard in bokmål: no message is missing (⟨id⟩),
// no line is wider than 80 cells at width 78, and Altinn's words are there.
func TestStepsInBokmål(t *testing.T) {
	w := uitest.NewWorld(t)
	nb := func(f *kit.Flow) *kit.Env { return inBokmal(w, f) }
	run := func(s kit.Step, cmd tea.Cmd) {
		uitest.RunCmd(s.Update, cmd, uitest.Wait)
	}
	var screens []nbScreen
	add := func(name string, s kit.Step, words ...string) {
		s.SetSize(78, 22)
		screens = append(screens, nbScreen{name: name, words: words, view: func() string {
			// The root wraps a step's view to the screen (kit.WrapText) and lays out the footer.
			return s.Title() + "\n" + s.Short() + "\n" + kit.WrapText(s.View(), 78) + "\n" + footer(s)
		}})
	}

	env, check := NewEnv(nb(w.Registered()), 0), NewScopes(nb(w.Registered()), 1)
	add("env", env, "Maskinporten")
	add("scopes", check, "scope")

	key := NewKey(nb(w.Registered()), 2)
	key.SetSize(78, 22)
	run(key, key.Enter())
	add("key", key, "nøkkel")

	sys := NewSystem(nb(w.Registered()), 3)
	sys.SetSize(78, 22)
	run(sys, sys.Enter())
	add("system", sys, "systemregister")
	sysForm := NewSystem(nb(&kit.Flow{}), 3)
	sysForm.SetSize(78, 22)
	run(sysForm, sysForm.Enter())
	run(sysForm, sysForm.openForm())
	add("system form", sysForm, "System-ID", "Navn")

	req := NewRequest(nb(w.Registered()), 4)
	req.SetSize(78, 22)
	run(req, req.edit())
	add("request form", req, "systemtilgang", "organisasjonsnummer", "Tilgangspakker")
	reqDone := NewRequest(nb(w.Requested(t)), 4)
	reqDone.SetSize(78, 22)
	run(reqDone, reqDone.Enter())
	add("request", reqDone, "Forespørsel", "Kunde", "klienter")

	appr := NewApproval(nb(w.Requested(t)), 5)
	appr.SetSize(78, 22)
	run(appr, appr.Enter())
	add("approval", appr, "Godkjenn", "Tilgangsstyrer")
	noReq := NewApproval(nb(&kit.Flow{}), 5)
	add("approval without request", noReq, "forespørsel")

	tok := NewToken(nb(w.Approved(t)), 6)
	tok.SetSize(78, 22)
	run(tok, tok.Enter())
	add("token", tok, "systembruker")
	tokForm := NewToken(nb(w.Approved(t)), 6)
	tokForm.SetSize(78, 22)
	run(tokForm, tokForm.edit())
	add("token form", tokForm, "Virksomheten som eier systembrukeren")

	call := NewCall(nb(w.Approved(t)), 7)
	call.SetSize(78, 22)
	add("call", call, "systembruker", "Kall API-et")

	for _, sc := range screens {
		v := sc.view()
		if strings.Contains(v, "⟨") {
			t.Errorf("%s: a message is missing:\n%s", sc.name, v)
		}
		for _, line := range strings.Split(v, "\n")[:strings.Count(v, "\n")] { // the footer's width is the root's
			if lipgloss.Width(line) > 80 {
				t.Errorf("%s: line %d cells wide: %q", sc.name, lipgloss.Width(line), line)
			}
		}
		for _, word := range sc.words {
			if !strings.Contains(strings.ToLower(v), strings.ToLower(word)) {
				t.Errorf("%s: %q is not on the screen:\n%s", sc.name, word, v)
			}
		}
	}
}

// footer is the step's key help as the root shows it: key and label.
func footer(s kit.Step) string {
	var parts []string
	for _, a := range s.Actions() {
		h := a.Key.Help()
		parts = append(parts, h.Key+" "+h.Desc)
	}
	return strings.Join(parts, " · ")
}

// TestAltinnAdviceCopies: the English copies of altinn's advice (for parity) are the advice.
func TestAltinnAdviceCopies(t *testing.T) {
	en := i18n.MustNew(i18n.EN)
	for id, want := range map[string]string{"page.approval.advice.escalated": altinn.EscalatedAdvice, "page.approval.advice.waiting": altinn.WaitingAdvice} {
		if got := en.T(id, "Question", altinn.EscalateQuestionNB, "Button", altinn.EscalateButtonNB); got != want {
			t.Errorf("%s:\n got %q\nwant %q", id, got, want)
		}
		if nb := i18n.MustNew(i18n.NB).T(id); strings.Contains(nb, "⟨") {
			t.Errorf("%s is missing in nb", id)
		}
	}
}

// huh's yes/no buttons say "Yes" and "No" unless told: the agent question in bokmål has
// "Ja" and "Nei", as its footer does.
func TestConfirmButtonsInBokmal(t *testing.T) {
	w := uitest.NewWorld(t)
	env := inBokmal(w, w.Registered())
	req := NewRequest(env, 4)
	req.SetSize(78, 22)
	uitest.RunCmd(req.Update, req.edit(), uitest.Wait)
	for _, k := range []string{"313367002", "enter", "enter"} { // org, the system's packages
		uitest.Run(req.Update, uitest.Press(k), uitest.Quick)
	}
	v := req.View()
	if !strings.Contains(v, env.T("page.request.form.agent")) {
		t.Fatalf("not at the agent question:\n%s", v)
	}
	if !strings.Contains(v, "Ja") || !strings.Contains(v, "Nei") || strings.Contains(v, "Yes") || strings.Contains(v, " No ") {
		t.Fatalf("the buttons are not in bokmål:\n%s", v)
	}
}

// The redirect field's error is said in bokmål like the other fields' (it was English), and
// still carries the code the server would answer.
func TestRedirectErrorInBokmal(t *testing.T) {
	w := uitest.NewWorld(t)
	env := inBokmal(w, w.Registered())
	s := NewSystem(env, 3)
	err := s.checkRedirects("https://ok.example/cb, http://x.no/cb")
	var viol altinn.Violation
	if err == nil || !errors.As(err, &viol) || viol.Code != altinn.CodeVldRedirectFormat {
		t.Fatalf("want the redirect violation, got %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "ikke absolutte https-URL-er: http://x.no/cb") || strings.Contains(msg, "not absolute") {
		t.Fatalf("not in bokmål: %q", msg)
	}
	if err := s.checkRedirects("https://ok.example/cb"); err != nil {
		t.Fatalf("a good URL is refused: %v", err)
	}
}

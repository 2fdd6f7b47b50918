package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// screenFits checks a screen is exactly the terminal: no line wider, no line more.
func screenFits(t *testing.T, screen string, w, h int) {
	t.Helper()
	lines := strings.Split(screen, "\n")
	if len(lines) != h {
		t.Errorf("%d lines, want %d", len(lines), h)
	}
	for _, l := range lines {
		if n := len([]rune(l)); n > w {
			t.Errorf("line wider than %d (%d): %q", w, n, l)
		}
	}
}

func backspaces(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "backspace"
	}
	return out
}

// Defect 1: a bad value in every form field shows its message on screen at 80×24, next to
// the form, and what was typed stays.
func TestFormErrorsAreVisible(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p12 := filepath.Join(t.TempDir(), "dir.p12")
	if err := os.Mkdir(p12, 0o700); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		build func() *App
		keys  []string
		want  string // the error
		kept  string // what was typed
	}{
		{"system id", func() *App { return to(w.app(nil), 3) }, []string{"f", "my system", "enter"}, "contains a space", "974761076_my system"},
		{"system id empty", func() *App { return to(w.app(nil), 3) }, []string{"f", "ctrl+u", "enter"}, "the system id is required: 974761076_<name>", "System id"},
		{"system name", func() *App { return to(w.app(nil), 3) }, []string{"f", "demo", "enter", "enter"}, "the name is required", "974761076_demo"},
		{"redirect URL", func() *App { return to(w.app(nil), 3) },
			[]string{"f", "demo", "enter", "Demo", "enter", "A demo", "enter", "enter", "enter", "enter", "http://example.com/cb", "enter"},
			"not absolute https", "http://example.com/cb"},
		{"import path", func() *App { return to(w.app(nil), 3) }, []string{"i", "/no/such/system.json", "enter"}, "cannot read /no/such/system.json", "/no/such/system.json"},
		{"PKCS#12 path", func() *App { return to(w.app(nil), 2) }, []string{"p", p12, "enter"}, "is a directory", p12},
		{"customer org", func() *App { return to(w.registered(), 4) }, []string{"57623423", "enter"}, "must be exactly 9 digits", "57623423"},
		// The agent question has no wrong answer left: with a client package, n keeps Yes
		// (page.TestRequestAgentQuestionKeepsYesForClientPackages).
		{"external ref", func() *App { return to(w.registered(), 4) }, []string{"313367002", "enter", "enter", "enter", "a/b", "enter"}, "without / ? #", "a/b"},
		{"token org", func() *App { return to(w.approved(t), 6) }, []string{"e", "9", "enter"}, "must be exactly 9 digits", "3133670029"},
		{"token scope", func() *App { return to(w.approved(t), 6) }, []string{"e", "enter", "enter", " x", "enter"}, "one scope", "x"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a := c.build()
			keys(a, c.keys...)
			screen := a.View()
			screenFits(t, screen, 80, 24)
			if !strings.Contains(screen, c.want) || !strings.Contains(screen, c.kept) {
				t.Fatalf("want %q and %q on screen:\n%s", c.want, c.kept, screen)
			}
			if !a.steps[a.current].Capturing() {
				t.Fatalf("the form closed on a bad value:\n%s", screen)
			}
		})
	}
}

// Defect 2: editing a registered system and finishing the form offers to register the
// change, and registering it updates the system register.
func TestEditRegisteredSystemUpdatesIt(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := to(w.registered(), 3)
	a.done[3] = true
	if !uitest.Offers(a.steps[3], "enter", "continue") {
		t.Fatalf("registered system not shown as registered:\n%s", a.View())
	}
	keys(a, "e", "enter", " v2", "enter", "enter", "enter", "enter", "enter", "enter", "enter")
	if a.steps[3].Capturing() || !uitest.Offers(a.steps[3], "enter", "register or update") || a.done[3] {
		t.Fatalf("after the edit: done=%v\n%s", a.done, a.View())
	}
	if strings.Contains(a.View(), "registered earlier") {
		t.Fatalf("the old result is still shown:\n%s", a.View())
	}
	keys(a, "enter")
	if !strings.Contains(a.View(), "updated") || !a.done[3] {
		t.Fatalf("register:\n%s", a.View())
	}
	got, err := w.H.Env.Session.Altinn().GetSystem(w.H.Env.Base, w.Def.ID)
	if err != nil || got.Name["nb"] != "Skatteetatens Test SBS v2" {
		t.Fatalf("system register has %+v, %v", got, err)
	}
}

// Defect 3: a second request in one session: the later steps start over, the approval
// follows the new request, and the token is the new system user's.
func TestSecondRequestInOneSession(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := to(w.approved(t), 5)
	a = to(a, 6)
	first := shownSystemUser(a)
	if first == "" {
		t.Fatalf("first token:\n%s", a.bodyContent())
	}
	firstReq := a.env.Flow.RequestID
	for i := range a.done {
		a.done[i] = true
	}
	to(a, 4)
	keys(a, "e", "enter", "enter", "enter", "-second", "enter", "enter")
	if a.env.Flow.RequestID == firstReq || a.env.Flow.Status != altinn.StatusNew {
		t.Fatalf("no new request: %+v\n%s", a.env.Flow, a.View())
	}
	if a.done[5] || a.done[6] || a.done[7] || !a.done[4] {
		t.Fatalf("later steps still done: %v", a.done)
	}
	to(a, 5)
	if !strings.Contains(a.View(), "Status New") || !uitest.Offers(a.steps[5], "a", "") {
		t.Fatalf("approval of the new request:\n%s", a.View())
	}
	keys(a, "a") // approves and moves on to the token
	if a.current != 6 {
		t.Fatalf("after approving: step %d\n%s", a.current+1, a.View())
	}
	if second := shownSystemUser(a); second == "" || second == first {
		t.Fatalf("token is not the second system user's (first %v):\n%s", first, a.bodyContent())
	}
	if !strings.Contains(a.View(), "-second") {
		t.Fatalf("token step does not name the new external reference:\n%s", a.View())
	}
}

// Defect 4: the note under the organisation number describes the number in the field.
func TestOrgNoteFollowsTheField(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := to(w.registered(), 4)
	keys(a, "923456783")
	if v := a.View(); !strings.Contains(v, "923456783: not one of the sandbox's organisations") {
		t.Fatalf("unknown org:\n%s", v)
	}
	keys(a, backspaces(9)...)
	keys(a, "313367002")
	v := a.View()
	if !strings.Contains(v, "313367002: Lystig Ærlig Tiger AS") || strings.Contains(v, "923456783") {
		t.Fatalf("the note is not about the number in the field:\n%s", v)
	}
}

// Defect 5: a step taller than the screen scrolls, with a position marker, to its end.
func TestLongStepScrolls(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := to(w.approved(t), 6)
	v := a.View()
	if strings.Contains(v, "consumer") || !strings.Contains(v, "lines 1–") || !strings.Contains(v, "↑/↓ pgup/pgdn home/end scroll") {
		t.Fatalf("top of the token step:\n%s", v)
	}
	keys(a, "end")
	v = a.View()
	if !strings.Contains(v, "consumer") || !strings.Contains(v, "jti") {
		t.Fatalf("end of the token step:\n%s", v)
	}
	screenFits(t, v, 80, 24)
	keys(a, "c")
	if !strings.Contains(a.View(), "Token copied") {
		t.Fatalf("the copy message is not on screen:\n%s", a.View())
	}
}

// Defect 6: esc leaves the system form (a following f is not typed into a field).
func TestEscLeavesTheForm(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := to(w.app(nil), 3)
	keys(a, "f", "demo", "esc")
	if a.steps[3].Capturing() {
		t.Fatalf("esc did not leave the form:\n%s", a.View())
	}
	keys(a, "f")
	if v := a.bodyContent(); !strings.Contains(v, "974761076_demo") || !a.steps[3].Capturing() {
		t.Fatalf("f after esc: the form lost the id:\n%s", v)
	}
	// The approval step offers approving only while the request waits.
	b := to(w.approved(t), 5)
	b = to(b, 5)
	if uitest.Offers(b.steps[5], "a", "") || uitest.Offers(b.steps[5], "x", "") {
		t.Fatal("approve offered after the decision")
	}
	// Editing step 8's URL says how to call and how to cancel.
	c := keys(to(w.approved(t), 7), "u")
	if f := c.footer(); !strings.Contains(f, "enter call this URL") || !strings.Contains(f, "esc cancel the edit") {
		t.Fatalf("URL edit footer: %q", f)
	}
}

// Defect 7: quitting saves where the user is, without a host; a new process resumes there,
// with the step bar showing the saved marks and the request's answers restored.
func TestQuitAndResumeAtTheStep(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := to(w.requested(t), 5)
	a.done = []bool{true, true, true, true, true, false, false, false}
	a.env.Flow.Redirect = "https://skatteetaten.no/sbs"
	keys(a, "q")
	if !a.Quitting || !strings.Contains(a.ExitNote(), "resume at step 6") {
		t.Fatalf("quit: %v %q", a.Quitting, a.ExitNote())
	}
	path := ProgressPath(a.env.Opts.StateDir, "sandbox", "sandbox")
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "127.0.0.1") || strings.Contains(string(raw), "http") && !strings.Contains(string(raw), "https://skatteetaten.no/sbs") {
		t.Fatalf("progress holds a host: %s", raw)
	}
	p, err := LoadProgress(i18n.English(), path)
	if err != nil || p.Current != 5 {
		t.Fatalf("progress %+v %v", p, err)
	}
	b := w.app(p)
	if bar := b.stepList(); !strings.Contains(bar, "✓ 5 Request") || !strings.Contains(bar, "● 6 Approve") {
		t.Fatalf("step bar under the question: %q", bar)
	}
	uitest.RunCmd(upd(b), b.handleKey(uitest.Press("r")), quick)
	if b.current != 5 || b.env.Flow.ConfirmURL == "" || !strings.Contains(b.View(), b.env.Flow.ConfirmURL[:30]) {
		t.Fatalf("resumed:\n%s", b.View())
	}
	to(b, 4)
	// The step shows the saved request, and its answers (which the edit form starts from) are back.
	if v := b.bodyContent(); !strings.Contains(v, b.env.Flow.RequestID) || b.env.Flow.Redirect != "https://skatteetaten.no/sbs" || len(b.env.Flow.RequestPackages) != 2 {
		t.Fatalf("request answers not restored: %+v\n%s", b.env.Flow, v)
	}
	// ctrl+c outside a form quits with the same note.
	b.Update(uitest.Press("ctrl+c"))
	if !b.Quitting || !strings.Contains(b.ExitNote(), "step 5") {
		t.Fatalf("ctrl+c: %q", b.ExitNote())
	}
}

// Defect 8: wrapping never breaks a URL or code at a hyphen.
func TestWrapKeepsValuesWhole(t *testing.T) {
	t.Parallel()
	in := "✗ the server answered AUTH-00000 for urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet at http://127.0.0.1:4000/maskinporten/.well-known/oauth-authorization-server"
	for _, w := range []int{30, 58, 78} {
		out := kit.WrapText(in, w)
		for _, l := range strings.Split(out, "\n") {
			if len([]rune(l)) > w {
				t.Errorf("width %d: line too wide %q", w, l)
			}
			if strings.HasSuffix(l, "-") {
				t.Errorf("width %d: broken at a hyphen: %q", w, l)
			}
		}
		if !strings.Contains(out, "AUTH-00000") || (w >= 78 && !strings.Contains(out, "regnskapsforer-med-signeringsrettighet")) {
			t.Errorf("width %d: a value was split:\n%s", w, out)
		}
	}
	w := newWorld(t)
	a := w.app(nil)
	sized(a, 60, 20)
	uitest.RunCmd(upd(a), a.Init(), quick)
	for _, l := range strings.Split(a.View(), "\n") {
		// A value longer than the line is cut at the width; anything shorter never breaks.
		if l = strings.TrimRight(l, " "); strings.HasSuffix(l, "-") && len([]rune(l)) < 59 {
			t.Errorf("60 columns: broken at a hyphen: %q", l)
		}
	}
}

// Defect 9: sizes. The small-terminal message fits 40×10; the step bar fits 60 columns; the
// QR code's stated need is true.
func TestSizesAreTrue(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := to(w.requested(t), 5)
	sized(a, 40, 10)
	if v := a.View(); !strings.Contains(v, "enlarge the window.") || strings.Count(v, "\n") >= 10 {
		t.Fatalf("40×10:\n%s", v)
	}
	sized(a, 60, 20)
	if bar := a.stepList(); !strings.Contains(bar, "● 6 Approve") || len([]rune(bar)) > 60 {
		t.Fatalf("60 columns: %q", bar)
	}
	sized(a, 80, 24)
	v := a.View()
	if strings.Contains(v, "██") {
		t.Skip("the QR code fits 80×24 for this URL")
	}
	// The note names only what is short: rows, columns, or both.
	flat := strings.Join(strings.Fields(v), " ")
	if !strings.Contains(flat, "the QR code needs") {
		t.Fatalf("no stated need:\n%s", v)
	}
	rows, cols := 0, 0
	if m := regexp.MustCompile(`(\d+) more rows?\b`).FindStringSubmatch(flat); m != nil {
		rows, _ = strconv.Atoi(m[1])
	}
	if m := regexp.MustCompile(`(\d+) more columns?\b`).FindStringSubmatch(flat); m != nil {
		cols, _ = strconv.Atoi(m[1])
	}
	if rows == 0 && cols == 0 || strings.Contains(flat, " 0 more") {
		t.Fatalf("a need of nothing:\n%s", v)
	}
	sized(a, 80+cols, 24+rows)
	if v := a.View(); !strings.Contains(v, "██") {
		t.Fatalf("at %d×%d, as stated, still no QR code:\n%s", 80+cols, 24+rows, v)
	}
}

// Defect 10: polish.
func TestPolish(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// Full help rows all start indented.
	a := keys(to(w.approved(t), 7), "enter", "?")
	for _, l := range strings.Split(a.footer(), "\n") {
		if l != "" && !strings.HasPrefix(l, " ") {
			t.Errorf("full help row at column 0: %q", l)
		}
	}
	// The request form starts with the system's packages chosen, and no error.
	b := to(w.registered(), 4)
	if v := b.View(); strings.Contains(v, "choose at least one") {
		t.Errorf("error before the field was touched:\n%s", v)
	}
	// Without colours the QR code can be inverted.
	d := to(w.requested(t), 5)
	sized(d, 120, 60)
	plain := d.View()
	if !strings.Contains(plain, "i inverts") {
		t.Fatalf("no invert hint:\n%s", plain)
	}
	keys(d, "i")
	if d.View() == plain {
		t.Error("i did not invert the QR code")
	}
	_ = tea.Quit
}

// Error states at 80×24, as goldens.
func TestErrorGoldens(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cases := map[string]func() *App{
		"error-system-id":     func() *App { return keys(to(w.app(nil), 3), "f", "my system", "enter") },
		"error-import-path":   func() *App { return keys(to(w.app(nil), 3), "i", "/no/such/system.json", "enter") },
		"error-system-checks": func() *App { return keys(to(w.app(nil), 3), "i", w.H.SystemFile(t)+"x", "enter") },
		"error-customer-org":  func() *App { return keys(to(w.registered(), 4), "57623423", "enter") },
		"error-call-mp303":    func() *App { a := to(w.registered(), 7); a.env.Flow.CustomerOrg = "999999999"; return keys(a, "enter") },
		"error-too-small":     func() *App { a := w.app(nil); sized(a, 40, 10); return a },
	}
	seed := filepath.Join(filepath.Dir(w.H.SystemFile(t)), "system.jsonx")
	raw, _ := os.ReadFile("../domain/altinn/testdata/seed-page-system.json")
	if err := os.WriteFile(seed, raw, 0o600); err != nil { // the seed page as published
		t.Fatal(err)
	}
	for name, build := range cases {
		t.Run(name, func(t *testing.T) {
			uitest.Golden(t, name, build().View())
		})
	}
}

// Defect 10: asking again for the very same request says so, without claiming that new
// packages were not applied.
func TestSameRequestAgainSaysSo(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := steps.RequestParams{SystemID: w.Def.ID, OrgNo: "313367002", Agent: true, ExternalRef: "same",
		Packages: []string{"regnskapsforer-med-signeringsrettighet", "skattegrunnlag"}}
	if _, err := steps.CreateRequest(w.H.Env.Base, w.H.Env.Session, p); err != nil {
		t.Fatal(err)
	}
	r, err := steps.CreateRequest(w.H.Env.Base, w.H.Env.Session, p)
	if err != nil || r.Created || strings.Contains(r.Note, "not applied") || !strings.Contains(r.Note, "same request") {
		t.Fatalf("%+v %v", r, err)
	}
	p.Packages = p.Packages[:1]
	if r, err = steps.CreateRequest(w.H.Env.Base, w.H.Env.Session, p); err != nil || !strings.Contains(r.Note, "not applied") {
		t.Fatalf("different packages: %+v %v", r, err)
	}
}

// Defect 9: shrinking the window below the minimum and back keeps a form and what was typed.
func TestResizeKeepsTheForm(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := keys(to(w.app(nil), 3), "f", "resized")
	sized(a, 40, 10)
	if v := a.View(); !strings.Contains(v, "enlarge the window.") {
		t.Fatalf("40×10:\n%s", v)
	}
	sized(a, 80, 24)
	v := a.View()
	screenFits(t, v, 80, 24)
	if !strings.Contains(v, "974761076_resized") || !a.steps[3].Capturing() || !strings.Contains(v, "┃ System id") {
		t.Fatalf("after the resize:\n%s", v)
	}
}

// shownSystemUser is the system user id the token step shows ("" when it shows none).
func shownSystemUser(a *App) string {
	m := regexp.MustCompile(`(?m)^\s*id\s{2,}(\S+)\s*$`).FindStringSubmatch(a.bodyContent())
	if m == nil {
		return ""
	}
	return m[1]
}

// A file that is not a system definition at all, imported over a registered system, is said
// to be so and replaces nothing: step 4 stays done and its registration and later steps stand,
// and e opens the form with the registered system (it opened empty, and step 8 then said all
// eight steps were done with step 4 unmarked).
func TestImportingANonJSONFileKeepsTheRegistration(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := to(w.approved(t), 3)
	a.done[3] = true
	notJSON := filepath.Join(t.TempDir(), "go.mod")
	if err := os.WriteFile(notJSON, []byte("module example.com/x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	id := a.env.Flow.SystemID
	keys(a, "i", notJSON, "enter")
	v := a.View()
	if !strings.Contains(v, notJSON) || !strings.Contains(v, "invalid character 'm'") || a.env.Flow.SystemID != id || a.env.Flow.RequestID == "" || !a.DoneSteps()[3] {
		t.Fatalf("after importing %s (system %q, request %q, done %v):\n%s", notJSON, a.env.Flow.SystemID, a.env.Flow.RequestID, a.DoneSteps(), v)
	}
	if !strings.Contains(v, "System "+id+": registered earlier") || !uitest.Offers(a.steps[3], "e", "") {
		t.Fatalf("the registration's view and keys went with the failed import:\n%s", v)
	}
	keys(a, "e")
	if v := a.View(); !a.steps[3].Capturing() || !strings.Contains(v, strings.TrimPrefix(id, "974761076_")) {
		t.Fatalf("e after the failed import does not open the form with %s:\n%s", id, v)
	}
	keys(a, "esc")
	if v := a.View(); strings.Contains(v, "invalid character") {
		t.Fatalf("the import's error outlived the form:\n%s", v)
	}
}

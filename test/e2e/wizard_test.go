// Package e2e drives the built sbs-tui binary in a real terminal (tmux, on a private socket,
// at 80×24) through the wizard against its embedded sandbox: each test is a user's journey.
package e2e

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"github.com/sbs-tui/sbs-tui/internal/testbin"
)

// journeysAtOnce is how many journeys run side by side unless -parallel says otherwise: a
// journey spends its time waiting for a screen, so go test's default (one per CPU, two on
// CI) left the machine idle for most of the package's minute.
const journeysAtOnce = 6

var binary string

// TestBinaryIsCurrent ties this package's cached results to the sources the binary is built
// from (the build in TestMain is invisible to go test's cache).
func TestBinaryIsCurrent(t *testing.T) {
	if err := testbin.ReadSources("../.."); err != nil {
		t.Fatal(err)
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	parallelSet := false
	flag.Visit(func(f *flag.Flag) { parallelSet = parallelSet || f.Name == "test.parallel" })
	if !parallelSet {
		_ = flag.Set("test.parallel", fmt.Sprint(journeysAtOnce))
	}
	dir, err := os.MkdirTemp("", "sbs-tui-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary, err = testbin.Build("../..", dir) // built once, shared by every journey
	// The binaries, and the tmux servers that start them, inherit this: every sandbox update
	// they make checks that it touched all it changed.
	os.Setenv(world.CheckWritesEnv, "1")
	// English unless a journey asks for Norwegian (LANG=nb_NO.UTF-8 with LC_ALL cleared), so
	// the journeys read the same screens on every machine, whatever its locale.
	os.Setenv("LC_ALL", "C.UTF-8")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// user is one person's machine: a home, a sandbox data directory, a tmux server.
type user struct {
	term     // its tmux server; name is the current session
	home     string
	env      []string
	system   string // the seed page's system, fixed for this sandbox
	seedPage string // the seed page's JSON as published
	clientID string
	runs     int
}

// needTmux skips a test where tmux is missing, except in CI, where .ci/run installs it and a
// missing tmux is a failure.
func needTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is required in CI (.ci/run installs it)")
		}
		t.Skip("tmux not installed")
	}
}

func newUser(t *testing.T) *user {
	t.Helper()
	needTmux(t)
	t.Parallel()
	home := t.TempDir()
	data := filepath.Join(home, "sandbox")
	// Seed the embedded sandbox first, to write a system.json with its vendor's client id.
	sw := sandboxtest.New(t, sandboxtest.Dir(data), sandboxtest.Unserved())
	boot := sw.Boot
	u := &user{term: term{t: t, socket: filepath.Join(home, "tmux.sock")}, home: home, clientID: boot.ClientID,
		env: []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_DATA_HOME=" + filepath.Join(home, "data"),
			"XDG_STATE_HOME=" + filepath.Join(home, "state"), "SBS_TUI_SANDBOX_DATA=" + data, "TERM=xterm-256color"}}
	u.system = writeSeedSystem(t, home, boot.ClientID)
	u.seedPage = filepath.Join(home, "seed-page.json")
	if err := os.WriteFile(u.seedPage, []byte(seedPage(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", u.socket, "kill-server").Run() })
	return u
}

// start runs the wizard (a new process) in a new tmux session of w×h.
func (u *user) start(w, h int, args ...string) {
	u.t.Helper()
	u.runs++ // earlier sessions stay (their process has ended): killing the last would stop the server
	u.name = fmt.Sprintf("run%d", u.runs)
	shell := fmt.Sprintf("env %s %s %s; echo EXIT=$?; sleep 60", strings.Join(u.env, " "), binary, strings.Join(args, " "))
	u.tmux("-f", "/dev/null", "new-session", "-d", "-s", u.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), shell)
}

// see polls the screen until it shows every text (never fixed sleeps), and returns it.
func (u *user) see(texts ...string) string { u.t.Helper(); return u.waitFor(texts...) }

// press sends keys one at a time, each once the wizard has drawn the one before.
func (u *user) press(keys ...string) { u.t.Helper(); u.keys(keys...) }

// enterUntil presses Enter, field by field, until the screen shows text. huh moves between
// fields and groups through commands, so a count of Enters races it, and so does a screen
// that looks settled: after each Enter it waits for the focus to leave the field.
func (u *user) enterUntil(text string, most int) string {
	u.t.Helper()
	for i := 0; i < most; i++ {
		// Between two groups huh draws a frame with no field focused (the last field of one
		// group is blurred, the next group not yet shown); an Enter pressed on that frame
		// lands on the next field unseen, so wait for a focused field or the text.
		s := u.waitUntil("a focused field or "+text, func(s string) bool {
			return strings.Contains(s, text) || focusedField(s) != ""
		})
		if strings.Contains(s, text) {
			break
		}
		u.next(s)
	}
	return u.see(text)
}

// next presses Enter in a form and waits until the focus has left the field it was on (to the
// next field, to the gap between two groups, or out of the form); on a screen with no focused
// field it only presses.
func (u *user) next(screen string) {
	u.t.Helper()
	was := focusedField(screen)
	u.press("Enter")
	if was != "" {
		u.waitUntil("the focus to leave "+was, func(s string) bool { return focusedField(s) != was })
	}
}

// focusedField is the title line of the field huh marks as focused (┃), "" when none is.
func focusedField(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if _, title, ok := strings.Cut(l, "┃ "); ok {
			return strings.TrimSpace(title)
		}
	}
	return ""
}

// typeText types literally.
func (u *user) typeText(s string) { u.t.Helper(); u.text(s) }

// typeKeys types s one key at a time, as a person types (no pasted burst).
func (u *user) typeKeys(s string) {
	u.t.Helper()
	for _, r := range s {
		u.text(string(r)) // each key once the one before has drawn
	}
}

// fits checks that no line is wider than the terminal.
func fits(t *testing.T, screen string, w int) {
	t.Helper()
	for _, line := range strings.Split(screen, "\n") {
		if len([]rune(line)) > w {
			t.Fatalf("a line is wider than %d: %q", w, line)
		}
	}
}

// toSystemStep passes steps 1–3 with the configured key.
func (u *user) toSystemStep() {
	u.see("1. Maskinporten access and clock", "✓ clock", "enter continue")
	u.press("Enter")
	u.see("2. Scopes", "enter continue")
	u.press("Enter")
	u.see("3. Maskinporten client and key", "enter use this key")
	u.press("Enter")
	u.see("4. Register the system", "f fill in the form")
}

// openSystemForm opens step 4's form: its first field, the system id, has the focus.
func (u *user) openSystemForm() {
	u.t.Helper()
	u.press("f")
	u.see("┃ System id")
}

// importSystem imports the system.json at path in step 4 (i, the path, enter).
func (u *user) importSystem(path string) {
	u.t.Helper()
	u.press("i")
	u.see("Path to system.json")
	u.typeText(path)
	u.press("Enter")
}

// register imports the fixed system.json and registers it.
func (u *user) register() {
	u.importSystem(u.system)
	u.see("JSON to send", "enter register or update")
	u.press("Enter")
	u.see("System 974761076_skatt_demo_system: created", "enter continue")
}

// request fills step 5 for 313367002 with the system's packages and ref, and creates it.
func (u *user) request(ref string) {
	u.see("5. Ask the customer", "Customer's organisation number")
	u.typeText("313367002")
	u.answerRequest(ref)
}

// answerRequest goes on from step 5's form with 313367002 in the organisation field.
func (u *user) answerRequest(ref string) {
	u.see("313367002: Lystig Ærlig Tiger AS")
	u.press("Enter")
	u.see("Access packages to ask for")
	u.press("Enter") // the system's packages, chosen already
	u.see("Agent (client) system user?", "Required:")
	u.press("Enter") // agent: chosen for us
	if ref != "" {
		u.typeText(ref)
	}
	u.press("Enter", "Enter") // external reference, redirect URL
	u.see("Created.", "Lystig Ærlig Tiger AS")
}

// toRequestStep passes steps 1–3 and registers the fixed system: step 5's form is on screen.
func (u *user) toRequestStep() {
	u.t.Helper()
	u.toSystemStep()
	u.register()
	u.press("Enter")
	u.see("5. Ask the customer", "Customer's organisation number")
}

// toApprovalStep registers the seed system and asks 313367002: step 6 is on screen.
func (u *user) toApprovalStep() {
	u.t.Helper()
	u.toRequestStep()
	u.request("")
	u.press("Enter")
	u.see("6. The customer approves", "a approve")
}

// toTokenStep goes to step 6 and approves as the customer: step 7 is on screen, and returned.
func (u *user) toTokenStep() string {
	u.t.Helper()
	u.toApprovalStep()
	u.press("a")
	return u.see("7. Token for the system user", "[signature verified]")
}

// toCallStep goes on from the token to step 8 and waits for its screen to show texts too.
func (u *user) toCallStep(texts ...string) string {
	u.t.Helper()
	u.toTokenStep()
	u.press("Enter")
	return u.see(append([]string{"8. Call the API", "URL:"}, texts...)...)
}

var systemUserID = regexp.MustCompile(`id\s+([0-9a-f-]{36})`)

// The seed page's JSON as published (trailing commas, isVisible true, another vendor's
// client id) is imported, fixed in the form, and the journey goes on to an API answer; then
// back and forth across all steps, and a resize to 40×10 and back.
func TestJourneySeedPageToAPIAndBack(t *testing.T) {
	u := newUser(t)
	u.start(80, 24)
	u.toSystemStep()
	u.importSystem(u.seedPage)
	u.see("trailing comma(s) removed", "isVisible: must be false", "e edit")
	u.press("e")
	u.see("System id", "974761076_skatt_demo_system")
	u.press("Enter", "Enter", "Enter") // id, name, description
	u.see("Access packages")
	u.press("Enter", "Enter") // packages, rights
	u.see("Maskinporten client ids", "e6c868ef-d9d6-4847-ba25-409bbd040540")
	u.press("C-u")
	u.typeText(u.clientID)
	u.enterUntil("┃ Visible to customers", 4) // client ids, redirect URLs
	u.press("n")                              // No, and the form is done
	s := u.see("JSON to send", "enter register or update")
	if strings.Contains(s, "isVisible: must be false") {
		t.Fatalf("the fix did not take:\n%s", s)
	}
	u.press("Enter")
	u.see("System 974761076_skatt_demo_system: created", "enter continue")
	u.press("Enter")
	u.request("")
	u.press("Enter")
	u.see("6. The customer approves", "a approve")
	u.press("a") // the approval moves on to the token by itself
	u.see("7. Token for the system user", "[signature verified]", "0192:313367002")
	u.press("Enter")
	u.see("8. Call the API", "URL:")
	u.press("Enter")
	fits(t, u.see("HTTP 200 OK", "All eight steps are done", "Lystig Ærlig Tiger AS"), 80)

	titles := []string{"1. Maskinporten access and clock", "2. Scopes", "3. Maskinporten client and key", "4. Register the system",
		"5. Ask the customer", "6. The customer approves", "7. Token for the system user", "8. Call the API"}
	for i := 6; i >= 0; i-- {
		u.press("b")
		fits(t, u.see(titles[i], "✓ 8 API"), 80)
	}
	for i := 1; i < 8; i++ {
		u.press("n")
		u.see(titles[i])
	}
	u.see("HTTP 200 OK")

	u.tmux("resize-window", "-t", u.name, "-x", "40", "-y", "10")
	fits(t, u.see("The terminal is 40×10.", "enlarge the window."), 40)
	u.tmux("resize-window", "-t", u.name, "-x", "80", "-y", "24")
	u.see("8. Call the API", "HTTP 200 OK")
	u.press("q")
	u.see("All eight steps are done; the next start begins a new run.", "EXIT=0")
}

// A bad value in each form field shows its message by the field, and what was typed stays.
func TestJourneyFormErrors(t *testing.T) {
	u := newUser(t)
	u.start(80, 24)
	u.toSystemStep()
	u.openSystemForm()
	u.typeText("my system")
	u.press("Enter")
	fits(t, u.see("contains a space", "974761076_my system", "esc leave the form"), 80)
	u.press("BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace")
	u.typeText("demo")
	u.next(u.screen())
	u.press("Enter")
	u.see("the name is required", "974761076_demo")
	u.typeText("Demo")
	u.next(u.screen())
	u.typeText("A demo")
	u.enterUntil("┃ Allowed redirect URLs", 5) // description, packages, rights, client ids
	u.typeText("http://example.com/cb")
	u.press("Enter")
	u.see("not absolute https", "http://example.com/cb")
	u.press("Escape") // leaves the form, keeping the answers
	u.see("f fill in the form", "i import system.json")
	u.press("i")
	u.typeText("/no/such/system.json")
	u.press("Enter")
	u.see("cannot read /no/such/system.json", "/no/such/system.json")
	u.press("Escape")
	u.see("f fill in the form")
	u.press("f")
	u.see("974761076_demo", "Demo") // nothing typed was lost
}

// Edit a registered system: the change is registered, and `system get` shows it.
func TestJourneyEditSystem(t *testing.T) {
	u := newUser(t)
	u.start(80, 24)
	u.toSystemStep()
	u.register()
	u.press("e")
	u.see("System id")
	u.press("Enter")
	u.typeText(" v2")
	u.enterUntil("JSON to send", 8) // description, packages, rights, clients, redirects, visible
	s := u.see("JSON to send", "Skatteetatens Test SBS v2", "enter register or update")
	if strings.Contains(s, "enter continue") {
		t.Fatalf("the old result is still offered:\n%s", s)
	}
	u.press("Enter")
	u.see("System 974761076_skatt_demo_system: updated")
	u.press("q")
	u.see("EXIT=0")
	out, err := exec.Command("env", append(u.env, binary, "system", "get", "974761076_skatt_demo_system")...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Skatteetatens Test SBS v2") {
		t.Fatalf("system get: %v\n%s", err, out)
	}
}

// Two requests in one session, both approved: the token step shows the second system user.
func TestJourneyTwoRequests(t *testing.T) {
	u := newUser(t)
	u.start(80, 24)
	first := systemUserID.FindStringSubmatch(u.toTokenStep())
	u.press("b", "b")
	u.see("5. Ask the customer", "e edit and send again")
	u.press("e")
	u.see("Customer's organisation number")
	u.press("Enter", "Enter", "Enter") // org, packages, agent
	u.typeText("second")
	u.press("Enter", "Enter")
	s := u.see("Created.", "second", "○ 6 Approve")
	if strings.Contains(s, "✓ 7 Token") {
		t.Fatalf("the token step kept its mark:\n%s", s)
	}
	u.press("Enter")
	u.see("6. The customer approves", "Status New", "a approve")
	u.press("a")
	second := systemUserID.FindStringSubmatch(u.see("7. Token for the system user", "[signature verified]", "externalRef second"))
	if first == nil || second == nil || first[1] == second[1] {
		t.Fatalf("system users: first %v, second %v", first, second)
	}
}

// Quit at every step and resume in a new process at that step, with working URLs.
func TestJourneyQuitAndResumeEveryStep(t *testing.T) {
	u := newUser(t)
	// resume starts a new process, sees the question (with texts too) and resumes.
	resume := func(step int, title string, texts ...string) string {
		t.Helper()
		u.start(80, 24)
		u.see(append([]string{"Resume where you left off?", fmt.Sprintf("at step %d", step), fmt.Sprintf("● %d", step)}, texts...)...)
		u.press("r")
		return u.see(title)
	}
	u.start(80, 24)
	u.see("✓ clock")
	u.press("q")
	u.see("Progress saved: the next start offers to resume at step 1", "EXIT=0")
	resume(1, "1. Maskinporten access and clock")
	u.press("Enter")
	u.see("2. Scopes", "enter continue")
	u.press("C-c") // ctrl+c outside a form quits and saves too
	u.see("Progress saved: the next start offers to resume at step 2", "EXIT=0")
	resume(2, "2. Scopes")
	u.press("Enter")
	u.see("3. Maskinporten client and key", "enter use this key")
	u.press("q")
	// --fresh starts at step 1 and leaves the saved progress alone.
	u.start(80, 24, "--fresh")
	if s := u.see("1. Maskinporten access and clock", "✓ clock"); strings.Contains(s, "Resume") {
		t.Fatalf("--fresh offered to resume:\n%s", s)
	}
	u.press("q")
	u.see("Started with --fresh: this run's progress was not saved.", "EXIT=0")
	resume(3, "3. Maskinporten client and key")
	u.press("Enter")
	u.see("4. Register the system")
	u.register()
	u.press("q")
	resume(4, "4. Register the system")
	u.see("registered earlier", "enter continue")
	u.press("Enter")
	u.see("Customer's organisation number")
	u.typeText("313367002")
	u.press("C-c") // in a form: what it holds is saved as a draft, so it quits at once
	u.see("Progress saved: the next start offers to resume at step 5", "EXIT=0")
	resume(5, "5. Ask the customer", "unfinished answers of step 5")
	u.see("Customer's organisation number")
	u.answerRequest("") // the number typed before quitting is in the field again
	u.press("q")
	s := resume(5, "5. Ask the customer")
	old := regexp.MustCompile(`127\.0\.0\.1:\d+`).FindString(s)
	u.see("Confirm", "http://127.0.0.1", "Lystig Ærlig Tiger AS", "enter continue") // read again from Altinn
	u.press("Enter")
	u.see("6. The customer approves", "a approve")
	u.press("q")
	resume(6, "6. The customer approves")
	s = u.see("a approve", "127.0.0.1")
	if old != "" && strings.Contains(s, old+"/") && u.runs > 1 {
		t.Logf("same port as before (stable sandbox): %s", old)
	}
	u.press("a") // the decision goes to the confirmUrl: it works
	u.see("7. Token for the system user", "[signature verified]")
	u.press("q")
	resume(7, "7. Token for the system user")
	u.see("[signature verified]")
	u.press("Enter")
	u.see("8. Call the API")
	u.press("q")
	resume(8, "8. Call the API")
	u.press("Enter")
	u.see("HTTP 200 OK", "All eight steps are done")
	u.press("q")
	u.see("EXIT=0")
	// What was saved: answers, no secrets, no host.
	matches, _ := filepath.Glob(filepath.Join(u.home, "state", "sbs-tui", "progress-*.json"))
	if len(matches) != 1 {
		t.Fatalf("progress files: %v", matches)
	}
	raw, _ := os.ReadFile(matches[0])
	var p struct {
		Flow struct{ Status string } `json:"flow"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.Flow.Status != "Accepted" || strings.Contains(string(raw), "eyJ") ||
		strings.Contains(string(raw), "PRIVATE") || strings.Contains(string(raw), "127.0.0.1") {
		t.Fatalf("progress: %s", raw)
	}
}

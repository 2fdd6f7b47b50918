package ui

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui/qr"
)

// updating reports -update, the flag teatest's golden package defines.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func TestMain(m *testing.M) {
	// Goldens must not depend on the terminal running the tests or its time zone.
	lipgloss.SetColorProfile(termenv.Ascii)
	time.Local = time.UTC
	os.Exit(m.Run())
}

// fakeClock is the injected clock of sandbox, session and wizard.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

type harness struct {
	mu     sync.Mutex // copied and opened, from parallel tests
	env    *Env
	sb     *sandbox.Sandbox
	srv    *httptest.Server
	boot   sbworld.Bootstrap
	clock  *fakeClock
	copied []string
	opened []string
	dir    string
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{clock: &fakeClock{t: t0}, dir: t.TempDir()}
	sw := sandboxtest.New(t, sandboxtest.Dir(filepath.Join(h.dir, "sandbox")), sandboxtest.Clock(h.clock.Now))
	h.sb, h.srv, h.boot = sw.SB, sw.Srv, sw.Boot
	env := sw.Env()
	p := sw.VendorProfile()
	s := steps.NewSession(env, &config.File{}, "sandbox", p, h.srv.Client(), h.clock.Now, nil)
	ap := sw.AdminProfile()
	admin := steps.NewSession(env, &config.File{}, "sandbox-admin", ap, h.srv.Client(), h.clock.Now, nil)
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	h.env = &Env{
		Session: s, Admin: admin, Styles: NewStyles(r), Keys: DefaultKeys(), Now: h.clock.Now,
		Opts:      Options{QR: qr.Auto, StateDir: filepath.Join(h.dir, "state"), SampleAPIPath: sandbox.SampleAPIPath, KeyDir: filepath.Join(h.dir, "keys")},
		Clipboard: func(s string) error { h.mu.Lock(); h.copied = append(h.copied, s); h.mu.Unlock(); return nil },
		Browser:   func(u string) error { h.mu.Lock(); h.opened = append(h.opened, u); h.mu.Unlock(); return nil },
		Hyperlink: func(_, text string) string { return text },
		Flow:      &Flow{},
		Base:      ctx,
		// No timers: Update is driven by hand, and countdowns read the fake clock.
		Tick: func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil },
	}
	return h
}

// systemFile writes the seed page's system, fixed, with the sandbox vendor's client id.
func (h *harness) systemFile(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile("../domain/altinn/testdata/seed-page-system.json")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer(`"Skatteetatens Test SBS",`, `"Skatteetatens Test SBS"`, `"En beskrivelse av systemet",`, `"En beskrivelse av systemet"`,
		`"isVisible": true`, `"isVisible": false`, "e6c868ef-d9d6-4847-ba25-409bbd040540", h.boot.ClientID).Replace(string(data))
	p := filepath.Join(h.dir, "system.json")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// run feeds msg to update and runs the commands it returns, breadth first, feeding their
// messages back; commands that do not answer within wait (ticks, blinks) are dropped.
func run(update func(tea.Msg) tea.Cmd, msg tea.Msg, wait time.Duration) {
	runQueue(update, []tea.Msg{msg}, wait)
}

// runCmd is run starting from a command (an Init).
func runCmd(update func(tea.Msg) tea.Cmd, cmd tea.Cmd, wait time.Duration) {
	runQueue(update, collect(cmd, wait), wait)
}

func runQueue(update func(tea.Msg) tea.Cmd, queue []tea.Msg, wait time.Duration) {
	for steps := 0; len(queue) > 0 && steps < 500; steps++ {
		m := queue[0]
		queue = queue[1:]
		if animation(m) {
			continue // cursor blinks and spinner frames only redraw; following them never ends
		}
		cmd := update(m)
		queue = append(queue, collect(cmd, wait)...)
	}
}

// animation reports a message that only animates (a cursor blink, a spinner frame).
func animation(m tea.Msg) bool {
	if _, ok := m.(spinner.TickMsg); ok {
		return true
	}
	t := reflect.TypeOf(m)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t != nil && t.PkgPath() == "github.com/charmbracelet/bubbles/cursor"
}

// collect runs cmd and returns its messages; a batch's commands run at once, and those that
// do not answer within wait (timers) are dropped.
func collect(cmd tea.Cmd, wait time.Duration) []tea.Msg {
	if cmd == nil {
		return nil
	}
	deadline := time.Now().Add(wait)
	ch := make(chan []tea.Msg, 1)
	go func() {
		m := cmd()
		switch m := m.(type) {
		case nil:
			ch <- nil
		case tea.BatchMsg:
			var mu sync.Mutex
			var wg sync.WaitGroup
			var out []tea.Msg
			for _, c := range m {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got := collect(c, time.Until(deadline))
					mu.Lock()
					out = append(out, got...)
					mu.Unlock()
				}()
			}
			wg.Wait()
			ch <- out
		default:
			ch <- []tea.Msg{m}
		}
	}()
	select {
	case m := <-ch:
		return m
	case <-time.After(time.Until(deadline)):
		return nil
	}
}

func press(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "ctrl+a":
		return tea.KeyMsg{Type: tea.KeyCtrlA}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "end":
		return tea.KeyMsg{Type: tea.KeyEnd}
	case "home":
		return tea.KeyMsg{Type: tea.KeyHome}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

var normalizers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(?m)[ \t]+$`), ""},
	{regexp.MustCompile(`id=[0-9a-f-]*\n ?[0-9a-f-]*&`), "id=<uuid>&"}, // a wrapped confirmUrl
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), "<uuid>"},
	{regexp.MustCompile(`key [A-Za-z0-9_-]{16}…`), "key <kid>…"},
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
	{regexp.MustCompile(`trace_id: [0-9a-f]{32}`), "trace_id: <trace>"},
	{regexp.MustCompile(`[A-Za-z0-9_-]{43}`), "<b64>"},
	{regexp.MustCompile(`sandbox-(vendor|admin)-[0-9a-f]{8}`), "sandbox-$1-<id>"},
	{regexp.MustCompile(`(?m)[ \t]+$`), ""},
}

// qrBlock matches the lines of a drawn QR code.
var qrBlock = regexp.MustCompile(`(?m)^ ?[█▀▄ ]*[█▀▄][█▀▄ ]*$`)

// normalize replaces what differs between runs (ports, generated ids, and so the QR code,
// which encodes them; TestWizardFlow decodes it instead) in a screen.
func normalize(s string) string {
	lines := strings.Split(s, "\n")
	var out []string
	qrRows, qrWidth := 0, 0
	for _, l := range lines {
		if qrBlock.MatchString(l) {
			qrRows++
			qrWidth = max(qrWidth, len([]rune(strings.TrimSpace(l))))
			continue
		}
		if qrRows > 0 {
			out = append(out, fmt.Sprintf(" <QR code, %d×%d cells>", qrWidth, qrRows))
			qrRows = 0
		}
		out = append(out, l)
	}
	s = strings.Join(out, "\n")
	for _, n := range normalizers {
		s = n.re.ReplaceAllString(s, n.with)
	}
	return s
}

// golden compares a screen with testdata/<name>.golden (-update rewrites it).
func golden(t *testing.T, name, screen string) {
	t.Helper()
	got := normalize(screen)
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/ui -run %s -update)", err, t.Name())
	}
	if got != string(want) {
		t.Fatalf("screen %s differs from its golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func tokenReq(scope string) maskinporten.TokenRequest {
	return maskinporten.TokenRequest{Scopes: []string{scope}}
}

// Package uitest is the wizard's test harness: an environment on a sandbox, a driver that runs
// a component's commands and feeds their messages back, key presses, and golden screens. The
// root's and the step components' tests share it.
package uitest

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/qr"
)

// updating reports -update, the flag teatest's golden package defines.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// Main runs a test package's tests; its TestMain calls it. Goldens must not depend on the
// terminal running the tests or its time zone.
func Main(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	time.Local = time.UTC
	os.Exit(m.Run())
}

// Clock is the injected clock of sandbox, session and wizard.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *Clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// T0 is the clock's start.
var T0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// Harness is a wizard environment on a fresh sandbox on loopback, with a fake clock, no
// timers, and recorded clipboard and browser calls.
type Harness struct {
	Mu     sync.Mutex // Copied and Opened, from parallel tests
	Env    *kit.Env
	SB     *sandbox.Sandbox
	Srv    *httptest.Server
	Boot   sbworld.Bootstrap
	Clock  *Clock
	Copied []string
	Opened []string
	Dir    string
}

// NewHarness builds a harness; the sandbox and directories go when the test ends.
func NewHarness(t testing.TB) *Harness {
	t.Helper()
	h := &Harness{Clock: &Clock{t: T0}, Dir: t.TempDir()}
	sw := sandboxtest.New(t, sandboxtest.Dir(filepath.Join(h.Dir, "sandbox")), sandboxtest.Clock(h.Clock.Now))
	h.SB, h.Srv, h.Boot = sw.SB, sw.Srv, sw.Boot
	env := sw.Env()
	p := sw.VendorProfile()
	s := steps.NewSession(env, &config.File{}, "sandbox", p, h.Srv.Client(), h.Clock.Now, nil)
	ap := sw.AdminProfile()
	admin := steps.NewSession(env, &config.File{}, "sandbox-admin", ap, h.Srv.Client(), h.Clock.Now, nil)
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	h.Env = &kit.Env{
		Session: s, Admin: admin, Styles: kit.NewStyles(r), Keys: kit.DefaultKeys(i18n.MustNew(i18n.EN)), Now: h.Clock.Now,
		Text:      i18n.MustNew(i18n.EN),
		Opts:      kit.Options{QR: qr.Auto, StateDir: filepath.Join(h.Dir, "state"), SampleAPIPath: sandbox.SampleAPIPath, KeyDir: filepath.Join(h.Dir, "keys")},
		Clipboard: func(s string) error { h.Mu.Lock(); h.Copied = append(h.Copied, s); h.Mu.Unlock(); return nil },
		Browser:   func(u string) error { h.Mu.Lock(); h.Opened = append(h.Opened, u); h.Mu.Unlock(); return nil },
		Hyperlink: func(_, text string) string { return text },
		Flow:      &kit.Flow{},
		Base:      ctx,
		// No timers: Update is driven by hand, and countdowns read the fake clock.
		Tick: func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil },
	}
	return h
}

// UseLang switches the harness's screens, key labels and the steps' texts to lang.
func (h *Harness) UseLang(lang i18n.Lang) {
	p := i18n.MustNew(lang)
	h.Env.Text, h.Env.Session.Text, h.Env.Keys = p, p, kit.DefaultKeys(p)
	if h.Env.Admin != nil {
		h.Env.Admin.Text = p
	}
}

// SystemFile writes the seed page's system, fixed, with the sandbox vendor's client id.
func (h *Harness) SystemFile(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile(seedPageSystem())
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer(`"Skatteetatens Test SBS",`, `"Skatteetatens Test SBS"`, `"En beskrivelse av systemet",`, `"En beskrivelse av systemet"`,
		`"isVisible": true`, `"isVisible": false`, "e6c868ef-d9d6-4847-ba25-409bbd040540", h.Boot.ClientID).Replace(string(data))
	p := filepath.Join(h.Dir, "system.json")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Run feeds msg to update and runs the commands it returns, breadth first, feeding their
// messages back; commands that do not answer within wait (ticks, blinks) are dropped.
func Run(update func(tea.Msg) tea.Cmd, msg tea.Msg, wait time.Duration) {
	RunQueue(update, []tea.Msg{msg}, wait)
}

// RunCmd is Run starting from a command (an Init).
func RunCmd(update func(tea.Msg) tea.Cmd, cmd tea.Cmd, wait time.Duration) {
	RunQueue(update, Collect(cmd, wait), wait)
}

// RunQueue is Run on several messages.
func RunQueue(update func(tea.Msg) tea.Cmd, queue []tea.Msg, wait time.Duration) {
	for steps := 0; len(queue) > 0 && steps < 500; steps++ {
		m := queue[0]
		queue = queue[1:]
		if animation(m) {
			continue // cursor blinks and spinner frames only redraw; following them never ends
		}
		cmd := update(m)
		queue = append(queue, Collect(cmd, wait)...)
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

// Collect runs cmd and returns its messages; a batch's commands run at once, and those that
// do not answer within wait (timers) are dropped.
func Collect(cmd tea.Cmd, wait time.Duration) []tea.Msg {
	if cmd == nil || blinks(cmd) {
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
					got := Collect(c, time.Until(deadline))
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

// blinks reports a command of bubbles' cursor: it answers only with a blink, which RunQueue
// drops, after its timer (half a second), so waiting for it made every key in a text field
// cost that half second.
func blinks(cmd tea.Cmd) bool {
	fn := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer())
	return fn != nil && strings.HasPrefix(fn.Name(), "github.com/charmbracelet/bubbles/cursor.")
}

// Press is the key message of a key name as Bubble Tea spells it ("enter", "esc", "ctrl+c",
// "pgdown", "shift+tab", "up", " " for space, …), or else of typed text.
func Press(s string) tea.KeyMsg {
	if t, ok := keyTypes()[s]; ok {
		m := tea.KeyMsg{Type: t}
		if t == tea.KeySpace { // as a terminal delivers it
			m.Runes = []rune{' '}
		}
		return m
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// keyTypes maps Bubble Tea's own key names back to their types, so Press knows every key a
// binding can name without a second table of them.
var keyTypes = sync.OnceValue(func() map[string]tea.KeyType {
	names := map[string]tea.KeyType{}
	for t := tea.KeyType(-256); t < 256; t++ {
		if n := t.String(); n != "" && t != tea.KeyRunes {
			names[n] = t
		}
	}
	return names
})

var normalizers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(?m)[ \t]+$`), ""},
	{regexp.MustCompile(`id=[0-9a-f-]*\n ?[0-9a-f-]*&`), "id=<uuid>&"}, // a wrapped confirmUrl
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), "<uuid>"},
	{regexp.MustCompile(`(key|nøkkel) [A-Za-z0-9_-]{16}…`), "$1 <kid>…"},
	// A key file in the test's temporary directory, wrapped anywhere (the directory's random
	// number varies in length, so the wrap lands anywhere in the name too).
	{regexp.MustCompile(`/tmp/[^,]*?` + wrappedAnywhere("vendor-key.pem")), "<tmp>/vendor-key.pem"},
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
	{regexp.MustCompile(`trace_id: [0-9a-f]{32}`), "trace_id: <trace>"},
	{regexp.MustCompile(`[A-Za-z0-9_-]{43}`), "<b64>"},
	{regexp.MustCompile(`sandbox-(vendor|admin)-[0-9a-f]{8}`), "sandbox-$1-<id>"},
	{regexp.MustCompile(`(?m)[ \t]+$`), ""},
}

// qrBlock matches the lines of a drawn QR code.
var qrBlock = regexp.MustCompile(`(?m)^ ?[█▀▄ ]*[█▀▄][█▀▄ ]*$`)

// Normalize replaces what differs between runs (ports, generated ids, and so the QR code,
// which encodes them; TestWizardFlow decodes it instead) in a screen.
func Normalize(s string) string {
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

// wrappedAnywhere matches s with a line break (and indentation) between any two characters.
func wrappedAnywhere(s string) string {
	var parts []string
	for _, r := range s {
		parts = append(parts, regexp.QuoteMeta(string(r)))
	}
	return strings.Join(parts, `\s*`)
}

// Golden compares a screen with testdata/<name>.golden (-update rewrites it).
func Golden(t *testing.T, name, screen string) {
	t.Helper()
	got := Normalize(screen)
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
		t.Fatalf("%v (run go test in this package with -run %s -update)", err, t.Name())
	}
	if got != string(want) {
		t.Fatalf("screen %s differs from its golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// TokenReq asks for one scope.
func TokenReq(scope string) maskinporten.TokenRequest {
	return maskinporten.TokenRequest{Scopes: []string{scope}}
}

// seedPageSystem is the path of the seed page's system.json, from this file's directory (tests
// of any package use it).
func seedPageSystem() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "domain", "altinn", "testdata", "seed-page-system.json")
}

// StepKey presses k on a step as the root model would: through its actions, or into its
// focused field.
func StepKey(s kit.Step, k string) tea.Cmd {
	if cmd, ok := kit.Dispatch(s.Actions(), Press(k)); ok {
		return cmd
	}
	if s.Capturing() {
		return s.Update(Press(k))
	}
	return nil
}

// Offers reports whether a step's help names key k (with desc, when given).
func Offers(s kit.Step, k, desc string) bool {
	for _, a := range s.Actions() {
		if a.Key.Help().Key == k && (desc == "" || a.Key.Help().Desc == desc) {
			return true
		}
	}
	return false
}

// Wait bounds how long a test waits for a command's answer: the harness's Tick never fires, so
// only real calls (the sandbox on loopback) and animations remain, and a loaded machine can
// make a call slower than a short window (the CI failure of TestNavigationAndHelp).
const Wait = 10 * time.Second

// Quick bounds a wait for what only cursor blinks would delay (the harness has no timers).
const Quick = 2 * time.Second

// World is one sandbox with a registered (agent) system, shared by the screens a test builds;
// every screen gets its own flow.
type World struct {
	H    *Harness
	Def  altinn.SystemDefinition
	JSON string
	refs atomic.Int64
}

// NewWorld registers the seed page's system on a new harness.
func NewWorld(t testing.TB) *World {
	h := NewHarness(t)
	f, err := steps.ReadSystemFile(h.SystemFile(t), h.Env.Session.Catalog(h.Env.Base), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := steps.RegisterSystem(h.Env.Base, h.Env.Session, f.Definition, false); err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(f.Definition)
	return &World{H: h, Def: f.Definition, JSON: string(data)}
}

// EnvWith is the harness's environment on flow f.
func (w *World) EnvWith(f *kit.Flow) *kit.Env {
	env := *w.H.Env
	env.Flow = f
	return &env
}

// Registered is a flow holding the registered system.
func (w *World) Registered() *kit.Flow {
	f := &kit.Flow{SystemID: w.Def.ID, SystemJSON: w.JSON}
	for _, p := range w.Def.AccessPackages {
		f.Packages = append(f.Packages, p.URN)
	}
	return f
}

// Requested is a flow holding a new agent request for 313367002 (its own external reference).
func (w *World) Requested(t *testing.T) *kit.Flow {
	f := w.Registered()
	ref := fmt.Sprintf("ref-%d-%d", time.Now().UnixNano(), w.refs.Add(1))
	r, err := steps.CreateRequest(w.H.Env.Base, w.H.Env.Session, steps.RequestParams{SystemID: w.Def.ID, OrgNo: "313367002",
		Packages: f.Packages, Agent: true, ExternalRef: ref})
	if err != nil {
		t.Fatal(err)
	}
	f.CustomerOrg, f.Agent, f.ExternalRef = "313367002", true, ref
	f.RequestID, f.ConfirmURL, f.Status = r.Request.ID, r.Request.ConfirmURL, r.Request.Status
	f.RequestPackages = f.Packages
	return f
}

// Approved is a flow holding an approved request.
func (w *World) Approved(t *testing.T) *kit.Flow {
	f := w.Requested(t)
	if _, err := w.H.SB.Approve(f.RequestID); err != nil {
		t.Fatal(err)
	}
	f.Status = altinn.StatusAccepted
	return f
}

// ApprovedAccountantSystemUser registers systemID with the accountant's client package and
// gives Rask Regnskap AS (311000004) an approved agent system user for it.
func (h *Harness) ApprovedAccountantSystemUser(t *testing.T, systemID string) *steps.RequestResult {
	t.Helper()
	ctx := h.Env.Base
	d := h.RegisterSystem(t, systemID, "regnskapsforer-med-signeringsrettighet")
	r, err := steps.CreateRequest(ctx, h.Env.Session, steps.RequestParams{SystemID: d.ID, OrgNo: "311000004", Agent: true, Packages: []string{"regnskapsforer-med-signeringsrettighet"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.SB.Approve(r.Request.ID); err != nil {
		t.Fatal(err)
	}
	return r
}

// RegisterSystem registers a system of the sandbox vendor, not visible, with packages (codes).
func (h *Harness) RegisterSystem(t *testing.T, id string, packages ...string) altinn.SystemDefinition {
	t.Helper()
	f := false
	d := altinn.SystemDefinition{ID: id, Vendor: altinn.VendorRef{ID: "0192:974761076"},
		Name: map[string]string{"nb": id}, Description: map[string]string{"nb": "x"}, IsVisible: &f, ClientID: []string{h.Boot.ClientID}}
	for _, p := range packages {
		d.AccessPackages = append(d.AccessPackages, altinn.PackageRef{URN: "urn:altinn:accesspackage:" + p})
	}
	if _, err := steps.RegisterSystem(h.Env.Base, h.Env.Session, d, false); err != nil {
		t.Fatal(err)
	}
	return d
}

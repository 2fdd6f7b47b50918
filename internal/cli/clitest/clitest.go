// Package clitest runs sbs-tui command lines in-process for the tests of the CLI's packages,
// in an isolated home against a sandbox of their own.
package clitest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/cli/root"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
)

// Isolate points every XDG directory into the test's temporary directory, so that no test
// reads or writes the developer's real config or sandbox.
func Isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"} {
		t.Setenv(v, filepath.Join(dir, strings.ToLower(v)))
	}
	t.Setenv("SBS_TUI_CONFIG", "")
	// English whatever the machine's locale; a test of another language passes --lang.
	t.Setenv("LC_ALL", "C.UTF-8")
	t.Setenv(cli.SandboxDataVar, filepath.Join(dir, "sandbox"))
	return dir
}

// Result is what a command line did.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Run runs one sbs-tui command line in-process, stdin as its standard input.
func Run(t *testing.T, stdin string, args ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code := root.Run(ctx, args, strings.NewReader(stdin), &out, &errb)
	return Result{code, out.String(), errb.String()}
}

// StartSandbox serves a sandbox in-process and writes its config, as `sandbox serve` does.
func StartSandbox(t *testing.T) (cfg string, sb *sandbox.Sandbox) {
	t.Helper()
	sw := sandboxtest.New(t, sandboxtest.Unserved())
	dir, sb := sw.Dir, sw.SB
	served, err := sb.ServeDir(context.Background(), sandbox.ServeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = served.Close(context.Background()) })
	cfg = filepath.Join(dir, "sbs-tui.yaml")
	if err := cli.WriteSandboxConfig(cfg, sw.Boot); err != nil {
		t.Fatal(err)
	}
	return cfg, sb
}

// RepoFile is the path of a file of the repository, given relative to its root.
func RepoFile(t testing.TB, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, filepath.FromSlash(rel))
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the working directory for %s", rel)
		}
		dir = parent
	}
}

// SeedPageSystem is the system from Skatteetaten's onboarding page with its JSON fixed: the
// trailing commas removed, isVisible false (its accountant package is client-only), and the
// vendor's own Maskinporten client id instead of the page's example.
func SeedPageSystem(t *testing.T, clientID string) string {
	t.Helper()
	data, err := os.ReadFile(RepoFile(t, "internal/domain/altinn/testdata/seed-page-system.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer(
		`"Skatteetatens Test SBS",`, `"Skatteetatens Test SBS"`,
		`"En beskrivelse av systemet",`, `"En beskrivelse av systemet"`,
		`"isVisible": true`, `"isVisible": false`,
		"e6c868ef-d9d6-4847-ba25-409bbd040540", clientID,
	).Replace(string(data))
	path := filepath.Join(t.TempDir(), "system.json")
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Decode reads the command's standard output as one JSON object into v.
func Decode(t *testing.T, r Result, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Stdout), v); err != nil {
		t.Fatalf("not one JSON object (%v): %+v", err, r)
	}
}

// ReadConfigURL is the base URL recorded for the config's sandbox data directory.
func ReadConfigURL(t *testing.T, cfg string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(filepath.Dir(cfg), "address.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		BaseURL string `json:"base_url"`
	}
	if err := json.Unmarshal(data, &rec); err != nil || rec.BaseURL == "" {
		t.Fatalf("address record: %v %s", err, data)
	}
	return rec.BaseURL
}

// Vendor is an isolated home with a sandbox on loopback, as a vendor's first run has it: the
// config that points at the sandbox, the sandbox itself and the vendor's seeded client.
type Vendor struct {
	Home, Cfg string
	SB        *sandbox.Sandbox
	ClientID  string
}

// NewVendor isolates the home and starts the vendor's sandbox.
func NewVendor(t *testing.T) Vendor {
	t.Helper()
	home := Isolate(t)
	cfg, sb := StartSandbox(t)
	boot, _ := sb.Bootstrap()
	return Vendor{Home: home, Cfg: cfg, SB: sb, ClientID: boot.ClientID}
}

// Args prefixes a command line with the vendor's config.
func (v Vendor) Args(args ...string) []string { return append([]string{"--config", v.Cfg}, args...) }

// WithSeedPageSystem is a Vendor with the seed page's system registered through the CLI; cmd
// prefixes a command line with that sandbox's config.
func WithSeedPageSystem(t *testing.T) (home, cfg string, sb *sandbox.Sandbox, cmd func(args ...string) []string) {
	t.Helper()
	v := NewVendor(t)
	if r := Run(t, "", v.Args("system", "register", "--file", SeedPageSystem(t, v.ClientID))...); r.Code != 0 {
		t.Fatalf("register: %+v", r)
	}
	return v.Home, v.Cfg, v.SB, v.Args
}

// JWTInText finds what looks like a JWT in a text (a secret that must not be there).
var JWTInText = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

// asMainVar makes a test binary of a package whose TestMain is Main act as sbs-tui.
const asMainVar = "SBS_TUI_TEST_AS_MAIN"

// Main lets the test binary stand in for the sbs-tui binary: shell recipes the tool prints
// (token --curl, the support report) are run with a PATH where "sbs-tui" is this binary. A
// package whose tests use RunShell calls it from TestMain.
func Main(m *testing.M) {
	if os.Getenv(asMainVar) == "1" {
		os.Exit(root.Main())
	}
	os.Exit(m.Run())
}

// selfOnPath returns a PATH entry holding "sbs-tui" (this test binary acting as main), and
// marks the environment so that it does.
func selfOnPath(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(dir, "sbs-tui")); err != nil {
		t.Fatal(err)
	}
	t.Setenv(asMainVar, "1")
	return dir
}

// RunShell runs a script with bash, "sbs-tui" on PATH (the test binary; see Main).
func RunShell(t *testing.T, script string) (string, error) {
	t.Helper()
	dir := selfOnPath(t)
	cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", script)
	// A race-built binary sleeps a second at exit (GORACE's atexit_sleep_ms) for late
	// goroutines to report; the report test's recipes start it a dozen times, so they wait
	// 20 ms, time enough for what a command leaves running.
	cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=20"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// HelpInBokmal runs `--lang nb <args…> --help` and fails the test unless it exits 0 and shows
// each id's bokmål text (a long text's first line) and not its English, where the two differ.
func HelpInBokmal(t *testing.T, args []string, ids ...string) Result {
	t.Helper()
	nb, en := i18n.MustNew(i18n.NB), i18n.MustNew(i18n.EN)
	r := Run(t, "", append(append([]string{"--lang", "nb"}, args...), "--help")...)
	if r.Code != 0 {
		t.Fatalf("%v --help --lang nb: %+v", args, r)
	}
	for _, id := range ids {
		want, _, _ := strings.Cut(nb.T(id), "\n")
		english, _, _ := strings.Cut(en.T(id), "\n")
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("%v --help --lang nb lacks %s %q:\n%s", args, id, want, r.Stdout)
		}
		if english != want && strings.Contains(r.Stdout, english) {
			t.Errorf("%v --help --lang nb still has the English %s %q:\n%s", args, id, english, r.Stdout)
		}
	}
	return r
}

package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// env is a private home for the binary: XDG directories and the sandbox data directory.
type env struct {
	home, data string
	vars       []string
}

// newEnv is a machine of its own (home, data directory, free port): tests on one run in
// parallel.
func newEnv(t *testing.T) *env {
	t.Parallel()
	home := t.TempDir()
	e := &env{home: home, data: filepath.Join(home, "sandbox")}
	e.vars = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"), "XDG_DATA_HOME="+filepath.Join(home, "data"),
		"XDG_STATE_HOME="+filepath.Join(home, "state"), "SBS_TUI_SANDBOX_DATA="+e.data, "SBS_TUI_CONFIG=", "NO_COLOR=1")
	return e
}

type run struct {
	code           int
	stdout, stderr string
}

// run starts the binary as a separate process and waits for it.
func (e *env) run(t *testing.T, stdin string, args ...string) run {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env, cmd.Dir = e.vars, e.home
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := run{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return r
}

// start runs `sandbox serve` (or any long-running command) and returns its first stdout line.
func (e *env) start(t *testing.T, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env, cmd.Dir = e.vars, e.home
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			line <- sc.Text()
		} else {
			line <- ""
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case l := <-line:
		if l == "" {
			t.Fatalf("%v printed nothing; stderr: %s", args, errb.String())
		}
		return cmd, l
	case <-time.After(20 * time.Second):
		t.Fatalf("%v did not start; stderr: %s", args, errb.String())
	}
	return nil, ""
}

func TestTokenFromOneProcessVerifiesInAnother(t *testing.T) {
	e := newEnv(t)
	tok := e.run(t, "", "token", "--scope", "digdir:dialogporten")
	if tok.code != 0 || strings.Count(tok.stdout, ".") != 2 {
		t.Fatalf("token: %+v", tok)
	}
	v := e.run(t, tok.stdout, "inspect", "--verify", "-")
	if v.code != 0 || !strings.Contains(v.stdout, "signature verified") {
		t.Fatalf("inspect --verify in another process: %+v", v)
	}
	// The README's pipeline: both processes run at once on one data directory.
	sh := exec.Command("sh", "-c", binary+" token --scope digdir:dialogporten | "+binary+" inspect --verify -")
	sh.Env, sh.Dir = e.vars, e.home
	out, err := sh.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "signature verified") {
		t.Fatalf("token | inspect --verify: %v\n%s", err, out)
	}
}

func TestServeAndCommandsOnOneDirectory(t *testing.T) {
	e := newEnv(t)
	serve, base := e.start(t, "sandbox", "serve", "--data", e.data)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("first line %q is not the base URL", base)
	}
	cfg := filepath.Join(e.data, "sbs-tui.yaml")
	written, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The server says who it is.
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var h struct {
		ID   string
		PID  int
		Role string
	}
	_ = json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if h.Role != "serve" || h.PID != serve.Process.Pid || h.ID == "" {
		t.Fatalf("healthz: %+v (serve is %d)", h, serve.Process.Pid)
	}

	// A second serve on the directory finds the first and leaves its config alone.
	second := e.run(t, "", "sandbox", "serve", "--data", e.data)
	if second.code != 1 || !strings.Contains(second.stderr, "already serves this data directory at "+base) {
		t.Fatalf("second serve: %+v", second)
	}
	if now, _ := os.ReadFile(cfg); !bytes.Equal(now, written) || bytes.Contains(now, []byte("sandbox_url")) {
		t.Fatalf("the config changed or names a URL:\n%s", now)
	}

	// Commands on the directory use the server: a token from one verifies in another, and
	// the issuer is the server's.
	tok := e.run(t, "", "--config", cfg, "token", "--scope", "altinn:authentication/systemregister.write")
	if tok.code != 0 {
		t.Fatalf("token: %+v", tok)
	}
	v := e.run(t, tok.stdout, "--config", cfg, "inspect", "--verify", "--json", "-")
	var insp struct {
		OK     bool `json:"ok"`
		Claims struct {
			Iss string `json:"iss"`
		} `json:"claims"`
	}
	if v.code != 0 || json.Unmarshal([]byte(v.stdout), &insp) != nil || insp.Claims.Iss != base+"/maskinporten/" {
		t.Fatalf("inspect --verify: %+v", v)
	}
	// A request created by a command is approved through its confirmUrl on the server.
	sys := writeSystem(t, e)
	if r := e.run(t, "", "--config", cfg, "system", "register", "--file", sys); r.code != 0 {
		t.Fatalf("register: %+v", r)
	}
	var req struct {
		ID         string `json:"id"`
		ConfirmURL string `json:"confirm_url"`
	}
	r := e.run(t, "", "--config", cfg, "request", "create", "--system", "974761076_skatt_demo_system", "--org", "313367002", "--agent",
		"--package", "regnskapsforer-med-signeringsrettighet", "--package", "skattegrunnlag", "--json")
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &req) != nil || !strings.HasPrefix(req.ConfirmURL, base+"/altinn-ui/") {
		t.Fatalf("request create: %+v", r)
	}
	approveOverHTTP(t, req.ConfirmURL)
	if r := e.run(t, "", "--config", cfg, "request", "status", req.ID, "--agent", "--json"); !strings.Contains(r.stdout, `"Accepted"`) {
		t.Fatalf("status after approval: %+v", r)
	}

	// The server stops: the config still works (commands serve the directory themselves) and
	// the token minted while it ran still verifies at the same issuer.
	_ = serve.Process.Signal(syscall.SIGTERM)
	_ = serve.Wait()
	v = e.run(t, tok.stdout, "--config", cfg, "inspect", "--verify", "-")
	if v.code != 0 || !strings.Contains(v.stdout, "signature verified against "+base+"/maskinporten/") {
		t.Fatalf("inspect --verify after the server stopped: %+v", v)
	}
}

// writeSystem writes the seed page's system for the vendor of e's sandbox.
func writeSystem(t *testing.T, e *env) string {
	t.Helper()
	cfg, err := os.ReadFile(filepath.Join(e.data, "sbs-tui.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	clientID := ""
	for _, line := range strings.Split(string(cfg), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "client_id: "); ok {
			clientID = v
			break
		}
	}
	return writeSystemFor(t, e, clientID)
}

// writeSystemFor writes the seed page's system, fixed, for a vendor client id.
func writeSystemFor(t *testing.T, e *env, clientID string) string {
	t.Helper()
	return writeSeedSystem(t, e.home, clientID)
}

// seedPage is the seed page's system.json as Skatteetaten publishes it (trailing commas,
// isVisible true, another vendor's client id).
func seedPage(t *testing.T) string {
	t.Helper()
	seed, err := os.ReadFile("../../internal/domain/altinn/testdata/seed-page-system.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(seed)
}

// writeSeedSystem writes home/system.json: the seed page's system, fixed to register for the
// vendor client clientID, and returns its path.
func writeSeedSystem(t *testing.T, home, clientID string) string {
	t.Helper()
	sys := strings.NewReplacer(`"Skatteetatens Test SBS",`, `"Skatteetatens Test SBS"`, `"En beskrivelse av systemet",`, `"En beskrivelse av systemet"`,
		`"isVisible": true`, `"isVisible": false`, "e6c868ef-d9d6-4847-ba25-409bbd040540", clientID).Replace(seedPage(t))
	path := filepath.Join(home, "system.json")
	if err := os.WriteFile(path, []byte(sys), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// approveOverHTTP opens the confirmUrl as a browser would and presses Approve.
func approveOverHTTP(t *testing.T, confirm string) {
	t.Helper()
	resp, err := http.Get(confirm)
	if err != nil {
		t.Fatalf("open the confirmUrl: %v", err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), `id="approve"`) {
		t.Fatalf("confirmUrl page: %d\n%s", resp.StatusCode, page)
	}
	resp, err = http.PostForm(confirm, url.Values{"decision": {"approve"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "godkjent") {
		t.Fatalf("approve: %d\n%s", resp.StatusCode, page)
	}
}

// TestSeveralFirstStartsAtOnce starts commands together on a fresh data directory: they agree
// on one address and one sandbox, and every token verifies in yet another process.
func TestSeveralFirstStartsAtOnce(t *testing.T) {
	e := newEnv(t)
	const n = 4
	results := make(chan run, n)
	for i := 0; i < n; i++ {
		go func() {
			cmd := exec.Command(binary, "token", "--scope", "digdir:dialogporten")
			cmd.Env, cmd.Dir = e.vars, e.home
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			_ = cmd.Run() // the exit code says how it went: -1 if it did not start or was killed
			results <- run{stdout: out.String(), stderr: errb.String(), code: cmd.ProcessState.ExitCode()}
		}()
	}
	for i := 0; i < n; i++ {
		r := <-results
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("token %d: exit %d, stderr %q", i, r.code, r.stderr)
		}
		if v := e.run(t, r.stdout, "inspect", "--verify", "-"); v.code != 0 {
			t.Fatalf("inspect --verify: %+v", v)
		}
	}
}

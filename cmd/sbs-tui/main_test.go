package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// isolate points every XDG directory into the test's temporary directory, so that no test
// reads or writes the developer's real config or sandbox.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"} {
		t.Setenv(v, filepath.Join(dir, strings.ToLower(v)))
	}
	t.Setenv("SBS_TUI_CONFIG", "")
	t.Setenv(sandboxDataVar, filepath.Join(dir, "sandbox"))
	return dir
}

type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code := run(ctx, args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

// startSandbox serves a sandbox in-process and writes its config, as `sandbox serve` does.
func startSandbox(t *testing.T) (cfg string, sb *sandbox.Sandbox) {
	t.Helper()
	sw := sandboxtest.New(t, sandboxtest.Unserved())
	dir, sb := sw.Dir, sw.SB
	served, err := sb.ServeDir(context.Background(), sandbox.ServeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = served.Close(context.Background()) })
	cfg = filepath.Join(dir, "sbs-tui.yaml")
	if err := writeSandboxConfig(cfg, sw.Boot); err != nil {
		t.Fatal(err)
	}
	return cfg, sb
}

func TestTokenThenInspectVerify(t *testing.T) {
	isolate(t)
	cfg, _ := startSandbox(t)
	r := runCLI(t, "", "--config", cfg, "token", "--scope", world.ScopeSystemRegisterWrite)
	if r.code != 0 || strings.Count(r.stdout, ".") != 2 {
		t.Fatalf("token: %+v", r)
	}
	v := runCLI(t, "Bearer "+r.stdout, "--config", cfg, "inspect", "--verify", "-")
	if v.code != 0 || !strings.Contains(v.stdout, "signature verified") || !strings.Contains(v.stdout, "VALID") {
		t.Fatalf("inspect --verify: %+v", v)
	}
	// Tampering flips the verdict and the exit code.
	parts := strings.Split(strings.TrimSpace(r.stdout), ".")
	forged := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
	bad := runCLI(t, forged, "--config", cfg, "inspect", "--verify", "--json", "-")
	var obj map[string]any
	if bad.code != 1 || json.Unmarshal([]byte(bad.stdout), &obj) != nil || obj["signature_verified"] != false {
		t.Fatalf("forged: %+v", bad)
	}
}

func TestEmbeddedSandboxIsTheDefault(t *testing.T) {
	isolate(t)
	r := runCLI(t, "", "token", "--json", "--scope", world.ScopeDialogporten)
	var obj struct {
		OK          bool   `json:"ok"`
		AccessToken string `json:"access_token"`
		Environment string `json:"environment"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &obj) != nil || !obj.OK || obj.Environment != "sandbox" || obj.ExpiresIn != 120 {
		t.Fatalf("token --json on a fresh machine: %+v", r)
	}
	d := runCLI(t, "", "doctor", "--json")
	if d.code != 0 || !strings.Contains(d.stdout, `"ok": true`) {
		t.Fatalf("doctor: %+v", d)
	}
}

func TestTokenErrorsAreExplainedAndExitOne(t *testing.T) {
	isolate(t)
	cfg, _ := startSandbox(t)
	r := runCLI(t, "", "--config", cfg, "token", "--scope", world.ScopeSkeBoligselskap, "--systemuser-org", "313367002")
	if r.code != 1 || !strings.Contains(r.stderr, "MP-303") || !strings.Contains(r.stderr, "externalRef") || r.stdout != "" {
		t.Fatalf("MP-303: %+v", r)
	}
	r = runCLI(t, "", "--config", cfg, "token", "--json", "--scope", "nope:nope")
	var obj map[string]any
	if r.code != 1 || json.Unmarshal([]byte(r.stdout), &obj) != nil || obj["code"] != "MP-200" || obj["trace_id"] == "" {
		t.Fatalf("MP-200 --json: %+v", r)
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{"token", "--bogus"},
		{"nosuchcommand"},
		{"--env", "ver2", "token"},
		{"token", "--systemuser-org", "57623423", "--scope", "a:b"},
		{"token", "--external-ref", "x"},
		{"inspect", "a", "b", "c"},
	} {
		r := runCLI(t, "", args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
	r := runCLI(t, "", "--env", "ver2", "token")
	if !strings.Contains(r.stderr, "shut down") {
		t.Fatalf("ver2 warning missing: %s", r.stderr)
	}
}

func TestInspectMalformedInput(t *testing.T) {
	isolate(t)
	for in, want := range map[string]string{
		"not a token":          "not a JWT",
		"eyJhbGciOi.x.y":       "header",
		"":                     "empty",
		"\x1b]0;evil\x07a.b.c": "header",
	} {
		r := runCLI(t, in, "inspect", "-")
		if r.code != 1 || !strings.Contains(r.stderr, want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("inspect %q: %+v", in, r)
		}
		if strings.Contains(r.stderr, "\x1b") {
			t.Errorf("inspect %q echoed an escape sequence", in)
		}
	}
}

func TestKeygenWritesPrivateKey0600AndPublicJWK(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	r := runCLI(t, "", "keygen", "--out", dir, "--json")
	var obj struct {
		Kid            string          `json:"kid"`
		PrivateKeyFile string          `json:"private_key_file"`
		ArrayFile      string          `json:"jwk_array_file"`
		PublicJWK      json.RawMessage `json:"public_jwk"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &obj) != nil {
		t.Fatalf("keygen: %+v", r)
	}
	st, err := os.Stat(obj.PrivateKeyFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("private key mode: %v %v", st, err)
	}
	if strings.Contains(r.stdout, "PRIVATE KEY") || strings.Contains(string(obj.PublicJWK), `"d"`) {
		t.Fatal("keygen printed private material")
	}
	arr, _ := os.ReadFile(obj.ArrayFile)
	var keys []map[string]any
	if json.Unmarshal(arr, &keys) != nil || len(keys) != 1 || keys[0]["kid"] != obj.Kid || keys[0]["use"] != "sig" || keys[0]["alg"] != "RS256" {
		t.Fatalf("array file: %s", arr)
	}
	// A second run with the same kid must not overwrite the key.
	again := runCLI(t, "", "keygen", "--out", dir, "--kid", obj.Kid)
	if again.code != 1 || !strings.Contains(again.stderr, "exists") {
		t.Fatalf("overwrite: %+v", again)
	}
}

// TestServeBinaryAcceptance runs the README's flow with the built binary: sandbox serve, then
// token and inspect --verify against the config it wrote, then a clean stop on SIGINT.
func TestServeBinaryAcceptance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	home := isolate(t)
	bin := filepath.Join(home, "sbs-tui")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := filepath.Join(home, "D")
	serve := exec.Command(bin, "sandbox", "serve", "--data", data, "--addr", "127.0.0.1:0")
	stdout, _ := serve.StdoutPipe()
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer serve.Process.Kill()
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "http://127.0.0.1:") {
		t.Fatalf("first line is not the base URL: %q", lines.Text())
	}
	go func() {
		for lines.Scan() {
		}
	}()
	cfg := filepath.Join(data, "sbs-tui.yaml")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(cfg); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("config not written")
		}
		time.Sleep(20 * time.Millisecond)
	}
	tok, err := exec.Command(bin, "--config", cfg, "token", "--scope", "altinn:authentication/systemregister.write").Output()
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	inspect := exec.Command(bin, "--config", cfg, "inspect", "--verify", "-")
	inspect.Stdin = bytes.NewReader(tok)
	out, err := inspect.Output()
	if err != nil || !bytes.Contains(out, []byte("signature verified")) {
		t.Fatalf("inspect --verify: %v\n%s", err, out)
	}
	if err := serve.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serve.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve did not stop cleanly: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on SIGINT")
	}
}

// TestOldSandboxConfigWithADeadURLStillWorks: a config written by an older `sandbox serve`
// names both the directory and a URL whose server is gone; the directory wins.
func TestOldSandboxConfigWithADeadURLStillWorks(t *testing.T) {
	isolate(t)
	cfg, _ := startSandbox(t)
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	old := strings.ReplaceAll(string(data), "sandbox_data: .", "sandbox_data: .\n        sandbox_url: http://127.0.0.1:1")
	if err := os.WriteFile(cfg, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "--config", cfg, "token", "--scope", world.ScopeDialogporten)
	if r.code != 0 {
		t.Fatalf("token with an old config: %+v\n%s", r, old)
	}
}

// withSeedPageSystem is an isolated home with a sandbox on loopback and the seed page's
// system registered through the CLI; cmd prefixes a command line with that sandbox's config.
func withSeedPageSystem(t *testing.T) (home, cfg string, sb *sandbox.Sandbox, cmd func(args ...string) []string) {
	t.Helper()
	home = isolate(t)
	cfg, sb = startSandbox(t)
	boot, _ := sb.Bootstrap()
	cmd = func(args ...string) []string { return append([]string{"--config", cfg}, args...) }
	if r := runCLI(t, "", cmd("system", "register", "--file", seedPageSystem(t, boot.ClientID))...); r.code != 0 {
		t.Fatalf("register: %+v", r)
	}
	return home, cfg, sb, cmd
}

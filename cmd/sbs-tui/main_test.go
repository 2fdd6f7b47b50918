package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
)

// TestServeBinaryAcceptance runs the README's flow with the built binary: sandbox serve, then
// token and inspect --verify against the config it wrote, then a clean stop on SIGINT.
func TestServeBinaryAcceptance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	home := clitest.Isolate(t)
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

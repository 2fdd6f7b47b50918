//go:build unix

// Package readme executes the README: the shell blocks marked `<!-- readme-test: NAME -->`
// run with the built binary (on PATH and as ./sbs-tui) in a temporary home and working
// directory, and any failing line fails the test.
package readme

import (
	"bufio"
	"bytes"
	"context"
	"github.com/sbs-tui/sbs-tui/internal/testbin"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// blocks returns the README's marked shell blocks by name.
func blocks(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	name, inBlock := "", false
	var b strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case inBlock && strings.TrimSpace(line) == "```":
			out[name], name, inBlock = b.String(), "", false
			b.Reset()
		case inBlock:
			b.WriteString(line + "\n")
		case strings.HasPrefix(line, "<!-- readme-test: "):
			name = strings.TrimSuffix(strings.TrimPrefix(line, "<!-- readme-test: "), " -->")
		case name != "" && strings.HasPrefix(line, "```"):
			inBlock = true
		case name != "" && strings.TrimSpace(line) != "":
			t.Fatalf("README: the block marked %q does not follow its marker", name)
		}
	}
	return out
}

// build compiles the binary the way the README says (go build -o sbs-tui ./cmd/sbs-tui).
func build(t *testing.T) string {
	t.Helper()
	// Reading the sources here ties the cached result to them (the build is a subprocess).
	if err := testbin.ReadSources("../.."); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "bin")
	if _, err := testbin.Build("../..", bin); err != nil {
		t.Fatal(err)
	}
	return bin
}

func TestReadmeBlocks(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	all := blocks(t)
	bin := build(t)
	for _, name := range []string{"first-session", "headless"} {
		script, ok := all[name]
		if !ok {
			t.Fatalf("README has no block marked <!-- readme-test: %s -->", name)
		}
		t.Run(name, func(t *testing.T) { runBlock(t, bin, script) })
	}
}

// runBlock runs script with bash -e -o pipefail (every line, every pipeline stage must
// succeed) in a fresh home, then stops whatever it left running in the background.
func runBlock(t *testing.T, bin, script string) {
	home := t.TempDir()
	work := filepath.Join(home, "work")
	if err := os.MkdirAll(work, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(bin, "sbs-tui"), filepath.Join(work, "sbs-tui")); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "TERM=dumb", "NO_COLOR=1",
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"), "PS4=+ README: "}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-e", "-o", "pipefail", "-x", "-c", script)
	cmd.Dir, cmd.Env = work, env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stdin = strings.NewReader("")
	// A file, not a pipe: a background `sandbox serve` keeps its output open after bash ends.
	out, err := os.Create(filepath.Join(home, "output"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	err = cmd.Start()
	if err == nil {
		defer syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) // what the block left in the background
		err = cmd.Wait()
	}
	trace, _ := os.ReadFile(out.Name())
	if err != nil {
		t.Fatalf("the README block failed (%v); its trace (failing line last):\n%s", err, trace)
	}
	t.Logf("%s", trace)
}

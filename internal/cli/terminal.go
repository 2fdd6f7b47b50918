package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/google/uuid"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/steps"
)

// IsTerminal reports whether w is a terminal.
func IsTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// LineMode reports whether to prompt line by line instead of drawing the TUI.
func (a *App) LineMode() bool {
	if os.Getenv("ACCESSIBLE") != "" || os.Getenv("TERM") == "dumb" {
		return true
	}
	in, ok := a.Stdin.(*os.File)
	return !ok || !IsTerminal(in) || !IsTerminal(a.Stdout)
}

// OpenBrowser opens an http(s) URL in the desktop's browser.
func OpenBrowser(url string) error {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return fmt.Errorf("refusing to open %q", url) //i18n:ignore callers pass only http(s) URLs they checked; a guard, not a message a user meets
	}
	name := "xdg-open"
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name = "rundll32"
	}
	args := []string{url}
	if runtime.GOOS == "windows" {
		args = []string{"url.dll,FileProtocolHandler", url} //i18n:ignore a Windows handler's name
	}
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// HoldStderr holds what is written to Stderr until the returned release is called, then
// passes writes through: warnings printed while a full-screen program owns the screen appear
// after it ends.
func (a *App) HoldStderr() (release func()) {
	held := &heldWriter{out: a.Stderr}
	a.Stderr = held
	return held.release
}

// heldWriter holds what is written until release, then passes writes through.
type heldWriter struct {
	mu       sync.Mutex
	out      io.Writer
	buf      bytes.Buffer
	released bool
}

func (w *heldWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.released {
		return w.out.Write(p)
	}
	return w.buf.Write(p)
}

func (w *heldWriter) release() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.released = true
	_, _ = w.out.Write(w.buf.Bytes())
	w.buf.Reset()
}

// ExactArgs wants n arguments, and says hint (a usage error, in the user's language) otherwise.
func (a *App) ExactArgs(n int, hint string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return Usagef("%s", a.Text().N("cli.err.got_args", len(args), "Hint", hint))
		}
		return nil
	}
}

// OneID wants one argument that is an id Altinn gives (a UUID), and says hint otherwise, so
// that a mistyped id is a usage error here rather than a 400 from the server.
func (a *App) OneID(hint string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := a.ExactArgs(1, hint)(cmd, args); err != nil {
			return err
		}
		if _, err := uuid.Parse(args[0]); err != nil { // the id as it will be sent
			return Usagef("%s", a.T("cli.err.not_uuid", "Value", strconv.Quote(args[0]), "Hint", hint))
		}
		return nil
	}
}

// UUIDArg checks an id Altinn gives (a UUID) from a flag named name, as OneID does for an
// argument: a mistyped id is a usage error here rather than Altinn's 400 or 404.
func (a *App) UUIDArg(name, value string) error {
	if _, err := uuid.Parse(value); err != nil {
		return Usagef("%s", a.T("cli.err.not_uuid_flag", "Flag", name, "Value", strconv.Quote(value)))
	}
	return nil
}

// OrgNoArg is an organisation number from the command line (a flag or an argument, named by
// name), normalised as the commands use it; a wrong one is a usage error naming name and the
// rule, in the user's language, before anything is sent.
func (a *App) OrgNoArg(name, value string) (string, error) {
	org := orgno.Normalize(value)
	if err := orgno.Validate(org); err != nil {
		return org, UsageError{fmt.Errorf("%s: %w", name, steps.OrgNoError(a.Text(), err))}
	}
	return org, nil
}

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/adrg/xdg"

	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/qr"
)

// wizardFlags are the wizard's own options.
type wizardFlags struct {
	qr    string
	mouse bool
	fresh bool
	cast  string
}

func (a *app) addWizardFlags(cmd *cobra.Command, f *wizardFlags) {
	cmd.Flags().StringVar(&f.qr, "qr", "auto", "QR code for the customer's confirmUrl: auto, half, full or off")
	cmd.Flags().BoolVar(&f.mouse, "mouse", false, "enable the mouse (it disables selecting text in most terminals)")
	cmd.Flags().BoolVar(&f.fresh, "fresh", false, "start at step 1 without reading or overwriting the saved progress")
	cmd.Flags().StringVar(&f.cast, "cast", "", "record the session's screens (redacted) to FILE as an asciicast v2 recording")
}

func (a *app) wizardCommand() *cobra.Command {
	var f wizardFlags
	cmd := &cobra.Command{
		Use:   "wizard",
		Short: "Open the step-by-step wizard (also: sbs-tui with no command)",
		Long: `The terminal wizard through all eight steps. Progress (answers and results, never keys or
tokens) is saved after each step, and the next start offers to resume: approval can take days.
With ACCESSIBLE=1, TERM=dumb, or no terminal, it runs the same steps as plain line prompts.`,
		Args:        cobra.NoArgs,
		RunE:        func(cmd *cobra.Command, _ []string) error { return a.runWizard(cmd, f) },
		Annotations: map[string]string{noTimeoutAnnotation: "true"},
	}
	a.addWizardFlags(cmd, &f)
	return cmd
}

// lineMode reports whether to prompt line by line instead of drawing the TUI.
func (a *app) lineMode() bool {
	if os.Getenv("ACCESSIBLE") != "" || os.Getenv("TERM") == "dumb" {
		return true
	}
	in, ok := a.stdin.(*os.File)
	return !ok || !isTerminal(in) || !isTerminal(a.stdout)
}

func (a *app) uiEnv(ctx context.Context, s *steps.Session, mode qr.Mode) *kit.Env {
	out := termenv.NewOutput(a.stdout)
	plain := a.renderer.ColorProfile() == termenv.Ascii
	if plain {
		// huh draws with lipgloss's default renderer.
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	env := &kit.Env{
		Session: s, Admin: a.adminSession(ctx, s), Styles: kit.NewStyles(a.renderer), Keys: kit.DefaultKeys(), Now: a.now,
		Opts: kit.Options{QR: mode, StateDir: config.DefaultStateDir(), SampleAPIPath: sandbox.SampleAPIPath,
			KeyDir: filepath.Join(xdg.ConfigHome, config.AppName, "keys")},
		Clipboard: func(text string) error { out.Copy(text); return nil },
		Browser:   openBrowser,
		Hyperlink: func(url, text string) string {
			if plain {
				return text
			}
			return out.Hyperlink(url, text)
		},
		Flow:   &kit.Flow{},
		Base:   ctx,
		Record: a.record.Exchanges,
		Report: a.wizardReport,
	}
	return env
}

func openBrowser(url string) error {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return fmt.Errorf("refusing to open %q", url)
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
		args = []string{"url.dll,FileProtocolHandler", url}
	}
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// adminSession finds a self-service admin identity: the built-in sandbox's, or a profile in
// the same environment named <profile>-admin or holding idporten:dcr.write.
func (a *app) adminSession(_ context.Context, s *steps.Session) *steps.Session {
	if a.sandboxBoot != nil && s.Env.IsSandbox() {
		b := a.sandboxBoot
		p := &config.Profile{Env: config.EnvSandbox, OrgNo: b.VendorOrg, ClientID: b.AdminClientID, Key: config.KeyRef{PEM: b.AdminKeyFile, Kid: b.AdminKid}, Scopes: b.AdminScopes}
		return steps.NewSession(s.Env, s.File, "sandbox-admin", p, s.HTTP, a.now, a.log)
	}
	if s.File == nil {
		return nil
	}
	for _, name := range s.File.ProfileNames() {
		p := s.File.Profiles[name]
		if name == s.ProfileName || p.Env != s.Env.Name {
			continue
		}
		if name == s.ProfileName+"-admin" || slices.Contains(p.Scopes, "idporten:dcr.write") {
			return steps.NewSession(s.Env, s.File, name, p, s.HTTP, a.now, a.log)
		}
	}
	return nil
}

func (a *app) runWizard(cmd *cobra.Command, f wizardFlags) error {
	mode, err := qr.ParseMode(f.qr)
	if err != nil {
		return usageError{err}
	}
	if a.lineMode() {
		s, err := a.getSession(cmd.Context())
		if err != nil {
			return err
		}
		return ui.NewLineMode(a.uiEnv(cmd.Context(), s, mode), a.stdin, a.stdout).Run(cmd.Context())
	}
	// The set-up (on a fresh home: creating the sandbox) runs behind the first frame, which is
	// drawn at once. What the set-up would print is held until the wizard ends.
	held := &heldWriter{out: a.stderr}
	a.stderr = held
	defer held.release()
	load := func() (*kit.Env, *ui.Progress, error) {
		s, err := a.getSession(cmd.Context())
		if err != nil {
			return nil, nil, err
		}
		env := a.uiEnv(cmd.Context(), s, mode)
		var saved *ui.Progress
		if f.fresh {
			env.Opts.StateDir = "" // a fresh run leaves the saved progress alone
		} else {
			saved, err = ui.LoadProgress(ui.ProgressPath(env.Opts.StateDir, s.Env.Name, s.ProfileName))
			if err != nil {
				fmt.Fprintf(a.stderr, "warning: %v\n", err)
			}
		}
		return env, saved, nil
	}
	width, height := 0, 0
	if out, ok := a.stdout.(*os.File); ok {
		width, height, _ = term.GetSize(int(out.Fd()))
	}
	boot := ui.NewBoot(kit.NewStyles(a.renderer), a.setupLabel(), width, height, a.stdout, load)
	var output io.Writer = a.stdout
	if f.cast != "" {
		c, err := a.startCast(f.cast, width, height)
		if err != nil {
			return err
		}
		defer c.finish(a)
		output = c
	}
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(cmd.Context()), tea.WithInput(a.stdin), tea.WithOutput(output)}
	if f.mouse {
		opts = append(opts, tea.WithMouseCellMotion())
	}
	_, err = tea.NewProgram(boot, opts...).Run()
	if wiz := boot.App(); wiz != nil {
		if note := wiz.ExitNote(); note != "" {
			fmt.Fprintln(a.stdout, note)
		} else if f.fresh {
			fmt.Fprintln(a.stdout, "Started with --fresh: this run's progress was not saved.")
		}
	}
	if errors.Is(err, tea.ErrProgramKilled) && cmd.Context().Err() != nil {
		return nil // SIGINT/SIGTERM: the context ended the program
	}
	if err != nil {
		return fmt.Errorf("the wizard stopped: %w", err)
	}
	return boot.Err()
}

// setupLabel says what the wizard's first frame waits for: creating the sandbox on a fresh
// home, else starting it.
func (a *app) setupLabel() string {
	dir := os.Getenv(sandboxDataVar)
	if dir == "" {
		dir = config.DefaultDataDir()
	}
	if !fileExists(filepath.Join(dir, "sbs-tui.yaml")) {
		return "creating the sandbox…"
	}
	return "starting…"
}

// heldWriter holds what is written until release, then passes writes through: warnings
// printed while the wizard owns the screen appear after it ends.
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

// runInspectTUI is `inspect` on a terminal with nothing piped in: the paste box.
func (a *app) runInspectTUI(cmd *cobra.Command) error {
	held := &heldWriter{out: a.stderr} // warnings of a sandbox set up for `v` wait for the end
	a.stderr = held
	defer held.release()
	e := &kit.Env{Styles: kit.NewStyles(a.renderer), Keys: kit.DefaultKeys(), Now: a.now, Base: cmd.Context(), Flow: &kit.Flow{}}
	_, err := tea.NewProgram(ui.NewInspectApp(e, a.verifierFor), tea.WithAltScreen(), tea.WithContext(cmd.Context()),
		tea.WithInput(a.stdin), tea.WithOutput(a.stdout)).Run()
	if errors.Is(err, tea.ErrProgramKilled) {
		return nil
	}
	return err
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"

	"github.com/adrg/xdg"

	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui"
	"github.com/sbs-tui/sbs-tui/internal/ui/qr"
)

// wizardFlags are the wizard's own options.
type wizardFlags struct {
	qr    string
	mouse bool
	fresh bool
}

func (a *app) addWizardFlags(cmd *cobra.Command, f *wizardFlags) {
	cmd.Flags().StringVar(&f.qr, "qr", "auto", "QR code for the customer's confirmUrl: auto, half, full or off")
	cmd.Flags().BoolVar(&f.mouse, "mouse", false, "enable the mouse (it disables selecting text in most terminals)")
	cmd.Flags().BoolVar(&f.fresh, "fresh", false, "start at step 1 without reading or overwriting the saved progress")
}

func (a *app) wizardCommand() *cobra.Command {
	var f wizardFlags
	cmd := &cobra.Command{
		Use:   "wizard",
		Short: "Open the step-by-step wizard (also: sbs-tui with no command)",
		Long: `The terminal wizard through all eight steps. Progress (answers and results, never keys or
tokens) is saved after each step, and the next start offers to resume: approval can take days.
With ACCESSIBLE=1, TERM=dumb, or no terminal, it runs the same steps as plain line prompts.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runWizard(cmd, f) },
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

func (a *app) uiEnv(ctx context.Context, s *steps.Session, mode qr.Mode) *ui.Env {
	out := termenv.NewOutput(a.stdout)
	plain := a.renderer.ColorProfile() == termenv.Ascii
	if plain {
		// huh draws with lipgloss's default renderer.
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	env := &ui.Env{
		Session: s, Admin: a.adminSession(ctx, s), Styles: ui.NewStyles(a.renderer), Keys: ui.DefaultKeys(), Now: a.now,
		Opts: ui.Options{QR: mode, StateDir: config.DefaultStateDir(), SampleAPIPath: sandbox.SampleAPIPath,
			KeyDir: filepath.Join(xdg.ConfigHome, config.AppName, "keys")},
		Clipboard: func(text string) error { out.Copy(text); return nil },
		Browser:   openBrowser,
		Hyperlink: func(url, text string) string {
			if plain {
				return text
			}
			return out.Hyperlink(url, text)
		},
		Flow: &ui.Flow{},
		Base: ctx,
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
	s, err := a.getSession(cmd.Context())
	if err != nil {
		return err
	}
	env := a.uiEnv(cmd.Context(), s, mode)
	if a.lineMode() {
		return ui.NewLineMode(env, a.stdin, a.stdout).Run(cmd.Context())
	}
	var saved *ui.Progress
	if f.fresh {
		env.Opts.StateDir = "" // a fresh run leaves the saved progress alone
	} else {
		saved, err = ui.LoadProgress(ui.ProgressPath(env.Opts.StateDir, s.Env.Name, s.ProfileName))
		if err != nil {
			fmt.Fprintf(a.stderr, "warning: %v\n", err)
		}
	}
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(cmd.Context()), tea.WithInput(a.stdin), tea.WithOutput(a.stdout)}
	if f.mouse {
		opts = append(opts, tea.WithMouseCellMotion())
	}
	wiz := ui.New(env, saved)
	_, err = tea.NewProgram(wiz, opts...).Run()
	if note := wiz.ExitNote(); note != "" {
		fmt.Fprintln(a.stdout, note)
	} else if f.fresh {
		fmt.Fprintln(a.stdout, "Started with --fresh: this run's progress was not saved.")
	}
	if errors.Is(err, tea.ErrProgramKilled) && cmd.Context().Err() != nil {
		return nil // SIGINT/SIGTERM: the context ended the program
	}
	if err != nil {
		return fmt.Errorf("the wizard stopped: %w", err)
	}
	return nil
}

// runInspectTUI is `inspect` on a terminal with nothing piped in: the paste box.
func (a *app) runInspectTUI(cmd *cobra.Command) error {
	e := &ui.Env{Styles: ui.NewStyles(a.renderer), Keys: ui.DefaultKeys(), Now: a.now, Base: cmd.Context(), Flow: &ui.Flow{}}
	_, err := tea.NewProgram(ui.NewInspectApp(e, a.verifierFor), tea.WithAltScreen(), tea.WithContext(cmd.Context()),
		tea.WithInput(a.stdin), tea.WithOutput(a.stdout)).Run()
	if errors.Is(err, tea.ErrProgramKilled) {
		return nil
	}
	return err
}

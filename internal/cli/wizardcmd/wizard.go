package wizardcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/adrg/xdg"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/sbs-tui/sbs-tui/internal/cli"
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

// BindRoot makes root, sbs-tui with no command, run the wizard with the wizard's flags.
func BindRoot(a *cli.App, root *cobra.Command) {
	var f wizardFlags
	root.RunE = func(cmd *cobra.Command, _ []string) error { return runWizard(a, cmd, f) }
	addWizardFlags(a, root, &f)
}

func addWizardFlags(a *cli.App, cmd *cobra.Command, f *wizardFlags) {
	cmd.Flags().StringVar(&f.qr, "qr", "auto", a.T("clitools.wizard.flag_qr"))
	cmd.Flags().BoolVar(&f.mouse, "mouse", false, a.T("clitools.wizard.flag_mouse"))
	cmd.Flags().BoolVar(&f.fresh, "fresh", false, a.T("clitools.wizard.flag_fresh"))
	cmd.Flags().StringVar(&f.cast, "cast", "", a.T("clitools.wizard.flag_cast"))
}

// NewCmd is `sbs-tui wizard`: the step-by-step wizard, or its line prompts without a terminal.
func NewCmd(a *cli.App) *cobra.Command {
	var f wizardFlags
	cmd := &cobra.Command{
		Use:         "wizard",
		Short:       a.T("clitools.wizard.short"),
		Long:        a.T("clitools.wizard.long"),
		Args:        a.NoArgs,
		RunE:        func(cmd *cobra.Command, _ []string) error { return runWizard(a, cmd, f) },
		Annotations: map[string]string{cli.NoTimeoutAnnotation: "true"},
	}
	addWizardFlags(a, cmd, &f)
	return cmd
}

func uiEnv(a *cli.App, ctx context.Context, s *steps.Session, mode qr.Mode) *kit.Env {
	out := termenv.NewOutput(a.Stdout)
	plain := a.Renderer.ColorProfile() == termenv.Ascii
	if plain {
		// huh draws with lipgloss's default renderer.
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	env := a.UIEnv(ctx)
	env.Session, env.Admin = s, a.AdminSession(ctx, s)
	env.Opts = kit.Options{QR: mode, StateDir: config.DefaultStateDir(), SampleAPIPath: sandbox.SampleAPIPath,
		KeyDir: filepath.Join(xdg.ConfigHome, config.AppName, "keys")}
	env.Clipboard = func(text string) error { out.Copy(text); return nil }
	env.Browser = cli.OpenBrowser
	env.Hyperlink = func(url, text string) string {
		if plain {
			return text
		}
		return out.Hyperlink(url, text)
	}
	env.Record = a.Record.Exchanges
	env.Report = func() (string, error) { return wizardReport(a) }
	return env
}

func runWizard(a *cli.App, cmd *cobra.Command, f wizardFlags) error {
	mode, err := qr.ParseMode(f.qr)
	if err != nil {
		return cli.UsageError{Err: err}
	}
	if a.LineMode() {
		s, err := a.Session(cmd.Context())
		if err != nil {
			return err
		}
		return ui.NewLineMode(uiEnv(a, cmd.Context(), s, mode), a.Stdin, a.Stdout).Run(cmd.Context())
	}
	// The set-up (on a fresh home: creating the sandbox) runs behind the first frame, which is
	// drawn at once. What the set-up would print is held until the wizard ends.
	defer a.HoldStderr()()
	load := func() (*kit.Env, *ui.Progress, error) {
		s, err := a.Session(cmd.Context())
		if err != nil {
			return nil, nil, err
		}
		env := uiEnv(a, cmd.Context(), s, mode)
		var saved *ui.Progress
		if f.fresh {
			env.Opts.StateDir = "" // a fresh run leaves the saved progress alone
		} else {
			saved, err = ui.LoadProgress(a.Text(), ui.ProgressPath(env.Opts.StateDir, s.Env.Name, s.ProfileName))
			if err != nil {
				fmt.Fprintln(a.Stderr, a.T("clitools.wizard.warning", "Err", err))
			}
		}
		return env, saved, nil
	}
	width, height := 0, 0
	if out, ok := a.Stdout.(*os.File); ok {
		width, height, _ = term.GetSize(int(out.Fd()))
	}
	boot := ui.NewBoot(a.UIStyles(), a.Text(), setupLabel(a), width, height, a.Stdout, load)
	var output io.Writer = a.Stdout
	if f.cast != "" {
		c, err := startCast(a, f.cast, width, height)
		if err != nil {
			return err
		}
		defer c.finish(a)
		output = c
	}
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(cmd.Context()), tea.WithInput(a.Stdin), tea.WithOutput(output)}
	if f.mouse {
		opts = append(opts, tea.WithMouseCellMotion())
	}
	_, err = tea.NewProgram(boot, opts...).Run()
	if wiz := boot.App(); wiz != nil {
		if note := wiz.ExitNote(); note != "" {
			fmt.Fprintln(a.Stdout, note)
		} else if f.fresh {
			fmt.Fprintln(a.Stdout, a.T("clitools.wizard.fresh_not_saved"))
		}
	}
	if errors.Is(err, tea.ErrProgramKilled) && cmd.Context().Err() != nil {
		return nil // SIGINT/SIGTERM: the context ended the program
	}
	if err != nil {
		return fmt.Errorf("%s: %w", a.T("clitools.wizard.err_stopped"), err)
	}
	return boot.Err()
}

// setupLabel says what the wizard's first frame waits for: creating the sandbox on a fresh
// home, else starting it.
func setupLabel(a *cli.App) string {
	dir := os.Getenv(cli.SandboxDataVar)
	if dir == "" {
		dir = config.DefaultDataDir()
	}
	if !cli.FileExists(filepath.Join(dir, "sbs-tui.yaml")) {
		return a.T("ui.boot.creating")
	}
	return a.T("ui.boot.starting")
}

// Package cli is what every sbs-tui command shares: the global flags, the standard streams,
// the session (and the sandbox it may attach to), output helpers, and the errors that set
// the exit code. The commands are in its subpackages; internal/cli/root wires them up.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// UsageError marks a mistake in how the command was called (exit 2).
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Usagef is a UsageError with a formatted message.
func Usagef(format string, a ...any) error { return UsageError{fmt.Errorf(format, a...)} }

// ReportedError is a failure whose explanation was already written (exit 1, nothing more).
type ReportedError struct{ Err error }

func (e ReportedError) Error() string { return e.Err.Error() }

// App holds the global flags and what commands share: streams, logger, the session, and an
// in-process sandbox to shut down at exit.
type App struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer

	// ConfigPath, ProfileName and EnvName are --config, --profile and --env.
	ConfigPath  string
	ProfileName string
	EnvName     string
	noColor     bool
	debug       bool
	// langFlag is --lang; Lang is the language resolved from it, the config and the locale.
	langFlag string
	Lang     i18n.Lang
	text     *i18n.Printer

	Log     *slog.Logger
	logFile *os.File
	// Attached is the sandbox of the data directory this process uses, when it was attached.
	Attached *sandbox.Attached
	// sandboxBoot is the attached sandbox's vendor.
	sandboxBoot *world.Bootstrap
	session     *steps.Session
	Renderer    *lipgloss.Renderer
	Now         func() time.Time

	// Args are the command line (for the record's facts).
	Args []string
	// Record keeps every HTTP exchange of the session, redacted (the log pane, --record, the
	// support report).
	Record     *httpx.Record
	recordPath string
	// timeout bounds a headless command's total time (--timeout); cmdCtx carries it.
	timeout       time.Duration
	cmdCtx        context.Context
	cancelTimeout context.CancelFunc
	// unbounded is the command's context before --timeout bounded it, for a screen the user
	// keeps open (inspect's paste box), which the deadline closed after two minutes.
	unbounded context.Context
}

// NoTimeoutAnnotation marks commands that run until the user stops them (the wizard, serve).
const NoTimeoutAnnotation = "sbs-tui/no-timeout"

// DefaultCommandTimeout bounds a headless command that calls servers.
const DefaultCommandTimeout = 2 * time.Minute

// New is the App of one command line, on these streams.
func New(stdin io.Reader, stdout, stderr io.Writer) *App {
	return &App{Stdin: stdin, Stdout: stdout, Stderr: stderr, Now: time.Now,
		Log: slog.New(slog.DiscardHandler), Record: httpx.NewRecord()}
}

// Close stops what the command started: its deadline, an in-process sandbox, the debug log.
func (a *App) Close() {
	if a.cancelTimeout != nil {
		a.cancelTimeout()
	}
	if a.Attached != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = a.Attached.Close(ctx)
		cancel()
	}
	if a.logFile != nil {
		_ = a.logFile.Close()
	}
}

// BindRoot gives the root command the App's streams, the global flags, usage errors for bad
// flags, and the set-up that runs before every command.
func (a *App) BindRoot(root *cobra.Command) {
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if err := a.setup(); err != nil {
			return err
		}
		if err := a.CheckRecord(); err != nil {
			return err
		}
		// --json output is for programs: its texts stay English whatever the language.
		if f := cmd.Flags().Lookup("json"); f != nil && f.Value.String() == "true" {
			a.Lang = i18n.EN
		}
		return a.boundCommand(cmd)
	}
	root.SetOut(a.Stdout)
	root.SetErr(a.Stderr)
	root.SetIn(a.Stdin)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return flagError(a.Text(), err) })
	pf := root.PersistentFlags()
	pf.StringVar(&a.ConfigPath, "config", "", a.T("cli.flag.config", "Var", config.EnvConfigVar, "Path", config.DefaultPath()))
	pf.StringVar(&a.ProfileName, "profile", "", a.T("cli.flag.profile"))
	pf.StringVar(&a.EnvName, "env", "", a.T("cli.flag.env"))
	pf.StringVar(&a.langFlag, "lang", "", a.T("cli.flag.lang"))
	pf.BoolVar(&a.noColor, "no-color", false, a.T("cli.flag.no_color"))
	pf.StringVar(&a.recordPath, "record", "", a.T("cli.flag.record"))
	pf.DurationVar(&a.timeout, "timeout", DefaultCommandTimeout, a.T("cli.flag.timeout"))
	pf.BoolVar(&a.debug, "debug", false, a.T("cli.flag.debug", "Path", filepath.Join(config.DefaultStateDir(), "debug.log")))
}

// setup runs before every command: logging and colours.
func (a *App) setup() error {
	if a.EnvName != "" {
		if err := config.CheckEnvName(a.EnvName); err != nil {
			return UsageError{fmt.Errorf("--env: %w", err)} //i18n:ignore a flag name before the error
		}
	}
	if err := a.resolveLang(); err != nil {
		return err
	}
	a.Renderer = lipgloss.NewRenderer(a.Stdout)
	if a.noColor || os.Getenv("NO_COLOR") != "" || !IsTerminal(a.Stdout) {
		a.Renderer.SetColorProfile(termenv.Ascii)
	}
	if a.debug {
		path := filepath.Join(config.DefaultStateDir(), "debug.log")
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return fmt.Errorf("%s: %w", a.T("cli.err.log_dir"), err)
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return fmt.Errorf("%s: %w", a.T("cli.err.log_open"), err)
		}
		a.logFile = f
		a.Log = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: redactAttr}))
		fmt.Fprintln(a.Stderr, a.T("cli.debug_log", "Path", path))
	}
	return nil
}

// PresetLang resolves the language from the raw command line before the command tree is
// built, so that help and usage texts (which cobra prints without running PersistentPreRunE)
// are in the user's language too. setup resolves it again from the parsed flags and reports a
// wrong --lang; here one is ignored.
func (a *App) PresetLang(args []string) {
	lang, cfg := "", ""
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			break
		}
		for _, f := range []struct {
			name string
			to   *string
		}{{"--lang", &lang}, {"--config", &cfg}} {
			if v, ok := strings.CutPrefix(arg, f.name+"="); ok {
				*f.to = v
			} else if arg == f.name && i+1 < len(args) {
				*f.to = args[i+1]
			}
		}
	}
	saved := a.ConfigPath
	a.langFlag, a.ConfigPath = lang, cfg
	if a.resolveLang() != nil {
		a.Lang = i18n.EN
	}
	a.langFlag, a.ConfigPath = "", saved
}

// resolveLang picks the language: --lang, else the config file's lang key, else the locale.
// A config file that cannot be read is left to the commands that need it to report.
func (a *App) resolveLang() error {
	configured := ""
	if a.langFlag == "" {
		if f, err := a.LoadConfig(); err == nil {
			configured = f.Lang
		}
	}
	l, err := i18n.Resolve(a.langFlag, configured, os.Getenv)
	if err != nil {
		if a.langFlag != "" {
			return UsageError{err}
		}
		return err
	}
	a.Lang = l
	return nil
}

// Text is the catalogue in the command's language, loaded on first use (English before
// set-up has run).
func (a *App) Text() *i18n.Printer {
	if a.text == nil || a.text.Lang() != a.lang() {
		a.text = i18n.MustNew(a.lang())
	}
	return a.text
}

func (a *App) lang() i18n.Lang {
	if a.Lang == "" {
		return i18n.EN
	}
	return a.Lang
}

// T renders a catalogue message in the command's language (see i18n.Printer.T).
func (a *App) T(id string, pairs ...any) string { return a.Text().T(id, pairs...) }

// boundCommand gives a headless command its total deadline (--timeout) and reports token
// retries on stderr, so that a slow server is visible rather than a silent wait. The wizard
// and serve run until stopped (the wizard bounds and shows each call itself); a command with
// its own --timeout (request status --wait) uses that.
func (a *App) boundCommand(cmd *cobra.Command) error {
	if a.timeout <= 0 {
		return Usagef("%s", a.T("cli.err.timeout_positive"))
	}
	if cmd.Annotations[NoTimeoutAnnotation] == "true" || cmd.LocalNonPersistentFlags().Lookup("timeout") != nil {
		return nil
	}
	a.unbounded = cmd.Context()
	ctx, cancel := context.WithTimeout(cmd.Context(), a.timeout)
	ctx = steps.WithProgress(ctx, func(line string) {
		fmt.Fprintf(a.Stderr, "sbs-tui: %s\n", termsafe.Line(line)) //i18n:ignore a prefix; the line is the step's own text
	})
	a.cmdCtx, a.cancelTimeout = ctx, cancel
	cmd.SetContext(ctx)
	return nil
}

// Unbounded is cmd's context without the --timeout deadline (signals still stop it), for a
// command that turned out to be interactive after its deadline was set.
func (a *App) Unbounded(cmd *cobra.Command) context.Context {
	if a.unbounded != nil {
		return a.unbounded
	}
	return cmd.Context()
}

// redactAttr keeps secrets out of the debug log even if a caller logs one by mistake.
func redactAttr(_ []string, at slog.Attr) slog.Attr {
	k := strings.ToLower(at.Key)
	for _, s := range []string{"token", "assertion", "password", "authorization", "secret", "private"} {
		if strings.Contains(k, s) {
			return slog.String(at.Key, "[redacted]")
		}
	}
	return at
}

// ExitCode says what went wrong, if anything and not said yet, and returns the exit status;
// command is the path of the command that ran ("sbs-tui request create"), for a usage error's
// pointer to its help.
func (a *App) ExitCode(err error, command string) int {
	if err == nil {
		return ExitOK
	}
	var ue UsageError
	var re ReportedError
	switch {
	case errors.As(err, &re):
		return ExitFailure
	case errors.As(err, &ue), isCobraUsage(err):
		fmt.Fprintf(a.Stderr, "sbs-tui: %s\n%s\n", a.Text().Error(err), a.T("cli.usage_hint", "Command", command)) //i18n:ignore the program's name before the text
		return ExitUsage
	case a.cmdCtx != nil && errors.Is(a.cmdCtx.Err(), context.DeadlineExceeded):
		fmt.Fprintf(a.Stderr, "sbs-tui: %s\n", a.T("cli.err.gave_up", "Timeout", a.timeout.String(), "Err", a.Text().Error(err))) //i18n:ignore the program's name before the text
		return ExitFailure
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(a.Stderr, "sbs-tui: "+a.T("cli.cancelled")) //i18n:ignore the program's name before the text
		return ExitFailure
	default:
		fmt.Fprintf(a.Stderr, "sbs-tui: %s\n", a.Text().Error(err)) //i18n:ignore a prefix; the error is already a sentence
		return ExitFailure
	}
}

func isCobraUsage(err error) bool {
	s := err.Error()
	// cobra's own (English) errors, recognised by their start.
	return strings.HasPrefix(s, "unknown command") || strings.HasPrefix(s, "unknown flag") || //i18n:ignore cobra's error text, matched
		strings.HasPrefix(s, "accepts ") || strings.HasPrefix(s, "requires ") || strings.Contains(s, "flag needs an argument") //i18n:ignore cobra's error text, matched
}

// HTTPClient is the client every external call goes through.
// Requests to an attached sandbox go where Attached routes them.
func (a *App) HTTPClient() *http.Client {
	var t http.RoundTripper
	if a.Attached != nil {
		t = a.Attached.Transport()
	}
	return httpx.NewClient(httpx.Options{Logger: a.Log, Transport: t, Record: a.Record})
}

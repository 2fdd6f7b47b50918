package main

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
	"golang.org/x/term"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError marks a mistake in how the command was called (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// reportedError is a failure whose explanation was already written (exit 1, nothing more).
type reportedError struct{ err error }

func (e reportedError) Error() string { return e.err.Error() }

// app holds the global flags and what commands share: streams, logger, the session, and an
// in-process sandbox to shut down at exit.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	configPath string
	profile    string
	env        string
	noColor    bool
	debug      bool

	log     *slog.Logger
	logFile *os.File
	// attached is the sandbox of the data directory this process uses, when it was attached.
	attached *sandbox.Attached
	// sandboxBoot is the attached sandbox's vendor.
	sandboxBoot *world.Bootstrap
	session     *steps.Session
	renderer    *lipgloss.Renderer
	now         func() time.Time

	// args are the command line (for the record's facts).
	args []string
	// firstArg is the command's name when it comes first on the command line ("" otherwise).
	firstArg string
	// record keeps every HTTP exchange of the session, redacted (the log pane, --record, the
	// support report).
	record     *httpx.Record
	recordPath string
	// timeout bounds a headless command's total time (--timeout); cmdCtx carries it.
	timeout       time.Duration
	cmdCtx        context.Context
	cancelTimeout context.CancelFunc
}

// noTimeoutAnnotation marks commands that run until the user stops them (the wizard, serve).
const noTimeoutAnnotation = "sbs-tui/no-timeout"

// DefaultCommandTimeout bounds a headless command that calls servers.
const DefaultCommandTimeout = 2 * time.Minute

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now,
		log: slog.New(slog.DiscardHandler), record: httpx.NewRecord()}
}

func (a *app) close() {
	if a.cancelTimeout != nil {
		a.cancelTimeout()
	}
	if a.attached != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = a.attached.Close(ctx)
		cancel()
	}
	if a.logFile != nil {
		_ = a.logFile.Close()
	}
}

func (a *app) rootCommand() *cobra.Command {
	var rootWizard wizardFlags
	root := &cobra.Command{
		Use:   "sbs-tui",
		Short: "Onboard an end-user system to Altinn system users and Maskinporten",
		Long: `sbs-tui walks a software vendor through the eight onboarding steps for calling
Skatteetaten's APIs through an Altinn system user: Maskinporten access, scopes, client and
key, system registration, system-user request, customer approval, system-user token and the
API call. It checks inputs before the servers do and explains every error code.

Without configuration it runs against a built-in sandbox that emulates Maskinporten, Altinn
and a sample Skatteetaten API, so the whole flow works with no credentials.`,
		Args:          cobra.NoArgs,
		RunE:          func(cmd *cobra.Command, _ []string) error { return a.runWizard(cmd, rootWizard) },
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.setup(); err != nil {
				return err
			}
			return a.boundCommand(cmd)
		},
		Annotations: map[string]string{noTimeoutAnnotation: "true"},
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetIn(a.stdin)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.configPath, "config", "", "config file (default $"+config.EnvConfigVar+" or "+config.DefaultPath()+")")
	pf.StringVar(&a.profile, "profile", "", "profile in the config file (default: default_profile, or the only one)")
	pf.StringVar(&a.env, "env", "", "environment: sandbox, test or prod (default: the profile's, else sandbox)")
	pf.BoolVar(&a.noColor, "no-color", false, "no colours (also NO_COLOR=1)")
	pf.StringVar(&a.recordPath, "record", "", "write every HTTP exchange (redacted) to FILE as HAR 1.2; an existing HAR file is appended to")
	pf.DurationVar(&a.timeout, "timeout", DefaultCommandTimeout, "give up on a command that calls servers after this long in total, retries included")
	pf.BoolVar(&a.debug, "debug", false, "log HTTP exchanges (never bodies or secrets) to "+filepath.Join(config.DefaultStateDir(), "debug.log"))
	a.addWizardFlags(root, &rootWizard)
	subs := a.subcommands()
	if only, ok := subs[a.firstArg]; ok {
		// Only the command being run is built (start-up cost); help and completion listing
		// every command, and unknown commands, get the whole tree below.
		root.AddCommand(only())
	} else {
		for _, name := range subcommandOrder {
			root.AddCommand(subs[name]())
		}
	}
	return root
}

// subcommandOrder is the order of the commands in help.
var subcommandOrder = []string{"wizard", "keygen", "token", "grant", "inspect", "explain", "doctor", "system", "request",
	"users", "clients", "board", "call", "sandbox", "support"}

// subcommands builds each command on demand, by name.
func (a *app) subcommands() map[string]func() *cobra.Command {
	return map[string]func() *cobra.Command{
		"wizard": a.wizardCommand, "keygen": a.keygenCommand, "token": a.tokenCommand, "grant": a.grantCommand,
		"inspect": a.inspectCommand, "explain": a.explainCommand, "doctor": a.doctorCommand, "system": a.systemCommand,
		"request": a.requestCommand, "users": a.usersCommand, "board": a.boardCommand, "call": a.callCommand, "clients": a.clientsCommand, "sandbox": a.sandboxCommand,
		"support": a.supportCommand,
	}
}

// setup runs before every command: logging and colours.
func (a *app) setup() error {
	if a.env != "" {
		if err := config.CheckEnvName(a.env); err != nil {
			return usageError{fmt.Errorf("--env: %w", err)}
		}
	}
	a.renderer = lipgloss.NewRenderer(a.stdout)
	if a.noColor || os.Getenv("NO_COLOR") != "" || !isTerminal(a.stdout) {
		a.renderer.SetColorProfile(termenv.Ascii)
	}
	if a.debug {
		path := filepath.Join(config.DefaultStateDir(), "debug.log")
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return fmt.Errorf("create log directory: %w", err)
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return fmt.Errorf("open debug log: %w", err)
		}
		a.logFile = f
		a.log = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: redactAttr}))
		fmt.Fprintf(a.stderr, "debug log: %s\n", path)
	}
	return nil
}

// boundCommand gives a headless command its total deadline (--timeout) and reports token
// retries on stderr, so that a slow server is visible rather than a silent wait. The wizard
// and serve run until stopped (the wizard bounds and shows each call itself); a command with
// its own --timeout (request status --wait) uses that.
func (a *app) boundCommand(cmd *cobra.Command) error {
	if a.timeout <= 0 {
		return usagef("--timeout must be positive, e.g. 90s or 5m")
	}
	if cmd.Annotations[noTimeoutAnnotation] == "true" || cmd.LocalNonPersistentFlags().Lookup("timeout") != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), a.timeout)
	ctx = steps.WithProgress(ctx, func(line string) {
		fmt.Fprintf(a.stderr, "sbs-tui: %s\n", termsafe.Line(line))
	})
	a.cmdCtx, a.cancelTimeout = ctx, cancel
	cmd.SetContext(ctx)
	return nil
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

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (a *app) exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	var re reportedError
	switch {
	case errors.As(err, &re):
		return exitFailure
	case errors.As(err, &ue), isCobraUsage(err):
		fmt.Fprintf(a.stderr, "sbs-tui: %v\nRun 'sbs-tui --help' for usage.\n", err)
		return exitUsage
	case a.cmdCtx != nil && errors.Is(a.cmdCtx.Err(), context.DeadlineExceeded):
		fmt.Fprintf(a.stderr, "sbs-tui: gave up after %s (--timeout): %v\nTry again later, or allow more time with --timeout.\n", a.timeout, err)
		return exitFailure
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(a.stderr, "sbs-tui: cancelled")
		return exitFailure
	default:
		fmt.Fprintf(a.stderr, "sbs-tui: %v\n", err)
		return exitFailure
	}
}

func isCobraUsage(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.HasPrefix(s, "unknown flag") ||
		strings.HasPrefix(s, "accepts ") || strings.HasPrefix(s, "requires ") || strings.Contains(s, "flag needs an argument")
}

// httpClient is the client every external call goes through.
// Requests to an attached sandbox go where Attached routes them.
func (a *app) httpClient() *http.Client {
	var t http.RoundTripper
	if a.attached != nil {
		t = a.attached.Transport()
	}
	return httpx.NewClient(httpx.Options{Logger: a.log, Transport: t, Record: a.record})
}

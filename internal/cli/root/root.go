// Package root wires the sbs-tui commands into one cobra tree and runs a command line.
package root

import (
	"context"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/cli/apicmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/doctorcmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/inspectcmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/requestcmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/sandboxcmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/supportcmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/systemcmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/wizardcmd"
)

// Main runs the process's command line until it ends or a signal stops it, and returns the
// exit status.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// Run is main without the process: tests call it in-process.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := cli.New(stdin, stdout, stderr)
	a.Args = args
	a.PresetLang(args)
	firstArg := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		firstArg = args[0]
	}
	defer a.Close()
	root := rootCommand(a, firstArg)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if rerr := a.WriteRecord(); rerr != nil && err == nil {
		err = rerr
	}
	return a.ExitCode(err)
}

// rootCommand is sbs-tui: the wizard, with every command below it. firstArg is the command's
// name when it comes first on the command line ("" otherwise).
func rootCommand(a *cli.App, firstArg string) *cobra.Command {
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
		SilenceErrors: true,
		SilenceUsage:  true,
		Annotations:   map[string]string{cli.NoTimeoutAnnotation: "true"},
	}
	a.BindRoot(root)
	wizardcmd.BindRoot(a, root)
	subs := subcommands(a)
	if only, ok := subs[firstArg]; ok {
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
func subcommands(a *cli.App) map[string]func() *cobra.Command {
	with := func(f func(*cli.App) *cobra.Command) func() *cobra.Command {
		return func() *cobra.Command { return f(a) }
	}
	return map[string]func() *cobra.Command{
		"wizard":  with(wizardcmd.NewCmd),
		"keygen":  with(doctorcmd.NewKeygenCmd),
		"token":   with(inspectcmd.NewTokenCmd),
		"grant":   with(inspectcmd.NewGrantCmd),
		"inspect": with(inspectcmd.NewInspectCmd),
		"explain": with(inspectcmd.NewExplainCmd),
		"doctor":  with(doctorcmd.NewDoctorCmd),
		"system":  with(systemcmd.NewCmd),
		"request": with(requestcmd.NewCmd),
		"users":   with(requestcmd.NewUsersCmd),
		"clients": with(apicmd.NewClientsCmd),
		"board":   with(requestcmd.NewBoardCmd),
		"call":    with(apicmd.NewCallCmd),
		"sandbox": with(sandboxcmd.NewCmd),
		"support": with(supportcmd.NewCmd),
	}
}

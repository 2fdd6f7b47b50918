// Package root wires the sbs-tui commands into one cobra tree and runs a command line.
package root

import (
	"context"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/cli/apicmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/doctorcmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/inspectcmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/requestcmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/sandboxcmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/supportcmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/systemcmd"
	"github.com/sbs-tui/sbs-tui/internal/cli/wizardcmd"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
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
	cmd, err := a.CheckGroup(root, args)
	if err == nil {
		cmd, err = root.ExecuteContextC(ctx)
	}
	if rerr := a.WriteRecord(); rerr != nil && err == nil {
		err = rerr
	}
	path := root.CommandPath()
	if cmd != nil {
		path = cmd.CommandPath() // a usage error points at the help of the command it is about
	}
	return a.ExitCode(err, path)
}

// rootCommand is sbs-tui: the wizard, with every command below it. firstArg is the command's
// name when it comes first on the command line ("" otherwise).
func rootCommand(a *cli.App, firstArg string) *cobra.Command {
	root := &cobra.Command{
		Use:           "sbs-tui",
		Short:         a.T("cli.root.short"),
		Long:          a.T("cli.root.long"),
		Args:          a.NoArgs,
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
	localizeHelp(root, a.Text())
	return root
}

// localizeHelp puts cobra's own words in the user's language: the usage template's headings,
// every command's help flag, and the help and completion commands.
func localizeHelp(root *cobra.Command, t *i18n.Printer) {
	if t.Lang() == i18n.EN {
		return // cobra's own English is the catalogue's English
	}
	// cobra's template holds the English catalogue's words; each becomes the user's.
	en := i18n.English()
	var pairs []string
	for _, id := range []string{"usage", "aliases", "examples", "commands", "more_commands", "global_flags", "flags", "topics", "command"} {
		pairs = append(pairs, en.T("cli.usage."+id), t.T("cli.usage."+id)) //i18n:ignore an id prefix
	}
	more := func(p *i18n.Printer) string { return p.T("cli.usage.more", "Path", "{{.CommandPath}}") }
	// The sentence goes first: it holds "[command]", which is replaced on its own too.
	headings := strings.NewReplacer(append([]string{more(en), more(t)}, pairs...)...)
	root.SetUsageTemplate(headings.Replace(root.UsageTemplate()))
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	defaults := map[*pflag.Flag]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		if f := c.Flags().Lookup("help"); f != nil {
			f.Usage = t.T("cli.usage.help_for", "Name", c.Name())
		}
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if !defaults[f] {
				defaults[f] = true
				localizeDefault(f, t)
			}
		})
		if c.HasAvailableFlags() && !c.DisableFlagsInUseLine {
			// cobra appends an English " [flags]" to the usage line; the user's word instead.
			c.Use += " " + t.T("cli.usage.flags_token")
			c.DisableFlagsInUseLine = true
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Short = t.T("cli.usage.help_command")
		case "completion":
			c.Short = t.T("cli.usage.completion_command")
		}
	}
}

// zeroDefaults are pflag's zero values by flag type, which its help leaves unsaid.
var zeroDefaults = map[string]string{"string": "", "duration": "0s", "int": "0", "uint64": "0", "float64": "0", "bool": "false"}

// localizeDefault says a flag's default in the user's language: pflag appends an English
// "(default …)" to the usage of every flag whose default is not its type's zero value. The
// default moves into the usage text, and DefValue (which only help reads) becomes the zero
// value so that pflag says nothing more.
func localizeDefault(f *pflag.Flag, t *i18n.Printer) {
	zero, known := zeroDefaults[f.Value.Type()]
	if !known || f.DefValue == zero {
		return
	}
	shown := f.DefValue
	if f.Value.Type() == "string" {
		shown = strconv.Quote(shown)
	}
	f.Usage += " " + t.T("cli.usage.default", "Value", shown)
	f.DefValue = zero
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

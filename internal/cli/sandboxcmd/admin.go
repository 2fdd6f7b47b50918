package sandboxcmd

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// The sandbox's registries and fault rules, managed on its data directory: a sandbox served
// by another process on the same directory sees the change at its next request.

func minArgs(n int, hint string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < n {
			return cli.Usagef("%s", hint)
		}
		return nil
	}
}

// adminFlags are the flags every registry command takes.
type adminFlags struct {
	data   string
	asJSON bool
}

func (f *adminFlags) register(a *cli.App, cmd *cobra.Command) {
	dataFlag(a, cmd, &f.data)
	jsonFlag(a, cmd, &f.asJSON)
}

// dataFlag is --data, the sandbox data directory.
func dataFlag(a *cli.App, cmd *cobra.Command, data *string) {
	cmd.Flags().StringVar(data, "data", "", a.T("clitools.sandbox.flag.data", "Dir", config.DefaultDataDir()))
}

// jsonFlag is --json, one JSON object on standard output.
func jsonFlag(a *cli.App, cmd *cobra.Command, asJSON *bool) {
	cmd.Flags().BoolVar(asJSON, "json", false, a.T("clitools.sandbox.flag.json"))
}

// digits is n for a message: the language's number form ("1 000" in nb and nn), plain digits in
// English as the command always printed them.
func digits(a *cli.App, n int) string {
	if a.Text().Lang() == i18n.EN {
		return strconv.Itoa(n)
	}
	return a.Text().Number(n)
}

// openSandbox opens the sandbox of the data directory the --data flag, the profile or the
// environment names (sandboxDataDir).
func openSandbox(a *cli.App, data string) (*sandbox.Sandbox, error) {
	dir, err := sandboxDataDir(a, data)
	if err != nil {
		return nil, err
	}
	return sandbox.Open(sandbox.Options{DataDir: dir})
}

// onSandbox is a registry command's run: op on the sandbox of f's data directory, then the
// result as one JSON object {"ok": true, key: result} with --json, else as text. Every failure,
// opening the sandbox included, ends as the command's error (a JSON error with --json).
func onSandbox[T any](a *cli.App, f adminFlags, key string, op func(*sandbox.Sandbox) (T, error), text func(T)) error {
	sb, err := openSandbox(a, f.data)
	if err != nil {
		return a.MaybeJSON(f.asJSON, err)
	}
	res, err := op(sb)
	if err != nil {
		return a.MaybeJSON(f.asJSON, err)
	}
	if f.asJSON {
		return a.PrintJSON(map[string]any{"ok": true, key: res})
	}
	text(res)
	return nil
}

// addedVerb is how an add command names each entry: added, or there already.
func addedVerb(a *cli.App, added bool) string {
	if added {
		return a.T("clitools.sandbox.added")
	}
	return a.T("clitools.sandbox.already_present")
}

func sandboxResourceCommand(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{Use: "resource", Short: a.T("clitools.sandbox.resource.short")}
	var add, list adminFlags
	var title, typ string
	addCmd := &cobra.Command{
		Use:     "add ID... [--title T] [--type TYPE]", //i18n:ignore a cobra Use line
		Short:   a.T("clitools.sandbox.resource.add_short"),
		Example: a.T("clitools.sandbox.resource.add_example"),
		Args:    minArgs(1, a.T("clitools.sandbox.resource.need_id")),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, id := range args {
				if err := world.ValidateResourceID(id); err != nil {
					return cli.UsageError{Err: err}
				}
			}
			addResources := func(sb *sandbox.Sandbox) ([]world.ResourceInfo, error) { return sb.AddResources(args, title, typ) }
			return onSandbox(a, add, "resources", addResources, func(res []world.ResourceInfo) {
				for _, r := range res {
					fmt.Fprintf(a.Stdout, "%s  %s (%s)\n", addedVerb(a, r.Added), r.ID, r.Type)
				}
			})
		},
	}
	addCmd.Flags().StringVar(&title, "title", "", a.T("clitools.sandbox.resource.flag_title"))
	defaultType := "GenericAccessResource" //i18n:ignore a resource type's code
	addCmd.Flags().StringVar(&typ, "type", defaultType, a.T("clitools.sandbox.resource.flag_type", "Types", strings.Join(world.ResourceTypes(), ", ")))
	add.register(a, addCmd)
	listCmd := &cobra.Command{
		Use:   "list",
		Short: a.T("clitools.sandbox.resource.list_short"),
		Args:  a.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return onSandbox(a, list, "resources", (*sandbox.Sandbox).ListResources, func(res []world.ResourceInfo) {
				for _, r := range res {
					fmt.Fprintf(a.Stdout, "%-48s %-22s %s\n", termsafe.Line(r.ID), r.Type, termsafe.Line(r.Title))
				}
			})
		},
	}
	list.register(a, listCmd)
	removeCmd := sandboxRemoveCommand(a, "remove ID...", a.T("clitools.sandbox.resource.remove_short"), //i18n:ignore a cobra Use line
		a.T("clitools.sandbox.resource.need_id"), (*sandbox.Sandbox).RemoveResources)
	cmd.AddCommand(addCmd, listCmd, removeCmd)
	return cmd
}

// sandboxRemoveCommand removes registry entries named on the command line, all or none.
func sandboxRemoveCommand(a *cli.App, use, short, argsHint string, remove func(*sandbox.Sandbox, []string) error) *cobra.Command {
	var flags adminFlags
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  minArgs(1, argsHint),
		RunE: func(cmd *cobra.Command, args []string) error {
			removeArgs := func(sb *sandbox.Sandbox) ([]string, error) { return args, remove(sb, args) }
			return onSandbox(a, flags, "removed", removeArgs, func(names []string) {
				fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.removed", "Names", termsafe.Line(strings.Join(names, ", "))))
			})
		},
	}
	flags.register(a, cmd)
	return cmd
}

func sandboxScopeCommand(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{Use: "scope", Short: a.T("clitools.sandbox.scope.short")}
	var add, list adminFlags
	var delegable bool
	addCmd := &cobra.Command{
		Use:     "add NAME... [--delegable]", //i18n:ignore a cobra Use line
		Short:   a.T("clitools.sandbox.scope.add_short"),
		Example: a.T("clitools.sandbox.scope.add_example"),
		Args:    minArgs(1, a.T("clitools.sandbox.scope.need_scope")),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, n := range args {
				if err := world.ValidateScopeName(n); err != nil {
					return cli.UsageError{Err: err}
				}
			}
			addScopes := func(sb *sandbox.Sandbox) ([]world.ScopeInfo, error) { return sb.AddScopes(args, delegable) }
			return onSandbox(a, add, "scopes", addScopes, func(res []world.ScopeInfo) {
				for _, s := range res {
					fmt.Fprintf(a.Stdout, "%s  %s\n", addedVerb(a, s.Added), s.Name)
				}
				fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.scope.how_clients"))
			})
		},
	}
	addCmd.Flags().BoolVar(&delegable, "delegable", false, a.T("clitools.sandbox.scope.flag_delegable"))
	add.register(a, addCmd)
	listCmd := &cobra.Command{
		Use:   "list",
		Short: a.T("clitools.sandbox.scope.list_short"),
		Args:  a.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return onSandbox(a, list, "scopes", (*sandbox.Sandbox).ListScopes, func(res []world.ScopeInfo) {
				for _, s := range res {
					access := a.T("clitools.sandbox.scope.granted_only")
					if s.AccessAll {
						access = a.T("clitools.sandbox.scope.all_orgs")
					}
					fmt.Fprintf(a.Stdout, "%-56s %-24s %s\n", termsafe.Line(s.Name), strings.Join(s.IntegrationTypes, ","), access)
				}
			})
		},
	}
	list.register(a, listCmd)
	removeCmd := sandboxRemoveCommand(a, "remove NAME...", a.T("clitools.sandbox.scope.remove_short"), //i18n:ignore a cobra Use line
		a.T("clitools.sandbox.scope.need_scope"), (*sandbox.Sandbox).RemoveScopes)
	cmd.AddCommand(addCmd, listCmd, removeCmd)
	return cmd
}

func sandboxFaultsCommand(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "faults",
		Short: a.T("clitools.sandbox.faults.short"),
		Long:  a.T("clitools.sandbox.faults.long"),
	}
	var add, list, clear adminFlags
	var f world.Fault
	addCmd := &cobra.Command{
		Use:     "add --kind KIND [--path PREFIX] [--method M] [--delay 2s] [--retry-after N] [--times N] [--after]", //i18n:ignore a cobra Use line
		Short:   a.T("clitools.sandbox.faults.add_short"),
		Example: a.T("clitools.sandbox.faults.add_example"),
		Args:    a.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.Validate(); err != nil {
				return cli.UsageError{Err: err}
			}
			inject := func(sb *sandbox.Sandbox) (world.Fault, error) { return sb.InjectFault(f) }
			return onSandbox(a, add, "fault", inject, func(added world.Fault) {
				fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.faults.added", "Rule", describeFault(a, added)))
			})
		},
	}
	kinds := make([]string, len(world.FaultKinds))
	for i, k := range world.FaultKinds {
		kinds[i] = string(k)
	}
	fl := addCmd.Flags()
	fl.StringVar((*string)(&f.Kind), "kind", "", a.T("clitools.sandbox.faults.flag_kind", "Kinds", strings.Join(kinds, ", ")))
	fl.StringVar(&f.PathPrefix, "path", "", a.T("clitools.sandbox.faults.flag_path"))
	fl.StringVar(&f.Method, "method", "", a.T("clitools.sandbox.faults.flag_method"))
	fl.DurationVar(&f.Delay, "delay", 0, a.T("clitools.sandbox.faults.flag_delay", "Max", world.MaxFaultDelay.String()))
	fl.IntVar(&f.RetryAfter, "retry-after", 0, a.T("clitools.sandbox.faults.flag_retry_after"))
	fl.IntVar(&f.Times, "times", 1, a.T("clitools.sandbox.faults.flag_times"))
	fl.BoolVar(&f.After, "after", false, a.T("clitools.sandbox.faults.flag_after"))
	add.register(a, addCmd)
	listCmd := &cobra.Command{
		Use:   "list",
		Short: a.T("clitools.sandbox.faults.list_short"),
		Args:  a.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rules := (*sandbox.Sandbox).Faults
			return onSandbox(a, list, "faults", rules, func(rules []world.Fault) {
				if len(rules) == 0 {
					fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.faults.none"))
				}
				for _, r := range rules {
					fmt.Fprintln(a.Stdout, describeFault(a, r))
				}
			})
		},
	}
	list.register(a, listCmd)
	clearCmd := &cobra.Command{
		Use:   "clear",
		Short: a.T("clitools.sandbox.faults.clear_short"),
		Args:  a.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return onSandbox(a, clear, "cleared", (*sandbox.Sandbox).ClearFaults, func(n int) {
				fmt.Fprintln(a.Stdout, a.Text().N("clitools.sandbox.faults.cleared", n, "Count", digits(a, n)))
			})
		},
	}
	clear.register(a, clearCmd)
	cmd.AddCommand(addCmd, listCmd, clearCmd)
	return cmd
}

func describeFault(a *cli.App, f world.Fault) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s", f.ID, f.Kind)
	if f.Delay > 0 {
		fmt.Fprintf(&b, " %s", f.Delay.Round(time.Millisecond))
	}
	if f.Kind == world.FaultThrottle {
		fmt.Fprintf(&b, " (Retry-After %d)", f.RetryAfter) //i18n:ignore an HTTP header and its value
	}
	method, path := f.Method, f.PathPrefix
	if method == "" {
		method = a.T("clitools.sandbox.faults.any_method")
	}
	if path == "" {
		path = "/"
	}
	b.WriteString(a.Text().N("clitools.sandbox.faults.on", f.Times, "Method", method, "Path", termsafe.Line(path), "Count", digits(a, f.Times)))
	if f.After {
		b.WriteString(a.T("clitools.sandbox.faults.after_handler"))
	}
	return b.String()
}

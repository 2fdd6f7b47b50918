package sandboxcmd

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/config"
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

func (f *adminFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.data, "data", "", "sandbox data directory (default: the profile's, else "+config.DefaultDataDir()+")")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print one JSON object")
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

func sandboxResourceCommand(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{Use: "resource", Short: "Manage the sandbox's Altinn Resource Registry (resources systems may name as rights)"}
	var add, list adminFlags
	var title, typ string
	addCmd := &cobra.Command{
		Use:   "add ID... [--title T] [--type TYPE]",
		Short: "Add resources (re-adding one is not an error)",
		Example: `  sbs-tui sandbox resource add ske-innrapportering-boligsameie --title "Innrapportering boligsameie"
  sbs-tui sandbox resource add app_acme_my-app --type AltinnApp`,
		Args: minArgs(1, "give at least one resource id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, id := range args {
				if err := world.ValidateResourceID(id); err != nil {
					return cli.UsageError{Err: err}
				}
			}
			sb, err := openSandbox(a, add.data)
			if err != nil {
				return a.MaybeJSON(add.asJSON, err)
			}
			res, err := sb.AddResources(args, title, typ)
			if err != nil {
				return a.MaybeJSON(add.asJSON, err)
			}
			if add.asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "resources": res})
			}
			for _, r := range res {
				verb := "added"
				if !r.Added {
					verb = "already present"
				}
				fmt.Fprintf(a.Stdout, "%s  %s (%s)\n", verb, r.ID, r.Type)
			}
			return nil
		},
	}
	addCmd.Flags().StringVar(&title, "title", "", "display title")
	addCmd.Flags().StringVar(&typ, "type", "GenericAccessResource", "resource type: "+strings.Join(world.ResourceTypes(), ", "))
	add.register(addCmd)
	listCmd := &cobra.Command{
		Use:   "list",
		Short: "List the Resource Registry",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sb, err := openSandbox(a, list.data)
			if err != nil {
				return a.MaybeJSON(list.asJSON, err)
			}
			res, err := sb.ListResources()
			if err != nil {
				return a.MaybeJSON(list.asJSON, err)
			}
			if list.asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "resources": res})
			}
			for _, r := range res {
				fmt.Fprintf(a.Stdout, "%-48s %-22s %s\n", termsafe.Line(r.ID), r.Type, termsafe.Line(r.Title))
			}
			return nil
		},
	}
	list.register(listCmd)
	removeCmd := sandboxRemoveCommand(a, "remove ID...", "Remove resources (all or none: an unknown id removes nothing)",
		"give at least one resource id", (*sandbox.Sandbox).RemoveResources)
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
			sb, err := openSandbox(a, flags.data)
			if err != nil {
				return a.MaybeJSON(flags.asJSON, err)
			}
			if err := remove(sb, args); err != nil {
				return a.MaybeJSON(flags.asJSON, err)
			}
			if flags.asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "removed": args})
			}
			fmt.Fprintf(a.Stdout, "removed %s\n", termsafe.Line(strings.Join(args, ", ")))
			return nil
		},
	}
	flags.register(cmd)
	return cmd
}

func sandboxScopeCommand(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{Use: "scope", Short: "Manage the sandbox Maskinporten's scope registry"}
	var add, list adminFlags
	var delegable bool
	addCmd := &cobra.Command{
		Use:     "add NAME... [--delegable]",
		Short:   "Add scopes open to every organisation (re-adding one is not an error)",
		Example: `  sbs-tui sandbox scope add altinn:instances.read altinn:instances.write`,
		Args:    minArgs(1, "give at least one scope"),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, n := range args {
				if err := world.ValidateScopeName(n); err != nil {
					return cli.UsageError{Err: err}
				}
			}
			sb, err := openSandbox(a, add.data)
			if err != nil {
				return a.MaybeJSON(add.asJSON, err)
			}
			res, err := sb.AddScopes(args, delegable)
			if err != nil {
				return a.MaybeJSON(add.asJSON, err)
			}
			if add.asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "scopes": res})
			}
			for _, s := range res {
				verb := "added"
				if !s.Added {
					verb = "already present"
				}
				fmt.Fprintf(a.Stdout, "%s  %s\n", verb, s.Name)
			}
			fmt.Fprintln(a.Stdout, "Clients get a scope through the self-service API (or the wizard's step 3).")
			return nil
		},
	}
	addCmd.Flags().BoolVar(&delegable, "delegable", false, "the scope may be delegated in Altinn (consumer_org)")
	add.register(addCmd)
	listCmd := &cobra.Command{
		Use:   "list",
		Short: "List the scope registry",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sb, err := openSandbox(a, list.data)
			if err != nil {
				return a.MaybeJSON(list.asJSON, err)
			}
			res, err := sb.ListScopes()
			if err != nil {
				return a.MaybeJSON(list.asJSON, err)
			}
			if list.asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "scopes": res})
			}
			for _, s := range res {
				access := "granted orgs only"
				if s.AccessAll {
					access = "all orgs"
				}
				fmt.Fprintf(a.Stdout, "%-56s %-24s %s\n", termsafe.Line(s.Name), strings.Join(s.IntegrationTypes, ","), access)
			}
			return nil
		},
	}
	list.register(listCmd)
	removeCmd := sandboxRemoveCommand(a, "remove NAME...", "Remove scopes from the registry and from every client (all or none)",
		"give at least one scope", (*sandbox.Sandbox).RemoveScopes)
	cmd.AddCommand(addCmd, listCmd, removeCmd)
	return cmd
}

func sandboxFaultsCommand(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "faults",
		Short: "Inject faults (latency, 500s, 429s, dropped connections) into the sandbox",
		Long: `Fault rules make the next matching requests slow, fail, throttle or drop, to try a
client's retries. They are stored in the sandbox's data directory, so a sandbox served by
another process picks them up at once.`,
	}
	var add, list, clear adminFlags
	var f world.Fault
	addCmd := &cobra.Command{
		Use:   "add --kind KIND [--path PREFIX] [--method M] [--delay 2s] [--retry-after N] [--times N] [--after]",
		Short: "Add a fault rule",
		Example: `  sbs-tui sandbox faults add --kind throttle --path /maskinporten/token --retry-after 2 --times 2
  sbs-tui sandbox faults add --kind latency --delay 3s --path /altinn/
  sbs-tui sandbox faults add --kind drop --method POST --path /altinn/authentication/api/v1/systemregister --after`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.Validate(); err != nil {
				return cli.UsageError{Err: err}
			}
			sb, err := openSandbox(a, add.data)
			if err != nil {
				return a.MaybeJSON(add.asJSON, err)
			}
			added, err := sb.InjectFault(f)
			if err != nil {
				return a.MaybeJSON(add.asJSON, err)
			}
			if add.asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "fault": added})
			}
			fmt.Fprintf(a.Stdout, "added %s\n", describeFault(added))
			return nil
		},
	}
	kinds := make([]string, len(world.FaultKinds))
	for i, k := range world.FaultKinds {
		kinds[i] = string(k)
	}
	fl := addCmd.Flags()
	fl.StringVar((*string)(&f.Kind), "kind", "", "what happens: "+strings.Join(kinds, ", "))
	fl.StringVar(&f.PathPrefix, "path", "", "only requests whose path starts with this (default: every path)")
	fl.StringVar(&f.Method, "method", "", "only this HTTP method (default: every method)")
	fl.DurationVar(&f.Delay, "delay", 0, fmt.Sprintf("latency: how long to wait (at most %s)", world.MaxFaultDelay))
	fl.IntVar(&f.RetryAfter, "retry-after", 0, "throttle: the Retry-After seconds to send")
	fl.IntVar(&f.Times, "times", 1, "how many matching requests the rule applies to")
	fl.BoolVar(&f.After, "after", false, "error/throttle/drop: let the request take effect first, lose only the answer")
	add.register(addCmd)
	listCmd := &cobra.Command{
		Use:   "list",
		Short: "List the fault rules in the order they apply",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sb, err := openSandbox(a, list.data)
			if err != nil {
				return a.MaybeJSON(list.asJSON, err)
			}
			rules, err := sb.Faults()
			if err != nil {
				return a.MaybeJSON(list.asJSON, err)
			}
			if list.asJSON {
				if rules == nil {
					rules = []world.Fault{}
				}
				return a.PrintJSON(map[string]any{"ok": true, "faults": rules})
			}
			if len(rules) == 0 {
				fmt.Fprintln(a.Stdout, "no fault rules")
			}
			for _, r := range rules {
				fmt.Fprintln(a.Stdout, describeFault(r))
			}
			return nil
		},
	}
	list.register(listCmd)
	clearCmd := &cobra.Command{
		Use:   "clear",
		Short: "Remove every fault rule",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sb, err := openSandbox(a, clear.data)
			if err != nil {
				return a.MaybeJSON(clear.asJSON, err)
			}
			n, err := sb.ClearFaults()
			if err != nil {
				return a.MaybeJSON(clear.asJSON, err)
			}
			if clear.asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "cleared": n})
			}
			fmt.Fprintf(a.Stdout, "cleared %d fault rule(s)\n", n)
			return nil
		},
	}
	clear.register(clearCmd)
	cmd.AddCommand(addCmd, listCmd, clearCmd)
	return cmd
}

func describeFault(f world.Fault) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s", f.ID, f.Kind)
	if f.Delay > 0 {
		fmt.Fprintf(&b, " %s", f.Delay.Round(time.Millisecond))
	}
	if f.Kind == world.FaultThrottle {
		fmt.Fprintf(&b, " (Retry-After %d)", f.RetryAfter)
	}
	method, path := f.Method, f.PathPrefix
	if method == "" {
		method = "any method"
	}
	if path == "" {
		path = "/"
	}
	fmt.Fprintf(&b, " on %s %s*, next %d request(s)", method, termsafe.Line(path), f.Times)
	if f.After {
		b.WriteString(", after the handler ran")
	}
	return b.String()
}

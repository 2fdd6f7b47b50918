package systemcmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// NewCmd is `sbs-tui system`: registering and reading systems (step 4).
func NewCmd(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{Use: "system", Short: "Register and read systems in Altinn's system register (step 4)"}
	cmd.AddCommand(systemRegisterCommand(a), systemGetCommand(a), systemListCommand(a))
	return cmd
}

func systemRegisterCommand(a *cli.App) *cobra.Command {
	var file string
	var dryRun, asJSON bool
	cmd := &cobra.Command{
		Use:   "register --file system.json",
		Short: "Create the system, or update it when it exists and differs",
		Long: `Checks system.json against every rule Altinn's system register applies that can be checked
locally (vendor prefix, system id, https redirect URLs, duplicates, access packages known to
the catalog and usable, isVisible with client-only packages) and reports JSON syntax errors
with line and column. Then creates the system, or compares it with the registered one and
updates it only if it differs. --dry-run stops before changing anything.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if file == "" {
				return cli.Usagef("--file is required")
			}
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			cat := s.Catalog(cmd.Context())
			f, err := steps.ReadSystemFile(file, cat, &steps.ProfileFacts{OrgNo: s.Profile.OrgNo, ClientID: s.Profile.ClientID})
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			if len(f.Problems) > 0 {
				verr := &steps.ViolationsError{What: "system definition " + file, Violations: f.Problems}
				if asJSON {
					return a.FailJSON(verr, map[string]any{"problems": f.Problems, "warnings": f.Warnings})
				}
				a.PrintViolations("Problems (the server would refuse these)", f.Problems)
				a.PrintViolations("Warnings", f.Warnings)
				return cli.ReportedError{Err: verr}
			}
			r, err := steps.RegisterSystem(cmd.Context(), s, f.Definition, dryRun)
			if err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "result": r, "warnings": f.Warnings})
			}
			a.PrintViolations("Warnings", f.Warnings)
			fmt.Fprintf(a.Stdout, "System %s: %s\n", r.SystemID, strings.ReplaceAll(r.Action, "-", " "))
			for _, c := range r.Changes {
				fmt.Fprintf(a.Stdout, "  %s\n", termsafe.Line(c))
			}
			if r.Recovered {
				fmt.Fprintln(a.Stdout, "  (the answer to the create was lost; the system was found by looking it up, not created twice)")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "system definition (system.json)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check and compare, but change nothing")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func systemGetCommand(a *cli.App) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "get SYSTEM_ID",
		Short: "Show a registered system",
		Args:  a.ExactArgs(1, "give the system id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			sys, err := s.Altinn().GetSystem(cmd.Context(), args[0])
			if err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "system": sys})
			}
			printSystem(a, sys)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func printSystem(a *cli.App, sys *altinn.RegisteredSystem) {
	w := a.Stdout
	st := a.Styles()
	fmt.Fprintf(w, "%s\n", st.Title.Render("System "+termsafe.Line(sys.ID)))
	if sys.IsDeleted {
		fmt.Fprintf(w, "  %s\n", st.Fail.Render("deleted (the id stays reserved)"))
	}
	fmt.Fprintf(w, "  vendor       %s\n", termsafe.Line(sys.Vendor.ID))
	fmt.Fprintf(w, "  name         %s\n", termsafe.Line(sys.Name["nb"]))
	fmt.Fprintf(w, "  description  %s\n", termsafe.Line(sys.Description["nb"]))
	fmt.Fprintf(w, "  visible      %v\n", sys.IsVisible)
	fmt.Fprintf(w, "  client ids   %s\n", termsafe.Line(strings.Join(sys.ClientID, ", ")))
	for _, p := range sys.AccessPackages {
		fmt.Fprintf(w, "  package      %s\n", termsafe.Line(p.URN))
	}
	for _, r := range sys.Rights {
		fmt.Fprintf(w, "  right        %s\n", termsafe.Line(r.Key()))
	}
	for _, u := range sys.AllowedRedirectURLs {
		fmt.Fprintf(w, "  redirect     %s\n", termsafe.Line(u))
	}
}

func systemListCommand(a *cli.App) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List your systems",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			list, err := s.Altinn().ListSystems(cmd.Context())
			if err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "systems": list})
			}
			if len(list) == 0 {
				fmt.Fprintln(a.Stdout, "No systems registered. Register one with: sbs-tui system register --file system.json")
			}
			for _, sys := range list {
				fmt.Fprintf(a.Stdout, "%s  %s  (%d packages, %d rights, visible %v)\n", termsafe.Line(sys.SystemID), termsafe.Line(sys.Name["nb"]), len(sys.AccessPackages), len(sys.Rights), sys.IsVisible)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

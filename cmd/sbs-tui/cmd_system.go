package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	altinnclient "github.com/sbs-tui/sbs-tui/internal/clients/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

func (a *app) systemCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "system", Short: "Register and read systems in Altinn's system register (step 4)"}
	cmd.AddCommand(a.systemRegisterCommand(), a.systemGetCommand(), a.systemListCommand())
	return cmd
}

func (a *app) systemRegisterCommand() *cobra.Command {
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
				return usagef("--file is required")
			}
			s, err := a.getSession(cmd.Context())
			if err != nil {
				return a.maybeJSON(asJSON, err)
			}
			cat := s.Catalog(cmd.Context())
			f, err := steps.ReadSystemFile(file, cat, &steps.ProfileFacts{OrgNo: s.Profile.OrgNo, ClientID: s.Profile.ClientID})
			if err != nil {
				return a.maybeJSON(asJSON, err)
			}
			if len(f.Problems) > 0 {
				verr := &steps.ViolationsError{What: "system definition " + file, Violations: f.Problems}
				if asJSON {
					return a.failJSON(verr, map[string]any{"problems": f.Problems, "warnings": f.Warnings})
				}
				a.printViolations("Problems (the server would refuse these)", f.Problems)
				a.printViolations("Warnings", f.Warnings)
				return reportedError{verr}
			}
			r, err := steps.RegisterSystem(cmd.Context(), s, f.Definition, dryRun)
			if err != nil {
				return a.reportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.printJSON(map[string]any{"ok": true, "result": r, "warnings": f.Warnings})
			}
			a.printViolations("Warnings", f.Warnings)
			fmt.Fprintf(a.stdout, "System %s: %s\n", r.SystemID, strings.ReplaceAll(r.Action, "-", " "))
			for _, c := range r.Changes {
				fmt.Fprintf(a.stdout, "  %s\n", termsafe.Line(c))
			}
			if r.Recovered {
				fmt.Fprintln(a.stdout, "  (the answer to the create was lost; the system was found by looking it up, not created twice)")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "system definition (system.json)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check and compare, but change nothing")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func (a *app) systemGetCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "get SYSTEM_ID",
		Short: "Show a registered system",
		Args:  exactArgs(1, "give the system id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.getSession(cmd.Context())
			if err != nil {
				return a.maybeJSON(asJSON, err)
			}
			sys, err := s.Altinn().GetSystem(cmd.Context(), args[0])
			if err != nil {
				return a.reportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.printJSON(map[string]any{"ok": true, "system": sys})
			}
			a.printSystem(sys)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func (a *app) printSystem(sys *altinn.RegisteredSystem) {
	w := a.stdout
	st := a.styles()
	fmt.Fprintf(w, "%s\n", st.title.Render("System "+termsafe.Line(sys.ID)))
	if sys.IsDeleted {
		fmt.Fprintf(w, "  %s\n", st.fail.Render("deleted (the id stays reserved)"))
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

func (a *app) systemListCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List your systems",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.getSession(cmd.Context())
			if err != nil {
				return a.maybeJSON(asJSON, err)
			}
			list, err := s.Altinn().ListSystems(cmd.Context())
			if err != nil {
				return a.reportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.printJSON(map[string]any{"ok": true, "systems": list})
			}
			if len(list) == 0 {
				fmt.Fprintln(a.stdout, "No systems registered. Register one with: sbs-tui system register --file system.json")
			}
			for _, sys := range list {
				fmt.Fprintf(a.stdout, "%s  %s  (%d packages, %d rights, visible %v)\n", termsafe.Line(sys.SystemID), termsafe.Line(sys.Name["nb"]), len(sys.AccessPackages), len(sys.Rights), sys.IsVisible)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func exactArgs(n int, hint string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s (got %d arguments)", hint, len(args))
		}
		return nil
	}
}

func (a *app) printViolations(title string, vs []altinn.Violation) {
	if len(vs) == 0 {
		return
	}
	st := a.styles()
	fmt.Fprintf(a.stderr, "%s\n", st.bold.Render(title+":"))
	for _, v := range vs {
		code := ""
		if v.Code != "" {
			code = " [" + string(v.Code) + "]"
		}
		fmt.Fprintf(a.stderr, "  %s: %s%s\n", termsafe.Line(v.Field), termsafe.Line(v.Message), code)
		if p, ok := altinn.ProblemFor(v.Code); ok {
			fmt.Fprintf(a.stderr, "    → %s\n", p.Fix)
		}
	}
}

// reportAltinnError prints Altinn's refusals and local validation with full explanations.
func (a *app) reportAltinnError(asJSON bool, err error) error {
	var verr *steps.ViolationsError
	if errors.As(err, &verr) {
		if asJSON {
			return a.failJSON(err, map[string]any{"problems": verr.Violations})
		}
		a.printViolations("Not sent; fix these first", verr.Violations)
		return reportedError{err}
	}
	if e, ok := altinnclient.AsError(err); ok {
		if asJSON {
			return a.failJSON(err, map[string]any{"status": e.Status, "codes": e.Codes(), "trace_id": e.TraceID, "validation_errors": e.Validation})
		}
		fmt.Fprint(a.stderr, e.Explain())
		return reportedError{err}
	}
	return a.reportTokenError(asJSON, err)
}

package systemcmd

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// NewCmd is `sbs-tui system`: registering and reading systems (step 4).
func NewCmd(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{Use: "system", Short: a.T("clirequest.system.short")}
	cmd.AddCommand(systemRegisterCommand(a), systemGetCommand(a), systemListCommand(a))
	return cmd
}

func systemRegisterCommand(a *cli.App) *cobra.Command {
	var file string
	var dryRun, asJSON bool
	cmd := &cobra.Command{
		Use:   "register --file system.json", //i18n:ignore a cobra Use: line
		Short: a.T("clirequest.system.register_short"),
		Long:  a.T("clirequest.system.register_long"),
		Args:  a.NoArgs,
		PreRunE: func(*cobra.Command, []string) error {
			if file == "" {
				return cli.Usagef("%s", a.T("clirequest.system.need_file"))
			}
			return nil
		},
		RunE: a.WithSession(&asJSON, func(cmd *cobra.Command, _ []string, s *steps.Session) error {
			cat := s.Catalog(cmd.Context())
			f, err := steps.ReadSystemFile(file, cat, &steps.ProfileFacts{OrgNo: s.Profile.OrgNo, ClientID: s.Profile.ClientID})
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			if len(f.Problems) > 0 {
				verr := &steps.ViolationsError{What: a.T("clirequest.system.definition", "File", file), Violations: f.Problems, Text: a.Text()}
				if asJSON {
					return a.FailJSON(verr, map[string]any{"problems": f.Problems, "warnings": f.Warnings})
				}
				a.PrintViolations(a.T("clirequest.system.problems"), f.Problems)
				a.PrintViolations(a.T("clirequest.system.warnings"), f.Warnings)
				return cli.ReportedError{Err: verr}
			}
			r, err := steps.RegisterSystem(cmd.Context(), s, f.Definition, dryRun)
			if err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "result": r, "warnings": f.Warnings})
			}
			a.PrintViolations(a.T("clirequest.system.warnings"), f.Warnings)
			fmt.Fprintln(a.Stdout, a.T("clirequest.system.result", "ID", r.SystemID, "Action", r.ActionIn(a.Text())))
			for _, c := range r.Changes {
				fmt.Fprintf(a.Stdout, "  %s\n", termsafe.Line(c))
			}
			if r.Recovered {
				fmt.Fprintln(a.Stdout, "  "+a.T("clirequest.system.recovered"))
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&file, "file", "", a.T("clirequest.system.flag.file"))
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, a.T("clirequest.system.flag.dry_run"))
	cmd.Flags().BoolVar(&asJSON, "json", false, a.T("clirequest.flag.json"))
	return cmd
}

func systemGetCommand(a *cli.App) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "get SYSTEM_ID", //i18n:ignore a cobra Use: line
		Short: a.T("clirequest.system.get_short"),
		Args:  a.ExactArgs(1, a.T("clirequest.system.get_arg")),
		RunE: a.WithSession(&asJSON, func(cmd *cobra.Command, args []string, s *steps.Session) error {
			sys, err := s.Altinn().GetSystem(cmd.Context(), args[0])
			if err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "system": sys})
			}
			printSystem(a, sys)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, a.T("clirequest.flag.json"))
	return cmd
}

func printSystem(a *cli.App, sys *altinn.RegisteredSystem) {
	w := a.Stdout
	st := a.Styles()
	fmt.Fprintf(w, "%s\n", st.Title.Render(a.T("clirequest.system.title", "ID", termsafe.Line(sys.ID))))
	if sys.IsDeleted {
		fmt.Fprintf(w, "  %s\n", st.Fail.Render(a.T("clirequest.system.deleted")))
	}
	ids := []string{"clirequest.system.label.vendor", "clirequest.system.label.name", "clirequest.system.label.desc",
		"clirequest.system.label.visible", "clirequest.system.label.client_ids", "clirequest.system.label.package",
		"clirequest.system.label.right", "clirequest.system.label.redirect"}
	width := 13
	for _, id := range ids {
		width = max(width, utf8.RuneCountInString(a.T(id))+1)
	}
	row := func(id, value string) { fmt.Fprintf(w, "  %-*s%s\n", width, a.T(id), value) }
	row("clirequest.system.label.vendor", termsafe.Line(sys.Vendor.ID))
	row("clirequest.system.label.name", termsafe.Line(sys.Name["nb"]))
	row("clirequest.system.label.desc", termsafe.Line(sys.Description["nb"]))
	row("clirequest.system.label.visible", fmt.Sprint(sys.IsVisible))
	row("clirequest.system.label.client_ids", termsafe.Line(strings.Join(sys.ClientID, ", ")))
	for _, p := range sys.AccessPackages {
		row("clirequest.system.label.package", termsafe.Line(p.URN))
	}
	for _, r := range sys.Rights {
		row("clirequest.system.label.right", termsafe.Line(r.Key()))
	}
	for _, u := range sys.AllowedRedirectURLs {
		row("clirequest.system.label.redirect", termsafe.Line(u))
	}
}

func systemListCommand(a *cli.App) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list", //i18n:ignore a cobra Use: line
		Short: a.T("clirequest.system.list_short"),
		Args:  a.NoArgs,
		RunE: a.WithSession(&asJSON, func(cmd *cobra.Command, _ []string, s *steps.Session) error {
			list, err := s.Altinn().ListSystems(cmd.Context())
			if err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "systems": list})
			}
			if len(list) == 0 {
				fmt.Fprintln(a.Stdout, a.T("clirequest.system.none"))
			}
			for _, sys := range list {
				fmt.Fprintln(a.Stdout, a.T("clirequest.system.row", "ID", termsafe.Line(sys.SystemID), "Name", termsafe.Line(sys.Name["nb"]), "Packages", a.Text().N("clirequest.system.packages", len(sys.AccessPackages), "Count", len(sys.AccessPackages)),
					"Rights", a.Text().N("clirequest.system.rights", len(sys.Rights), "Count", len(sys.Rights)), "Visible", sys.IsVisible))
			}
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, a.T("clirequest.flag.json"))
	return cmd
}

package doctorcmd

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// NewDoctorCmd is `sbs-tui doctor`: the checks of steps 1–3.
func NewDoctorCmd(a *cli.App) *cobra.Command {
	var asJSON bool
	var suOrg, extRef string
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: a.T("clitools.doctor.short"),
		Long:  a.T("clitools.doctor.long"),
		Args:  a.NoArgs,
		PreRunE: func(*cobra.Command, []string) error {
			if suOrg == "" {
				return nil
			}
			var err error
			suOrg, err = a.OrgNoArg("--systemuser-org", suOrg)
			return err
		},
		RunE: a.WithSession(&asJSON, func(cmd *cobra.Command, _ []string, s *steps.Session) error {
			r := steps.Doctor(cmd.Context(), s)
			if suOrg != "" {
				c := steps.CheckDialogporten(cmd.Context(), s, suOrg, extRef)
				r.Dialogporten = &c
			}
			if asJSON {
				if err := a.PrintJSON(map[string]any{"ok": r.OK(), "report": r}); err != nil {
					return err
				}
			} else {
				printDoctor(a, r)
			}
			if !r.OK() {
				return cli.ReportedError{Err: errors.New(a.T("clitools.doctor.problems"))}
			}
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, a.T("clitools.sandbox.flag.json"))
	cmd.Flags().StringVar(&suOrg, "systemuser-org", "", a.T("clitools.doctor.flag_systemuser_org"))
	cmd.Flags().StringVar(&extRef, "external-ref", "", a.T("clitools.doctor.flag_external_ref"))
	return cmd
}

func printDoctor(a *cli.App, r steps.DoctorReport) {
	st := a.Styles()
	w := a.Stdout
	fmt.Fprintf(w, "%s\n", st.Title.Render(a.T("clitools.doctor.configuration")))
	printChecks(a, w, r.Config)
	fmt.Fprintf(w, "\n%s\n", st.Title.Render(a.T("clitools.doctor.maskinporten", "Env", r.Environment.Environment)))
	printChecks(a, w, r.Environment.Checks)
	fmt.Fprintf(w, "\n%s\n", st.Title.Render(a.T("clitools.doctor.scopes")))
	if len(r.Scopes) == 0 {
		fmt.Fprintln(w, a.T("clitools.doctor.no_scopes"))
	}
	checks := make([]steps.Check, len(r.Scopes))
	for i, v := range r.Scopes {
		checks[i] = v.Check
	}
	printChecks(a, w, checks)
	fmt.Fprintf(w, "\n%s\n", st.Title.Render(a.T("clitools.doctor.client_key")))
	printChecks(a, w, r.Key.Checks)
	if r.Dialogporten != nil {
		fmt.Fprintf(w, "\n%s\n", st.Title.Render(a.T("clitools.doctor.dialogporten")))
		printChecks(a, w, []steps.Check{*r.Dialogporten})
	}
	warned := 0
	for _, c := range append(append(append(slices.Clone(r.Config), r.Environment.Checks...), checks...), r.Key.Checks...) {
		if c.Verdict == steps.Warn {
			warned++
		}
	}
	if r.Dialogporten != nil && r.Dialogporten.Verdict == steps.Warn {
		warned++
	}
	switch {
	case r.OK() && warned > 0:
		fmt.Fprintf(w, "\n%s\n", st.Pass.Render(a.Text().N("clitools.doctor.all_passed_warned", warned, "Count", warned)))
	case r.OK():
		fmt.Fprintf(w, "\n%s\n", st.Pass.Render(a.T("clitools.doctor.all_passed")))
	default:
		fmt.Fprintf(w, "\n%s\n", st.Fail.Render(a.T("clitools.doctor.some_failed")))
	}
}

// verdictIDs are the verdicts' labels, padded to one width so that the columns line up.
var verdictIDs = map[steps.Verdict]string{steps.Pass: "clitools.doctor.pass", steps.Warn: "clitools.doctor.warn",
	steps.Fail: "clitools.doctor.fail", steps.Skip: "clitools.doctor.skip"}

// verdictWidth is the widest verdict label in the command's language.
func verdictWidth(a *cli.App) int {
	w := 0
	for _, id := range verdictIDs {
		w = max(w, lipgloss.Width(a.T(id)))
	}
	return w
}

func verdict(a *cli.App, st cli.Styles, v steps.Verdict, width int) string {
	id, ok := verdictIDs[v]
	if !ok {
		id = verdictIDs[steps.Skip]
	}
	label := a.T(id)
	label += strings.Repeat(" ", max(0, width-lipgloss.Width(label)))
	switch v {
	case steps.Pass:
		return st.Pass.Render(label)
	case steps.Warn:
		return st.Warn.Render(label)
	case steps.Fail:
		return st.Fail.Render(label)
	default:
		return st.Skip.Render(label)
	}
}

// printChecks writes checks as aligned lines; every server-supplied text is cleaned.
func printChecks(a *cli.App, w io.Writer, checks []steps.Check) {
	st := a.Styles()
	width, vw := 0, verdictWidth(a)
	for _, c := range checks {
		width = max(width, lipgloss.Width(c.Title()))
	}
	for _, c := range checks {
		code := ""
		if c.Code != "" {
			code = " [" + c.Code + "]"
		}
		fmt.Fprintf(w, "  %s  %-*s  %s%s\n", verdict(a, st, c.Verdict, vw), width, termsafe.Line(c.Title()), termsafe.Line(c.Detail), code)
		if c.Fix != "" && c.Verdict != steps.Pass {
			fmt.Fprintf(w, "  %s  %-*s  %s\n", strings.Repeat(" ", vw), width, "", st.Dim.Render("→ "+termsafe.Line(c.Fix)))
		}
	}
}

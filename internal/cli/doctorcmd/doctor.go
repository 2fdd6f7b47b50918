package doctorcmd

import (
	"errors"
	"fmt"
	"io"
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
		Short: "Check steps 1–3: config, key, Maskinporten reachability, clock, and every scope",
		Long: `Checks the configuration and key (and warns on a key file others can read), fetches
Maskinporten's metadata, measures your clock against Maskinporten's, and tries a token
request for each configured scope, giving a verdict per scope with the server's code and
what to do about it. With --systemuser-org it proves digdir:dialogporten with one real call:
Dialogporten's dialog list for that organisation's system user. Exit status 1 when anything
failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
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
				return cli.ReportedError{Err: errors.New("doctor found problems")}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().StringVar(&suOrg, "systemuser-org", "", "also list this organisation's dialogs in Dialogporten with its system user (proves digdir:dialogporten)")
	cmd.Flags().StringVar(&extRef, "external-ref", "", "the system user's external reference, if its request had one")
	return cmd
}

func printDoctor(a *cli.App, r steps.DoctorReport) {
	st := a.Styles()
	w := a.Stdout
	fmt.Fprintf(w, "%s\n", st.Title.Render("Configuration"))
	printChecks(a, w, r.Config)
	fmt.Fprintf(w, "\n%s\n", st.Title.Render("1. Maskinporten ("+r.Environment.Environment+")"))
	printChecks(a, w, r.Environment.Checks)
	fmt.Fprintf(w, "\n%s\n", st.Title.Render("2. Scopes"))
	if len(r.Scopes) == 0 {
		fmt.Fprintln(w, "  (the profile lists no scopes)")
	}
	checks := make([]steps.Check, len(r.Scopes))
	for i, v := range r.Scopes {
		checks[i] = v.Check
	}
	printChecks(a, w, checks)
	fmt.Fprintf(w, "\n%s\n", st.Title.Render("3. Client and key"))
	printChecks(a, w, r.Key.Checks)
	if r.Dialogporten != nil {
		fmt.Fprintf(w, "\n%s\n", st.Title.Render("Dialogporten (step 8)"))
		printChecks(a, w, []steps.Check{*r.Dialogporten})
	}
	if r.OK() {
		fmt.Fprintf(w, "\n%s\n", st.Pass.Render("All checks passed."))
	} else {
		fmt.Fprintf(w, "\n%s\n", st.Fail.Render("Some checks failed; see the → lines for what to do."))
	}
}

func verdict(st cli.Styles, v steps.Verdict) string {
	switch v {
	case steps.Pass:
		return st.Pass.Render("✓ pass")
	case steps.Warn:
		return st.Warn.Render("! warn")
	case steps.Fail:
		return st.Fail.Render("✗ FAIL")
	default:
		return st.Skip.Render("- skip")
	}
}

// printChecks writes checks as aligned lines; every server-supplied text is cleaned.
func printChecks(a *cli.App, w io.Writer, checks []steps.Check) {
	st := a.Styles()
	width := 0
	for _, c := range checks {
		width = max(width, lipgloss.Width(c.Title()))
	}
	for _, c := range checks {
		code := ""
		if c.Code != "" {
			code = " [" + c.Code + "]"
		}
		fmt.Fprintf(w, "  %s  %-*s  %s%s\n", verdict(st, c.Verdict), width, termsafe.Line(c.Title()), termsafe.Line(c.Detail), code)
		if c.Fix != "" && c.Verdict != steps.Pass {
			fmt.Fprintf(w, "  %s  %-*s  %s\n", strings.Repeat(" ", 6), width, "", st.Dim.Render("→ "+termsafe.Line(c.Fix)))
		}
	}
}

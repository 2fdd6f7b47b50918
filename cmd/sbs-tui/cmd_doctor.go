package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/steps"
)

func (a *app) doctorCommand() *cobra.Command {
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
			s, err := a.getSession(cmd.Context())
			if err != nil {
				return a.maybeJSON(asJSON, err)
			}
			r := steps.Doctor(cmd.Context(), s)
			if suOrg != "" {
				c := steps.CheckDialogporten(cmd.Context(), s, suOrg, extRef)
				r.Dialogporten = &c
			}
			if asJSON {
				if err := a.printJSON(map[string]any{"ok": r.OK(), "report": r}); err != nil {
					return err
				}
			} else {
				a.printDoctor(r)
			}
			if !r.OK() {
				return reportedError{errors.New("doctor found problems")}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().StringVar(&suOrg, "systemuser-org", "", "also list this organisation's dialogs in Dialogporten with its system user (proves digdir:dialogporten)")
	cmd.Flags().StringVar(&extRef, "external-ref", "", "the system user's external reference, if its request had one")
	return cmd
}

func (a *app) printDoctor(r steps.DoctorReport) {
	st := a.styles()
	w := a.stdout
	fmt.Fprintf(w, "%s\n", st.title.Render("Configuration"))
	a.printChecks(w, r.Config)
	fmt.Fprintf(w, "\n%s\n", st.title.Render("1. Maskinporten ("+r.Environment.Environment+")"))
	a.printChecks(w, r.Environment.Checks)
	fmt.Fprintf(w, "\n%s\n", st.title.Render("2. Scopes"))
	if len(r.Scopes) == 0 {
		fmt.Fprintln(w, "  (the profile lists no scopes)")
	}
	checks := make([]steps.Check, len(r.Scopes))
	for i, v := range r.Scopes {
		checks[i] = v.Check
	}
	a.printChecks(w, checks)
	fmt.Fprintf(w, "\n%s\n", st.title.Render("3. Client and key"))
	a.printChecks(w, r.Key.Checks)
	if r.Dialogporten != nil {
		fmt.Fprintf(w, "\n%s\n", st.title.Render("Dialogporten (step 8)"))
		a.printChecks(w, []steps.Check{*r.Dialogporten})
	}
	if r.OK() {
		fmt.Fprintf(w, "\n%s\n", st.pass.Render("All checks passed."))
	} else {
		fmt.Fprintf(w, "\n%s\n", st.fail.Render("Some checks failed; see the → lines for what to do."))
	}
}

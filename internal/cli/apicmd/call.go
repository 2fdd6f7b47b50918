package apicmd

import (
	"fmt"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/domain/ske"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
)

// NewCallCmd is `sbs-tui call`: an API called with a system-user token (step 8).
func NewCallCmd(a *cli.App) *cobra.Command {
	var p steps.CallParams
	var asJSON, headers bool
	cmd := &cobra.Command{
		Use:   "call URL --systemuser-org ORGNO",
		Short: "Call an API with a system-user token and show the answer (step 8)",
		Long: `GETs URL with a Maskinporten token for the system user owned by --systemuser-org (with
--external-ref if its request had one). The token comes from a cache and is reused while it
is valid; a 401 drops it and retries once with a fresh token. Prints the status and the body
(pretty JSON), and whether the token was reused. On the sandbox, a URL may be a path
(/skatteetaten/api/sample/v1/whoami): it is resolved against the sandbox's base URL.

URL "dialogporten" lists the system user's dialogs in Dialogporten (the end-user API's
GET dialogporten/api/v1/enduser/dialogs?party=… with scope digdir:dialogporten). An empty
list means the token works but nothing is delegated to the system user.`,
		Example: `  sbs-tui call https://innrapporteringboligselskap.api.skatteetaten-test.no/v1/... --systemuser-org 313367002 --scope skatteetaten:innrapporteringboligselskap
  sbs-tui call /skatteetaten/api/sample/v1/whoami --systemuser-org 313367002
  sbs-tui call dialogporten --systemuser-org 313367002`,
		Args: a.ExactArgs(1, "give the URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if p.SystemUserOrg == "" {
				return cli.Usagef("--systemuser-org is required")
			}
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			p.URL = steps.ResolveTarget(s, args[0], p.SystemUserOrg)
			r, err := steps.CallAPI(cmd.Context(), s, p)
			if err != nil {
				return a.ReportTokenError(asJSON, err)
			}
			if asJSON {
				if err := a.PrintJSON(map[string]any{"ok": r.Status < 400, "result": r}); err != nil {
					return err
				}
			} else {
				st := a.Styles()
				status := fmt.Sprintf("HTTP %d %s", r.Status, r.StatusText)
				if r.Status < 400 {
					status = st.Pass.Render(status)
				} else {
					status = st.Fail.Render(status)
				}
				fmt.Fprintf(a.Stdout, "%s  (%s, expires %s; %s)\n", status, r.TokenNote(s), tokeninspect.Relative(r.TokenExpiry, a.Now()), r.Duration.Round(time.Millisecond))
				if headers {
					keys := make([]string, 0, len(r.Headers))
					for k := range r.Headers {
						keys = append(keys, k)
					}
					sort.Strings(keys)
					for _, k := range keys {
						fmt.Fprintf(a.Stdout, "%s: %s\n", k, r.Headers[k])
					}
				}
				fmt.Fprintln(a.Stdout, r.Body)
				if d := r.Dialogporten; d != nil {
					for _, line := range d.Dialogs {
						fmt.Fprintln(a.Stdout, "  • "+line)
					}
					fmt.Fprintln(a.Stdout, d.Hint)
				}
				if b := r.Skatteetaten; b != nil {
					fmt.Fprintln(a.Stdout, st.Warn.Render(ske.Explain(*b, r.Status)))
				}
			}
			if r.Status >= 400 {
				return cli.ReportedError{Err: fmt.Errorf("the API answered %d", r.Status)}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.SystemUserOrg, "systemuser-org", "", "organisation that owns the system user")
	f.StringVar(&p.ExternalRef, "external-ref", "", "the system user's external reference, if its request had one")
	f.StringArrayVar(&p.Scopes, "scope", nil, "scope (default: the profile's skatteetaten: scopes)")
	f.BoolVar(&headers, "headers", false, "print the response headers")
	f.BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

package apicmd

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
)

// NewCallCmd is `sbs-tui call`: an API called with a system-user token (step 8).
func NewCallCmd(a *cli.App) *cobra.Command {
	var p steps.CallParams
	var asJSON, headers bool
	cmd := &cobra.Command{
		Use:   "call URL --systemuser-org ORGNO", //i18n:ignore a cobra Use: line
		Short: a.T("clirequest.call.short"),
		Long:  a.T("clirequest.call.long"),
		Example: strings.Join([]string{
			"  sbs-tui call https://innrapporteringboligselskap.api.skatteetaten-test.no/v1/... --systemuser-org 313367002 --scope skatteetaten:innrapporteringboligselskap", //i18n:ignore a command line
			"  sbs-tui call /skatteetaten/api/sample/v1/whoami --systemuser-org 313367002",                                                                                   //i18n:ignore a command line
			"  sbs-tui call dialogporten --systemuser-org 313367002",                                                                                                         //i18n:ignore a command line
		}, "\n"),
		Args: a.ExactArgs(1, a.T("clirequest.call.arg")),
		PreRunE: func(*cobra.Command, []string) error {
			if p.SystemUserOrg == "" {
				return cli.Usagef("%s", a.T("clirequest.call.need_org"))
			}
			var err error
			p.SystemUserOrg, err = a.OrgNoArg("--systemuser-org", p.SystemUserOrg)
			return err
		},
		RunE: a.WithSession(&asJSON, func(cmd *cobra.Command, args []string, s *steps.Session) error {
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
				status := fmt.Sprintf("HTTP %d %s", r.Status, r.StatusText) //i18n:ignore the status line
				if r.Status < 400 {
					status = st.Pass.Render(status)
				} else {
					status = st.Fail.Render(status)
				}
				fmt.Fprintln(a.Stdout, a.T("clirequest.call.status", "Status", status, "Note", r.TokenNote(s), "Expires", tokeninspect.RelativeIn(a.Text(), r.TokenExpiry, a.Now()), "Took", r.Duration.Round(time.Millisecond)))
				if headers {
					for _, k := range slices.Sorted(maps.Keys(r.Headers)) {
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
					fmt.Fprintln(a.Stdout, st.Warn.Render(steps.SkatteetatenText(a.Text(), *b, r.Status)))
				}
			}
			if r.Status >= 400 {
				return cli.ReportedError{Err: errors.New(a.T("clirequest.call.answered", "Status", r.Status))}
			}
			return nil
		}),
	}
	f := cmd.Flags()
	f.StringVar(&p.SystemUserOrg, "systemuser-org", "", a.T("clirequest.call.flag.org"))
	f.StringVar(&p.ExternalRef, "external-ref", "", a.T("clirequest.call.flag.external_ref"))
	f.StringArrayVar(&p.Scopes, "scope", nil, a.T("clirequest.call.flag.scope"))
	f.BoolVar(&headers, "headers", false, a.T("clirequest.call.flag.headers"))
	f.BoolVar(&asJSON, "json", false, a.T("clirequest.flag.json"))
	return cmd
}

package requestcmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	altinnclient "github.com/sbs-tui/sbs-tui/internal/clients/altinn"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

func requestChangeCommand(a *cli.App) *cobra.Command {
	var p steps.ChangeParams
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "change (--system-user ID | --system ID --org ORGNO) [--package P]... [--remove-package P]... [--right R]... [--remove-right R]...", //i18n:ignore a cobra Use: line
		Short: a.T("clirequest.change.short"),
		Long:  a.T("clirequest.change.long"),
		Example: strings.Join([]string{
			"  sbs-tui request change --system 974761076_demo --org 313367002 --package a-ordning", //i18n:ignore a command line
			"  sbs-tui request change status 6f0c…  --wait",                                        //i18n:ignore a command line
			"  sbs-tui request change delete 6f0c…",                                                //i18n:ignore a command line
		}, "\n"),
		Args: a.NoArgs,
		PreRunE: func(*cobra.Command, []string) error {
			if p.SystemUserID == "" && (p.SystemID == "" || p.OrgNo == "") {
				return cli.Usagef("%s", a.T("clirequest.change.need_system_user"))
			}
			if len(p.AddPackages)+len(p.AddRights)+len(p.RemovePackages)+len(p.RemoveRights) == 0 {
				return cli.Usagef("%s", a.T("clirequest.change.need_change"))
			}
			if p.SystemUserID != "" {
				if err := a.UUIDArg("--system-user", p.SystemUserID); err != nil {
					return err
				}
			}
			if p.OrgNo != "" {
				if _, err := a.OrgNoArg("--org", p.OrgNo); err != nil {
					return err
				}
			}
			return nil
		},
		RunE: a.WithSession(&asJSON, func(cmd *cobra.Command, _ []string, s *steps.Session) error {
			r, err := steps.CreateChangeRequest(cmd.Context(), s, p)
			if err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "id": r.ChangeRequest.ID, "status": r.ChangeRequest.Status,
					"confirm_url": r.ChangeRequest.ConfirmURL, "created": r.Created, "note": r.Note, "change_request": r.ChangeRequest})
			}
			printChangeRequest(a, r.ChangeRequest)
			if r.Note != "" {
				fmt.Fprintf(a.Stdout, "\n%s\n", r.Note)
			}
			if r.ChangeRequest.Status == altinn.StatusNew {
				fmt.Fprintf(a.Stdout, "\n%s\n", a.T("clirequest.send_confirm_url"))
				if a.Attached != nil { // sandbox approve decides change requests too
					fmt.Fprintln(a.Stdout, a.T("clirequest.create.attached", "ID", r.ChangeRequest.ID))
				}
				fmt.Fprintln(a.Stdout, a.T("clirequest.change.follow", "ID", r.ChangeRequest.ID))
			}
			return nil
		}),
	}
	f := cmd.Flags()
	f.StringVar(&p.SystemUserID, "system-user", "", a.T("clirequest.change.flag.system_user"))
	f.StringVar(&p.SystemID, "system", "", a.T("clirequest.change.flag.system"))
	f.StringVar(&p.OrgNo, "org", "", a.T("clirequest.change.flag.org"))
	f.StringVar(&p.ExternalRef, "external-ref", "", a.T("clirequest.change.flag.external_ref"))
	f.StringArrayVar(&p.AddPackages, "package", nil, a.T("clirequest.change.flag.package"))
	f.StringArrayVar(&p.AddRights, "right", nil, a.T("clirequest.change.flag.right"))
	f.StringArrayVar(&p.RemovePackages, "remove-package", nil, a.T("clirequest.change.flag.remove_package"))
	f.StringArrayVar(&p.RemoveRights, "remove-right", nil, a.T("clirequest.change.flag.remove_right"))
	f.StringVar(&p.RedirectURL, "redirect", "", a.T("clirequest.flag.redirect"))
	f.StringVar(&p.CorrelationID, "correlation-id", "", a.T("clirequest.change.flag.correlation_id"))
	f.BoolVar(&asJSON, "json", false, a.T("clirequest.flag.json"))
	cmd.AddCommand(requestChangeStatusCommand(a), deleteCommand(a, "CHANGE_REQUEST_ID", deleteTexts{short: a.T("clirequest.delete.change_short"),
		arg: a.T("clirequest.delete.change_arg"), done: func(id string) string { return a.T("clirequest.delete.change_done", "ID", id) }},
		(*altinnclient.Client).DeleteChangeRequest))
	return cmd
}

func printChangeRequest(a *cli.App, cr *altinn.ChangeRequest) {
	w := a.Stdout
	st := a.Styles()
	status := cr.Status
	switch cr.Status {
	case altinn.StatusAccepted, altinn.StatusNoChangeNeeded:
		status = st.Pass.Render(status)
	case altinn.StatusRejected, altinn.StatusDenied, altinn.StatusTimedout:
		status = st.Fail.Render(status)
	default:
		status = st.Warn.Render(status)
	}
	l := newLabels(a)
	l.row(w, "id", termsafe.Line(cr.ID)) //i18n:ignore a field name
	l.row(w, a.T("clirequest.label.status"), status)
	l.row(w, a.T("clirequest.label.system_user"), termsafe.Line(cr.SystemUserID))
	l.row(w, a.T("clirequest.label.system"), termsafe.Line(cr.SystemID))
	l.row(w, a.T("clirequest.label.party"), termsafe.Line(cr.PartyOrgNo))
	for _, p := range cr.RequiredAccessPackages {
		l.row(w, a.T("clirequest.label.add"), termsafe.Line(p.URN))
	}
	for _, r := range cr.RequiredRights {
		l.row(w, a.T("clirequest.label.add_right"), termsafe.Line(r.Key()))
	}
	for _, p := range cr.UnwantedAccessPackages {
		l.row(w, a.T("clirequest.label.remove"), termsafe.Line(p.URN))
	}
	for _, r := range cr.UnwantedRights {
		l.row(w, a.T("clirequest.label.remove_right"), termsafe.Line(r.Key()))
	}
	if cr.ConfirmURL != "" {
		l.row(w, "confirmUrl", termsafe.Line(cr.ConfirmURL)) //i18n:ignore a field name
	}
}

func requestChangeStatusCommand(a *cli.App) *cobra.Command {
	var f statusFlags
	cmd := &cobra.Command{
		Use:   "status CHANGE_REQUEST_ID", //i18n:ignore a cobra Use: line
		Short: a.T("clirequest.change.status_short"),
		Args:  a.OneID(a.T("clirequest.change.status_arg")),
		RunE: a.WithSession(&f.asJSON, func(cmd *cobra.Command, args []string, s *steps.Session) error {
			cr, err := readOrWait(cmd.Context(), a, f, "clirequest.change.undecided",
				func(ctx context.Context) (*altinn.ChangeRequest, error) {
					return s.Altinn().GetChangeRequest(ctx, args[0])
				},
				func(ctx context.Context, say waitNote) (*altinn.ChangeRequest, error) {
					return steps.WaitForChangeDecision(ctx, s, args[0], steps.DefaultPollBackoff, func(c *altinn.ChangeRequest, perr error, next time.Duration) {
						say(perr, perr == nil && c.Status == altinn.StatusNew, next)
					})
				})
			if err != nil {
				return a.ReportAltinnError(f.asJSON, err)
			}
			if f.asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "id": cr.ID, "status": cr.Status, "change_request": cr})
			}
			printChangeRequest(a, cr)
			return nil
		}),
	}
	f.bind(a, cmd)
	return cmd
}

package requestcmd

import (
	"context"
	"errors"
	"fmt"
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
		Use:   "change (--system-user ID | --system ID --org ORGNO) [--package P]... [--remove-package P]... [--right R]... [--remove-right R]...",
		Short: "Ask the customer to change an existing system user's packages or rights",
		Long: `Creates a change request for a standard system user: what it should gain (--package,
--right) and lose (--remove-package, --remove-right). The customer approves it on the
confirmUrl page, as for a new request; then the system user's rights change and tokens stay
the same. Name the system user by its id, or by --system, --org and --external-ref.

Packages and rights to add must already be on the system (update the system first).
Agent (client) system users cannot be changed this way: Altinn answers AUTH-00015.
Each change request gets a new correlation-id unless you give --correlation-id; sending
the same one again returns the existing change request.`,
		Example: `  sbs-tui request change --system 974761076_demo --org 313367002 --package a-ordning
  sbs-tui request change status 6f0c…  --wait
  sbs-tui request change delete 6f0c…`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if p.SystemUserID == "" && (p.SystemID == "" || p.OrgNo == "") {
				return cli.Usagef("give --system-user, or --system and --org")
			}
			if len(p.AddPackages)+len(p.AddRights)+len(p.RemovePackages)+len(p.RemoveRights) == 0 {
				return cli.Usagef("give at least one --package, --right, --remove-package or --remove-right")
			}
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
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
				fmt.Fprintf(a.Stdout, "\nSend the confirmUrl to the customer (someone with the Tilgangsstyrer role).\n")
				if s.Env.IsSandbox() && s.Profile.SandboxURL == "" {
					fmt.Fprintf(a.Stdout, "This sandbox runs only while the command does: approve as the customer with\n  sbs-tui sandbox approve %s\n", r.ChangeRequest.ID)
				}
				fmt.Fprintf(a.Stdout, "Follow it with: sbs-tui request change status %s --wait\n", r.ChangeRequest.ID)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.SystemUserID, "system-user", "", "the system user's id (as listed by sbs-tui users list)")
	f.StringVar(&p.SystemID, "system", "", "the system's id (with --org)")
	f.StringVar(&p.OrgNo, "org", "", "the customer's organisation number (with --system)")
	f.StringVar(&p.ExternalRef, "external-ref", "", "the system user's external reference (default: the organisation number)")
	f.StringArrayVar(&p.AddPackages, "package", nil, "access package to add, code or URN (repeat)")
	f.StringArrayVar(&p.AddRights, "right", nil, "resource id of a single right to add (repeat)")
	f.StringArrayVar(&p.RemovePackages, "remove-package", nil, "access package to remove (repeat)")
	f.StringArrayVar(&p.RemoveRights, "remove-right", nil, "resource id of a right to remove (repeat)")
	f.StringVar(&p.RedirectURL, "redirect", "", "where the customer returns after deciding; must match an allowedRedirectUrl")
	f.StringVar(&p.CorrelationID, "correlation-id", "", "your UUID for this change request (default: a new one)")
	f.BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.AddCommand(requestChangeStatusCommand(a), deleteCommand(a, "CHANGE_REQUEST_ID", "Delete a change request", "Change request", (*altinnclient.Client).DeleteChangeRequest))
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
	fmt.Fprintf(w, "id           %s\n", termsafe.Line(cr.ID))
	fmt.Fprintf(w, "status       %s\n", status)
	fmt.Fprintf(w, "system user  %s\n", termsafe.Line(cr.SystemUserID))
	fmt.Fprintf(w, "system       %s\n", termsafe.Line(cr.SystemID))
	fmt.Fprintf(w, "party        %s\n", termsafe.Line(cr.PartyOrgNo))
	for _, p := range cr.RequiredAccessPackages {
		fmt.Fprintf(w, "add          %s\n", termsafe.Line(p.URN))
	}
	for _, r := range cr.RequiredRights {
		fmt.Fprintf(w, "add right    %s\n", termsafe.Line(r.Key()))
	}
	for _, p := range cr.UnwantedAccessPackages {
		fmt.Fprintf(w, "remove       %s\n", termsafe.Line(p.URN))
	}
	for _, r := range cr.UnwantedRights {
		fmt.Fprintf(w, "remove right %s\n", termsafe.Line(r.Key()))
	}
	if cr.ConfirmURL != "" {
		fmt.Fprintf(w, "confirmUrl   %s\n", termsafe.Line(cr.ConfirmURL))
	}
}

func requestChangeStatusCommand(a *cli.App) *cobra.Command {
	var wait, asJSON bool
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "status CHANGE_REQUEST_ID",
		Short: "Show a change request's status; --wait polls until the customer decides",
		Args:  a.ExactArgs(1, "give the change request id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			var cr *altinn.ChangeRequest
			if !wait {
				cr, err = s.Altinn().GetChangeRequest(cmd.Context(), args[0])
			} else {
				ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
				defer cancel()
				cr, err = steps.WaitForChangeDecision(ctx, s, args[0], steps.DefaultPollBackoff, func(c *altinn.ChangeRequest, perr error, next time.Duration) {
					switch {
					case asJSON:
					case perr != nil:
						fmt.Fprintf(a.Stderr, "poll failed (%v); next try in %s\n", perr, next)
					case c.Status == altinn.StatusNew:
						fmt.Fprintf(a.Stderr, "status New; next check in %s\n", next)
					}
				})
				if errors.Is(err, context.DeadlineExceeded) {
					err = fmt.Errorf("the customer has not decided within %s; the change request stays open, check again later", timeout)
				}
			}
			if err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "id": cr.ID, "status": cr.Status, "change_request": cr})
			}
			printChangeRequest(a, cr)
			return nil
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "poll (with backoff) until the status leaves New")
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Minute, "with --wait: give up after this long")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

package requestcmd

import (
	"context"
	"errors"
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

// NewCmd is `sbs-tui request`: creating system-user requests (one, or a customer list in
// bulk) and change requests, and following them.
func NewCmd(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{Use: "request", Short: "Ask a customer for a system user and follow the request (steps 5–6)"}
	cmd.AddCommand(requestCreateCommand(a), requestStatusCommand(a), deleteCommand(a, "REQUEST_ID", "Delete a request (needed before asking the same customer again)", "Request", (*altinnclient.Client).DeleteRequest), requestChangeCommand(a), requestBulkCommand(a))
	return cmd
}

func requestCreateCommand(a *cli.App) *cobra.Command {
	var p steps.RequestParams
	var recreate, asJSON, quiet bool
	cmd := &cobra.Command{
		Use:   "create --system ID --org ORGNO (--package P)... (--right RESOURCE)...",
		Short: "Create a system-user request and print its confirmUrl",
		Long: `Creates a standard system-user request (or with --agent an agent/client one) for the
customer's organisation and prints its id, status and the confirmUrl to send the customer.
Everything is checked first: the organisation number's check digit, that the packages exist
and are on the system, that standard requests ask only for assignable packages and agent
requests only for delegable ones, and that --redirect matches an allowed URL the way Altinn
matches it. Packages may be given with or without the urn:altinn:accesspackage: prefix.

If a request for the same system, customer and external reference exists, Altinn returns it
instead; a rejected one can be replaced with --recreate.`,
		Example: `  sbs-tui request create --system 974761076_skatt_demo_system --org 313367002 --agent \
    --package regnskapsforer-med-signeringsrettighet --package skattegrunnlag`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if p.SystemID == "" || p.OrgNo == "" {
				return cli.Usagef("--system and --org are required")
			}
			if len(p.Packages) == 0 && len(p.Rights) == 0 {
				return cli.Usagef("give at least one --package or --right")
			}
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			r, err := steps.CreateRequest(cmd.Context(), s, p)
			if err != nil {
				if !p.Agent && strings.Contains(err.Error(), "AUTH-00064") {
					err = fmt.Errorf("%w\nThese packages are for agent (client) system users: run the command again with --agent", err)
				}
				return a.ReportAltinnError(asJSON, err)
			}
			if !r.Created && recreate && (r.Request.Status == altinn.StatusRejected || r.Request.Status == altinn.StatusDenied) {
				if r, err = steps.RecreateRequest(cmd.Context(), s, r.Request.ID, p); err != nil {
					return a.ReportAltinnError(asJSON, err)
				}
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "id": r.Request.ID, "status": r.Request.Status, "confirm_url": r.Request.ConfirmURL,
					"created": r.Created, "note": r.Note, "request": r.Request})
			}
			if quiet {
				fmt.Fprintln(a.Stdout, termsafe.Line(r.Request.ID))
				return nil
			}
			printRequest(a, r.Request)
			if r.Note != "" {
				fmt.Fprintf(a.Stdout, "\n%s\n", r.Note)
			} else {
				fmt.Fprintf(a.Stdout, "\nSend the confirmUrl to the customer (someone with the Tilgangsstyrer role).\n")
			}
			if a.Attached != nil {
				fmt.Fprintf(a.Stdout, "The confirmUrl opens while a sandbox serves this data directory (sbs-tui sandbox serve, or the wizard);\nor approve as the customer with: sbs-tui sandbox approve %s\n", r.Request.ID)
			}
			fmt.Fprintf(a.Stdout, "Follow it with: sbs-tui request status %s%s --wait\n", r.Request.ID, agentFlag(r.Request))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.SystemID, "system", "", "the registered system's id")
	f.StringVar(&p.OrgNo, "org", "", "the customer's organisation number (for --agent: the facilitator, e.g. the accounting firm)")
	f.StringArrayVar(&p.Packages, "package", nil, "access package code or URN (repeat)")
	f.StringArrayVar(&p.Rights, "right", nil, "resource id of a single right, standard requests only (repeat)")
	f.BoolVar(&p.Agent, "agent", false, "agent (client) system user instead of a standard one")
	f.StringVar(&p.ExternalRef, "external-ref", "", "your reference; needed again in every token grant (default: the organisation number)")
	f.StringVar(&p.RedirectURL, "redirect", "", "where the customer returns after deciding; must match an allowedRedirectUrl")
	f.StringVar(&p.Title, "title", "", "integration title shown to the customer (default: the system's name)")
	f.BoolVar(&recreate, "recreate", false, "if the existing request was rejected, delete it and create a new one")
	f.BoolVar(&asJSON, "json", false, "print one JSON object")
	f.BoolVarP(&quiet, "quiet", "q", false, "print only the request's id (for scripts: ID=$(sbs-tui request create … -q))")
	return cmd
}

func agentFlag(r *altinn.Request) string {
	if r.Rights == nil && strings.Contains(r.ConfirmURL, "agentrequest") {
		return " --agent"
	}
	return ""
}

func printRequest(a *cli.App, r *altinn.Request) {
	w := a.Stdout
	st := a.Styles()
	status := r.Status
	switch r.Status {
	case altinn.StatusAccepted:
		status = st.Pass.Render(status)
	case altinn.StatusRejected, altinn.StatusDenied, altinn.StatusTimedout:
		status = st.Fail.Render(status)
	default:
		status = st.Warn.Render(status)
	}
	if r.TimedOut {
		status += " (timed out: older than 180 days)"
	}
	if r.Escalated {
		status += " (forwarded to the customer's Tilgangsstyrer)"
	}
	fmt.Fprintf(w, "id           %s\n", termsafe.Line(r.ID))
	fmt.Fprintf(w, "status       %s\n", status)
	fmt.Fprintf(w, "system       %s\n", termsafe.Line(r.SystemID))
	fmt.Fprintf(w, "party        %s\n", termsafe.Line(r.PartyOrgNo))
	fmt.Fprintf(w, "externalRef  %s\n", termsafe.Line(r.ExternalRef))
	for _, p := range r.AccessPackages {
		fmt.Fprintf(w, "package      %s\n", termsafe.Line(p.URN))
	}
	for _, rt := range r.Rights {
		fmt.Fprintf(w, "right        %s\n", termsafe.Line(rt.Key()))
	}
	fmt.Fprintf(w, "confirmUrl   %s\n", termsafe.Line(r.ConfirmURL))
}

func requestStatusCommand(a *cli.App) *cobra.Command {
	var agent, wait, asJSON bool
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "status REQUEST_ID",
		Short: "Show a request's status; --wait polls until the customer decides",
		Args:  a.ExactArgs(1, "give the request id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			var req *altinn.Request
			if !wait {
				req, err = s.Altinn().GetRequest(cmd.Context(), args[0], agent)
			} else {
				ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
				defer cancel()
				req, err = steps.WaitForDecision(ctx, s, args[0], agent, steps.DefaultPollBackoff, func(ev steps.PollEvent) {
					if asJSON {
						return
					}
					switch {
					case ev.Err != nil:
						fmt.Fprintf(a.Stderr, "poll failed (%v); next try in %s\n", ev.Err, ev.Next)
					case ev.Request.Status == altinn.StatusNew:
						fmt.Fprintf(a.Stderr, "status New; next check in %s\n", ev.Next)
					}
				})
				if errors.Is(err, context.DeadlineExceeded) {
					err = fmt.Errorf("the customer has not decided within %s; the request stays open (Altinn flags it after 180 days), check again later", timeout)
				}
			}
			if err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			// Altinn marks a forwarded request only in the list by system (see steps.Escalation).
			// The status is read already: a failed list read is said, not made the answer.
			escalated, err := steps.Escalation(cmd.Context(), s, req, agent)
			if err != nil {
				fmt.Fprintf(a.Stderr, "warning: %s\n", termsafe.Line(err.Error()))
			}
			req.Escalated = escalated
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "id": req.ID, "status": req.Status, "escalated": escalated, "request": req})
			}
			printRequest(a, req)
			switch {
			case req.Status == altinn.StatusRejected:
				fmt.Fprintln(a.Stdout, "\n"+steps.ExistingRequestNote(s, req))
			case escalated:
				fmt.Fprintln(a.Stdout, "\n"+altinn.EscalatedAdvice)
			case req.Status == altinn.StatusNew:
				fmt.Fprintln(a.Stdout, "\n"+altinn.WaitingAdvice)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&agent, "agent", false, "the request is an agent request (lookups are type-specific)")
	cmd.Flags().BoolVar(&wait, "wait", false, "poll (with backoff) until the status leaves New")
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Minute, "with --wait: give up after this long")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

// NewUsersCmd is `sbs-tui users`: the system users of a system.
func NewUsersCmd(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{Use: "users", Short: "List the system users of a system"}
	var systemID string
	var asJSON bool
	list := &cobra.Command{
		Use:   "list --system ID",
		Short: "List the system users of a system (all pages)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if systemID == "" {
				return cli.Usagef("--system is required")
			}
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			users, err := s.Altinn().ListSystemUsers(cmd.Context(), systemID)
			if err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "system_users": users})
			}
			if len(users) == 0 {
				fmt.Fprintln(a.Stdout, "No system users yet: a customer must approve a request first.")
			}
			for _, u := range users {
				fmt.Fprintf(a.Stdout, "%s  %-8s  owner %s  externalRef %s  created %s\n", termsafe.Line(u.ID), termsafe.Line(u.UserType),
					termsafe.Line(u.ReporteeOrgNo), termsafe.Line(u.ExternalRef), u.Created.Local().Format("2006-01-02 15:04"))
			}
			return nil
		},
	}
	list.Flags().StringVar(&systemID, "system", "", "the system's id")
	list.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.AddCommand(list)
	return cmd
}

// deleteCommand is `delete ID` of a request or a change request: del deletes it, what names
// it in the output.
func deleteCommand(a *cli.App, arg, short, what string, del func(*altinnclient.Client, context.Context, string) error) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "delete " + arg,
		Short: short,
		Args:  a.ExactArgs(1, "give the "+strings.ToLower(what)+" id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			if err := del(s.Altinn(), cmd.Context(), args[0]); err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "deleted": args[0]})
			}
			fmt.Fprintf(a.Stdout, "%s %s deleted.\n", what, args[0])
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

package requestcmd

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

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
	cmd := &cobra.Command{Use: "request", Short: a.T("clirequest.request.short")}
	cmd.AddCommand(requestCreateCommand(a), requestStatusCommand(a),
		deleteCommand(a, "REQUEST_ID", deleteTexts{short: a.T("clirequest.delete.request_short"), arg: a.T("clirequest.delete.request_arg"),
			done: func(id string) string { return a.T("clirequest.delete.request_done", "ID", id) }}, (*altinnclient.Client).DeleteRequest),
		requestChangeCommand(a), requestBulkCommand(a))
	return cmd
}

func requestCreateCommand(a *cli.App) *cobra.Command {
	var p steps.RequestParams
	var recreate, asJSON, quiet bool
	cmd := &cobra.Command{
		Use:   "create --system ID --org ORGNO (--package P)... (--right RESOURCE)...", //i18n:ignore a cobra Use: line
		Short: a.T("clirequest.create.short"),
		Long:  a.T("clirequest.create.long"),
		Example: strings.Join([]string{
			"  sbs-tui request create --system 974761076_skatt_demo_system --org 311000004 --agent \\", //i18n:ignore a command line
			"    --package regnskapsforer-med-signeringsrettighet",                                     //i18n:ignore a command line
		}, "\n"),
		Args: a.NoArgs,
		PreRunE: func(*cobra.Command, []string) error {
			if p.SystemID == "" || p.OrgNo == "" {
				return cli.Usagef("%s", a.T("clirequest.create.need_system_org"))
			}
			if _, err := a.OrgNoArg("--org", p.OrgNo); err != nil {
				return err
			}
			if len(p.Packages) == 0 && len(p.Rights) == 0 {
				return cli.Usagef("%s", a.T("clirequest.create.need_package"))
			}
			return nil
		},
		RunE: a.WithSession(&asJSON, func(cmd *cobra.Command, _ []string, s *steps.Session) error {
			r, err := steps.CreateRequest(cmd.Context(), s, p)
			if err != nil {
				if !p.Agent && strings.Contains(err.Error(), "AUTH-00064") {
					err = fmt.Errorf("%w\n%s", err, a.T("clirequest.create.agent_hint"))
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
					"created": r.Created, "note": r.Note, "warnings": r.Warnings, "request": r.Request})
			}
			for _, w := range r.Warnings {
				fmt.Fprintln(a.Stderr, a.T("cli.warning", "Text", w))
			}
			if quiet {
				fmt.Fprintln(a.Stdout, termsafe.Line(r.Request.ID))
				return nil
			}
			printRequest(a, r.Request)
			if r.Note != "" {
				fmt.Fprintf(a.Stdout, "\n%s\n", r.Note)
			} else {
				fmt.Fprintf(a.Stdout, "\n%s\n", a.T("clirequest.send_confirm_url"))
			}
			if r.Request.Status != altinn.StatusNew {
				return nil // decided: nothing to approve or wait for; the note says what next
			}
			if a.Attached != nil {
				fmt.Fprintln(a.Stdout, a.T("clirequest.create.attached", "ID", r.Request.ID))
			}
			fmt.Fprintln(a.Stdout, a.T("clirequest.create.follow", "ID", r.Request.ID, "Agent", agentFlag(r.Request)))
			return nil
		}),
	}
	f := cmd.Flags()
	f.StringVar(&p.SystemID, "system", "", a.T("clirequest.create.flag.system"))
	f.StringVar(&p.OrgNo, "org", "", a.T("clirequest.create.flag.org"))
	f.StringArrayVar(&p.Packages, "package", nil, a.T("clirequest.create.flag.package"))
	f.StringArrayVar(&p.Rights, "right", nil, a.T("clirequest.create.flag.right"))
	f.BoolVar(&p.Agent, "agent", false, a.T("clirequest.create.flag.agent"))
	f.StringVar(&p.ExternalRef, "external-ref", "", a.T("clirequest.create.flag.external_ref"))
	f.StringVar(&p.RedirectURL, "redirect", "", a.T("clirequest.flag.redirect"))
	f.StringVar(&p.Title, "title", "", a.T("clirequest.create.flag.title"))
	f.BoolVar(&recreate, "recreate", false, a.T("clirequest.create.flag.recreate"))
	f.BoolVar(&asJSON, "json", false, a.T("clirequest.flag.json"))
	f.BoolVarP(&quiet, "quiet", "q", false, a.T("clirequest.create.flag.quiet"))
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
		status += " " + a.T("clirequest.status.timed_out")
	}
	if r.Escalated {
		status += " " + a.T("clirequest.status.escalated")
	}
	l := newLabels(a)
	l.row(w, "id", termsafe.Line(r.ID)) //i18n:ignore a field name
	l.row(w, a.T("clirequest.label.status"), status)
	l.row(w, a.T("clirequest.label.system"), termsafe.Line(r.SystemID))
	l.row(w, a.T("clirequest.label.party"), termsafe.Line(r.PartyOrgNo))
	l.row(w, "externalRef", termsafe.Line(r.ExternalRef)) //i18n:ignore a field name
	for _, p := range r.AccessPackages {
		l.row(w, a.T("clirequest.label.package"), termsafe.Line(p.URN))
	}
	for _, rt := range r.Rights {
		l.row(w, a.T("clirequest.label.right"), termsafe.Line(rt.Key()))
	}
	l.row(w, "confirmUrl", termsafe.Line(r.ConfirmURL)) //i18n:ignore a field name
}

// labels writes "label value" rows with the values in one column: 13 wide in English (the
// longest label, "remove right", and a space), wider when a language's labels are longer.
type labels struct{ width int }

func newLabels(a *cli.App) labels {
	w := 13
	for _, id := range []string{"clirequest.label.status", "clirequest.label.system", "clirequest.label.party", "clirequest.label.package",
		"clirequest.label.right", "clirequest.label.system_user", "clirequest.label.add", "clirequest.label.add_right",
		"clirequest.label.remove", "clirequest.label.remove_right"} {
		w = max(w, utf8.RuneCountInString(a.T(id))+1)
	}
	return labels{w}
}

func (l labels) row(w io.Writer, label, value string) {
	fmt.Fprintf(w, "%-*s%s\n", l.width, label, value)
}

func requestStatusCommand(a *cli.App) *cobra.Command {
	var agent bool
	var f statusFlags
	cmd := &cobra.Command{
		Use:   "status REQUEST_ID", //i18n:ignore a cobra Use: line
		Short: a.T("clirequest.status.short"),
		Args:  a.OneID(a.T("clirequest.status.arg")),
		RunE: a.WithSession(&f.asJSON, func(cmd *cobra.Command, args []string, s *steps.Session) error {
			req, err := readOrWait(cmd.Context(), a, f, "clirequest.status.undecided",
				func(ctx context.Context) (*altinn.Request, error) { return s.Altinn().GetRequest(ctx, args[0], agent) },
				func(ctx context.Context, say waitNote) (*altinn.Request, error) {
					return steps.WaitForDecision(ctx, s, args[0], agent, steps.DefaultPollBackoff, func(ev steps.PollEvent) {
						say(ev.Err, ev.Err == nil && ev.Request.Status == altinn.StatusNew, ev.Next)
					})
				})
			if err != nil {
				return a.ReportAltinnError(f.asJSON, err)
			}
			// Altinn marks a forwarded request only in the list by system (see steps.Escalation).
			// The status is read already: a failed list read is said, not made the answer.
			escalated, err := steps.Escalation(cmd.Context(), s, req, agent)
			if err != nil {
				fmt.Fprintln(a.Stderr, a.T("clirequest.status.warning", "Err", termsafe.Line(err.Error())))
			}
			req.Escalated = escalated
			if f.asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "id": req.ID, "status": req.Status, "escalated": escalated, "request": req})
			}
			printRequest(a, req)
			switch {
			case req.Status == altinn.StatusRejected:
				fmt.Fprintln(a.Stdout, "\n"+steps.ExistingRequestNote(s, req))
			case escalated:
				fmt.Fprintln(a.Stdout, "\n"+a.T("clirequest.status.escalated_advice"))
			case req.Status == altinn.StatusNew:
				fmt.Fprintln(a.Stdout, "\n"+a.T("clirequest.status.waiting_advice", "Question", altinn.EscalateQuestionNB, "Button", altinn.EscalateButtonNB))
			}
			return nil
		}),
	}
	cmd.Flags().BoolVar(&agent, "agent", false, a.T("clirequest.status.flag.agent"))
	f.bind(a, cmd)
	return cmd
}

// NewUsersCmd is `sbs-tui users`: the system users of a system.
func NewUsersCmd(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{Use: "users", Short: a.T("clirequest.users.short")}
	var systemID string
	var asJSON bool
	list := &cobra.Command{
		Use:   "list --system ID", //i18n:ignore a cobra Use: line
		Short: a.T("clirequest.users.list_short"),
		Args:  a.NoArgs,
		PreRunE: func(*cobra.Command, []string) error {
			if systemID == "" {
				return cli.Usagef("%s", a.T("clirequest.users.need_system"))
			}
			return nil
		},
		RunE: a.WithSession(&asJSON, func(cmd *cobra.Command, _ []string, s *steps.Session) error {
			users, err := s.Altinn().ListSystemUsers(cmd.Context(), systemID)
			if err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "system_users": users})
			}
			if len(users) == 0 {
				fmt.Fprintln(a.Stdout, a.T("clirequest.users.none"))
			}
			for _, u := range users {
				fmt.Fprintln(a.Stdout, a.T("clirequest.users.row", "ID", termsafe.Line(u.ID), "Type", fmt.Sprintf("%-8s", termsafe.Line(u.UserType)),
					"Owner", termsafe.Line(u.ReporteeOrgNo), "Ref", termsafe.Line(u.ExternalRef), "Created", u.Created.Local().Format("2006-01-02 15:04")))
			}
			return nil
		}),
	}
	list.Flags().StringVar(&systemID, "system", "", a.T("clirequest.users.flag.system"))
	list.Flags().BoolVar(&asJSON, "json", false, a.T("clirequest.flag.json"))
	cmd.AddCommand(list)
	return cmd
}

// deleteTexts are what a delete command says: its help, the usage error without an id, and
// the line after deleting one.
type deleteTexts struct {
	short, arg string
	done       func(id string) string
}

// deleteCommand is `delete ID` of a request or a change request: del deletes it, t says so.
func deleteCommand(a *cli.App, arg string, t deleteTexts, del func(*altinnclient.Client, context.Context, string) error) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "delete " + arg,
		Short: t.short,
		Args:  a.OneID(t.arg),
		RunE: a.WithSession(&asJSON, func(cmd *cobra.Command, args []string, s *steps.Session) error {
			if err := del(s.Altinn(), cmd.Context(), args[0]); err != nil {
				return a.ReportAltinnError(asJSON, err)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "deleted": args[0]})
			}
			fmt.Fprintln(a.Stdout, t.done(args[0]))
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, a.T("clirequest.flag.json"))
	return cmd
}

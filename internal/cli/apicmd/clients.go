package apicmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/steps"
)

// NewClientsCmd is the vendor's view of an agent system user's clients: Altinn Access
// Management's authorized-parties list, read with the system user's (exchanged) token.
// NewClientsCmd is `sbs-tui clients`: the clients an agent system user acts for, as Altinn
// shows them to the vendor.
func NewClientsCmd(a *cli.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "clients", //i18n:ignore a cobra Use: line
		Short: a.T("clirequest.clients.short"),
	}
	var org, ref string
	var asJSON bool
	list := &cobra.Command{
		Use:   "list --systemuser-org ORGNO", //i18n:ignore a cobra Use: line
		Short: a.T("clirequest.clients.list_short"),
		Long:  a.T("clirequest.clients.list_long"),
		Example: strings.Join([]string{
			"  sbs-tui clients list --systemuser-org 311000004",        //i18n:ignore a command line
			"  sbs-tui clients list --systemuser-org 311000004 --json", //i18n:ignore a command line
		}, "\n"),
		Args: a.NoArgs,
		PreRunE: func(*cobra.Command, []string) error {
			if org == "" {
				return cli.Usagef("%s", a.T("clirequest.call.need_org"))
			}
			var err error
			org, err = a.OrgNoArg("--systemuser-org", org)
			return err
		},
		RunE: a.WithSession(&asJSON, func(cmd *cobra.Command, _ []string, s *steps.Session) error {
			l, err := steps.ListClients(cmd.Context(), s, org, ref)
			if err != nil {
				return a.ReportTokenError(asJSON, err)
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "systemuser_org": l.SystemUserOrg, "clients": l.Clients, "hint": l.Hint})
			}
			for _, c := range l.Clients {
				line := c.OrgNo + "  " + c.Name
				if len(c.Packages) > 0 {
					line += "  (" + strings.Join(c.Packages, ", ") + ")"
				}
				fmt.Fprintln(a.Stdout, line)
				for _, sub := range c.Subunits {
					fmt.Fprintln(a.Stdout, "  "+sub.OrgNo+"  "+sub.Name)
				}
			}
			fmt.Fprintln(a.Stdout, l.Hint)
			return nil
		}),
	}
	f := list.Flags()
	f.StringVar(&org, "systemuser-org", "", a.T("clirequest.clients.flag.org"))
	f.StringVar(&ref, "external-ref", "", a.T("clirequest.call.flag.external_ref"))
	f.BoolVar(&asJSON, "json", false, a.T("clirequest.flag.json"))
	cmd.AddCommand(list)
	return cmd
}

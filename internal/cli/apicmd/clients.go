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
		Use:   "clients",
		Short: "List the clients an agent system user acts for, as Altinn shows them to the vendor",
	}
	var org, ref string
	var asJSON bool
	list := &cobra.Command{
		Use:   "list --systemuser-org ORGNO",
		Short: "List an agent system user's clients (Altinn's authorized parties)",
		Long: `Lists the parties the system user owned by --systemuser-org may act for, from Altinn
Access Management's GET accessmanagement/api/v1/enduser/authorizedparties: for an agent
(client) system user, the clients its facilitator added in Altinn, each with the access
packages delegated for it; for a standard system user, its own organisation.

The call needs a system-user token with the scope altinn:accessmanagement/authorizedparties,
exchanged for an Altinn token (Access Management takes no Maskinporten token); the command
does both. The vendor cannot add clients: the facilitator's client administrator does, in
Altinn (in the sandbox: sbs-tui sandbox clients add).`,
		Example: `  sbs-tui clients list --systemuser-org 311000004
  sbs-tui clients list --systemuser-org 311000004 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if org == "" {
				return cli.Usagef("--systemuser-org is required")
			}
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
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
		},
	}
	f := list.Flags()
	f.StringVar(&org, "systemuser-org", "", "organisation that owns the system user (the facilitator, for an agent system user)")
	f.StringVar(&ref, "external-ref", "", "the system user's external reference, if its request had one")
	f.BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.AddCommand(list)
	return cmd
}

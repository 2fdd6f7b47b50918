package sandboxcmd

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// sandboxClientsCommand acts as the facilitator's client administrator: in Altinn the
// accounting firm adds its clients to the agent system user (in the portal, or by the
// enduser/systemuser/clients API); the vendor cannot. In the sandbox this command does it.
func sandboxClientsCommand(a *cli.App) *cobra.Command {
	var data, agent, client string
	var available, asJSON bool
	cmd := &cobra.Command{
		Use:     "clients",
		Short:   a.T("clitools.sandbox.clients.short"),
		Long:    a.T("clitools.sandbox.clients.long"),
		Example: a.T("clitools.sandbox.clients.example"),
	}
	open := func() (*sandbox.Sandbox, error) { return openSandbox(a, data) }
	change := func(add bool) *cobra.Command {
		use, short := "add", a.T("clitools.sandbox.clients.add_short")
		if !add {
			use, short = "remove", a.T("clitools.sandbox.clients.remove_short")
		}
		c := &cobra.Command{
			Use:   use + " --agent SYSTEMUSER_ID --client ORGNO", //i18n:ignore a cobra Use line
			Short: short,
			Args:  a.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				if agent == "" || client == "" {
					return cli.Usagef("%s", a.T("clitools.sandbox.clients.need_both"))
				}
				if err := a.UUIDArg("--agent", agent); err != nil {
					return err
				}
				org, err := a.OrgNoArg("--client", client)
				if err != nil {
					return err
				}
				sb, err := open()
				if err != nil {
					return a.MaybeJSON(asJSON, err)
				}
				op := sb.AddClient
				if !add {
					op = sb.RemoveClient
				}
				if err := op(agent, org); err != nil {
					hint := clientHint(a, err)
					if ce, ok := err.(*world.ClientError); ok && add && (ce.Code == "AUTH-00079" || ce.Code == "AUTH-00080") {
						hint = qualifyingClients(a, sb, agent)
					}
					failed := a.T("clitools.sandbox.clients.err_add", "Org", org)
					if !add {
						failed = a.T("clitools.sandbox.clients.err_remove", "Org", org)
					}
					return a.MaybeJSON(asJSON, fmt.Errorf("%s: %w%s", failed, err, hint))
				}
				if asJSON {
					return a.PrintJSON(map[string]any{"ok": true, "agent": agent, "client": org, "added": add})
				}
				if add {
					fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.clients.added", "Org", org, "Agent", agent))
				} else {
					fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.clients.removed", "Org", org, "Agent", agent))
				}
				return nil
			},
		}
		c.Flags().StringVar(&agent, "agent", "", a.T("clitools.sandbox.clients.flag_agent"))
		c.Flags().StringVar(&client, "client", "", a.T("clitools.sandbox.clients.flag_client"))
		dataFlag(a, c, &data)
		jsonFlag(a, c, &asJSON)
		return c
	}
	list := &cobra.Command{
		Use:   "list --agent SYSTEMUSER_ID [--available]", //i18n:ignore a cobra Use line
		Short: a.T("clitools.sandbox.clients.list_short"),
		Args:  a.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if agent == "" {
				return cli.Usagef("%s", a.T("clitools.sandbox.clients.need_agent"))
			}
			if err := a.UUIDArg("--agent", agent); err != nil {
				return err
			}
			sb, err := open()
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			get := sb.Clients
			if available {
				get = sb.AvailableClients
			}
			clients, err := get(agent)
			if err != nil {
				return a.MaybeJSON(asJSON, fmt.Errorf("%s: %w%s", a.T("clitools.sandbox.clients.err_list", "Agent", agent), err, clientHint(a, err)))
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "agent": agent, "available": available, "clients": clients})
			}
			if len(clients) == 0 {
				if available {
					fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.clients.none_available"))
				} else {
					fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.clients.none_yet", "Agent", agent))
				}
			}
			for _, c := range clients {
				fmt.Fprintf(a.Stdout, "%s  %s\n", termsafe.Line(c.ClientOrganizationNumber), termsafe.Line(c.ClientOrganizationName))
			}
			return nil
		},
	}
	list.Flags().StringVar(&agent, "agent", "", a.T("clitools.sandbox.clients.flag_agent"))
	list.Flags().BoolVar(&available, "available", false, a.T("clitools.sandbox.clients.flag_available"))
	dataFlag(a, list, &data)
	jsonFlag(a, list, &asJSON)
	cmd.AddCommand(change(true), change(false), list)
	return cmd
}

func clientHint(a *cli.App, err error) string {
	ce, ok := err.(*world.ClientError)
	if !ok {
		return ""
	}
	switch ce.Code {
	case "AUTH-00079":
		return "\n" + a.T("clitools.sandbox.clients.hint_no_role")
	case "AUTH-00080":
		return "\n" + a.T("clitools.sandbox.clients.hint_role_short")
	case "AUTH.VLD-00015":
		return "\n" + a.T("clitools.sandbox.clients.hint_standard")
	case "AUTH.VLD-00014":
		return "\n" + a.T("clitools.sandbox.clients.hint_check_id")
	}
	return ""
}

// qualifyingClients names, for AUTH-00079 and AUTH-00080, the organisations the agent system
// user's owner has a matching role for (the ones that would be accepted), the command that
// makes one, or that no role gives one of its packages.
func qualifyingClients(a *cli.App, sb *sandbox.Sandbox, agent string) string {
	owner, roles, unreachable, err := sb.AgentFacilitator(agent)
	if err == nil && len(unreachable) > 0 {
		return "\n" + a.T("clitools.sandbox.clients.unreachable", "Packages", strings.Join(unreachable, ", "))
	}
	if err != nil || len(roles) == 0 {
		return "\n" + a.T("clitools.sandbox.clients.hint_no_role")
	}
	role := strings.Join(roles, a.T("clitools.sandbox.clients.or"))
	clients, _ := sb.AvailableClients(agent)
	var b strings.Builder
	b.WriteString("\n" + a.T("clitools.sandbox.clients.qualifies", "Owner", owner, "Role", role))
	if len(clients) == 0 {
		b.WriteString(a.T("clitools.sandbox.clients.qualifies_none", "Owner", owner))
	} else {
		var nos []string
		for _, c := range clients {
			nos = append(nos, termsafe.Line(c.ClientOrganizationNumber))
		}
		slices.Sort(nos)
		more := ""
		if len(nos) > 10 {
			n := len(clients) - 10
			nos, more = nos[:10], a.Text().N("clitools.sandbox.clients.more", n, "Count", digits(a, n))
		}
		b.WriteString(a.T("clitools.sandbox.clients.qualifies_list", "Orgs", strings.Join(nos, ", "), "More", more))
	}
	b.WriteString("\n" + a.T("clitools.sandbox.clients.make_one", "Role", roles[0], "Owner", owner))
	return b.String()
}

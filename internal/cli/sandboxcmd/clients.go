package sandboxcmd

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
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
		Use:   "clients",
		Short: "Add, remove or list the clients of an agent system user, as the facilitator does in Altinn",
		Long: `An agent (client) system user acts for the clients its owner — the facilitator, e.g. an
accounting firm — adds to it in Altinn. The vendor does not do this; the facilitator's client
administrator does. In the sandbox these commands play that part.

A client must be a known organisation for which the facilitator has a role in
Enhetsregisteret that gives every package of the agent system user: REGN (regnskapsfører)
for the regnskapsfører packages, REVI (revisor) for ansvarlig-revisor/revisormedarbeider,
FFOR (forretningsfører) for forretningsforer-eiendom. The sandbox's accounting firm Rask
Regnskap AS (311000004) keeps the accounts of 313000001, 314000005 and 313367002.`,
		Example: `  sbs-tui sandbox clients list --agent 0b9f3a8e-… --available
  sbs-tui sandbox clients add --agent 0b9f3a8e-… --client 313000001
  sbs-tui sandbox clients remove --agent 0b9f3a8e-… --client 313000001`,
	}
	open := func() (*sandbox.Sandbox, error) { return openSandbox(a, data) }
	change := func(add bool) *cobra.Command {
		use, short := "add", "Add a client to an agent system user"
		if !add {
			use, short = "remove", "Remove a client from an agent system user"
		}
		c := &cobra.Command{
			Use:   use + " --agent SYSTEMUSER_ID --client ORGNO",
			Short: short,
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				if agent == "" || client == "" {
					return cli.Usagef("--agent and --client are required")
				}
				org := orgno.Normalize(client)
				if err := orgno.Validate(org); err != nil {
					return cli.Usagef("--client: %v", err)
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
					hint := clientHint(err)
					if ce, ok := err.(*world.ClientError); ok && add && ce.Code == "AUTH-00079" {
						hint = qualifyingClients(sb, agent)
					}
					return a.MaybeJSON(asJSON, fmt.Errorf("cannot %s client %s: %w%s", use, org, err, hint))
				}
				if asJSON {
					return a.PrintJSON(map[string]any{"ok": true, "agent": agent, "client": org, "added": add})
				}
				if add {
					fmt.Fprintf(a.Stdout, "Client %s added to agent system user %s.\nTokens for the system user now work on %s's behalf.\n", org, agent, org)
				} else {
					fmt.Fprintf(a.Stdout, "Client %s removed from agent system user %s.\n", org, agent)
				}
				return nil
			},
		}
		c.Flags().StringVar(&agent, "agent", "", "the agent system user's id")
		c.Flags().StringVar(&client, "client", "", "the client's organisation number")
		c.Flags().StringVar(&data, "data", "", "sandbox data directory (default: the profile's, else "+config.DefaultDataDir()+")")
		c.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
		return c
	}
	list := &cobra.Command{
		Use:   "list --agent SYSTEMUSER_ID [--available]",
		Short: "List an agent system user's clients (--available: the ones that could be added)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if agent == "" {
				return cli.Usagef("--agent is required")
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
				return a.MaybeJSON(asJSON, fmt.Errorf("cannot list the clients of %s: %w%s", agent, err, clientHint(err)))
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "agent": agent, "available": available, "clients": clients})
			}
			if len(clients) == 0 {
				if available {
					fmt.Fprintln(a.Stdout, "No organisation has the facilitator in a role that matches the system user's packages.")
				} else {
					fmt.Fprintln(a.Stdout, "No clients yet: add one with sbs-tui sandbox clients add --agent "+agent+" --client ORGNO.")
				}
			}
			for _, c := range clients {
				fmt.Fprintf(a.Stdout, "%s  %s\n", termsafe.Line(c.ClientOrganizationNumber), termsafe.Line(c.ClientOrganizationName))
			}
			return nil
		},
	}
	list.Flags().StringVar(&agent, "agent", "", "the agent system user's id")
	list.Flags().BoolVar(&available, "available", false, "list the clients that could be added instead")
	list.Flags().StringVar(&data, "data", "", "sandbox data directory (default: the profile's, else "+config.DefaultDataDir()+")")
	list.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.AddCommand(change(true), change(false), list)
	return cmd
}

func clientHint(err error) string {
	ce, ok := err.(*world.ClientError)
	if !ok {
		return ""
	}
	switch ce.Code {
	case "AUTH-00079":
		return "\nThe facilitator has no role for this organisation that gives the system user's packages: list the possible clients with --available."
	case "AUTH-00080":
		return "\nThe facilitator's role for this client does not give every package the agent system user has (e.g. REGN gives only the regnskapsfører packages)."
	case "AUTH.VLD-00015":
		return "\nOnly agent system users have clients; this one is a standard system user."
	case "AUTH.VLD-00014":
		return "\nCheck the id with sbs-tui users list --system SYSTEM_ID."
	}
	return ""
}

// qualifyingClients names, for AUTH-00079, the organisations the agent system user's owner
// has a matching role for (the ones that would be accepted), or the command that makes one.
func qualifyingClients(sb *sandbox.Sandbox, agent string) string {
	owner, roles, err := sb.AgentFacilitator(agent)
	if err != nil || len(roles) == 0 {
		return "\nThe facilitator has no role for this organisation that gives the system user's packages: list the possible clients with --available."
	}
	role := strings.Join(roles, " or ")
	clients, _ := sb.AvailableClients(agent)
	var b strings.Builder
	fmt.Fprintf(&b, "\nOnly an organisation for which the facilitator %s has the role %s in Enhetsregisteret qualifies", owner, role)
	if len(clients) == 0 {
		fmt.Fprintf(&b, "; %s has none.", owner)
	} else {
		var nos []string
		for _, c := range clients {
			nos = append(nos, termsafe.Line(c.ClientOrganizationNumber))
		}
		slices.Sort(nos)
		more := ""
		if len(nos) > 10 {
			nos, more = nos[:10], fmt.Sprintf(" and %d more (--available lists them)", len(clients)-10)
		}
		fmt.Fprintf(&b, ": %s%s.", strings.Join(nos, ", "), more)
	}
	fmt.Fprintf(&b, "\nMake one with: sbs-tui sandbox orgs add --count 1 --role %s --holder %s", roles[0], owner)
	return b.String()
}

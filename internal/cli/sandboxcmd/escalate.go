package sandboxcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
)

// sandboxEscalateCommand forwards a request as a customer without the rights does on the
// approval page, so a vendor can see what a forwarded request looks like from their side.
func sandboxEscalateCommand(a *cli.App) *cobra.Command {
	var data string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "escalate REQUEST_ID",
		Short: "Forward a request to the customer's Tilgangsstyrer, as the approval page's «Ja, send videre» does",
		Long: `A customer who opens the confirmUrl without the rights to approve is offered to forward
the request to their organisation's Tilgangsstyrer («Ja, send videre»). The request stays New
and is marked escalated until someone with the role approves or rejects it. Altinn shows the
mark to the vendor only in the list of a system's requests: request status and the board read
it from there. Works on the sandbox's data directory, so no server needs to run.`,
		Example: "  sbs-tui sandbox escalate 0b1c…\n  sbs-tui request status 0b1c…   # New (forwarded to the customer's Tilgangsstyrer)",
		Args:    a.ExactArgs(1, "give the request id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			sb, err := openSandbox(a, data)
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			already, err := sb.Escalate(args[0])
			if err != nil {
				return a.MaybeJSON(asJSON, fmt.Errorf("cannot forward request %s: %w", args[0], err))
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "id": args[0], "status": altinn.StatusNew, "escalated": true, "already": already})
			}
			if already {
				fmt.Fprintf(a.Stdout, "Request %s was already forwarded (the page says «%s»).\n", args[0], altinn.AlreadyEscalatedNB)
				return nil
			}
			fmt.Fprintf(a.Stdout, "Request %s is forwarded to the customer's Tilgangsstyrer and stays New.\n%s\n", args[0], altinn.EscalatedAdvice)
			return nil
		},
	}
	cmd.Flags().StringVar(&data, "data", "", "sandbox data directory (default: the profile's, else "+config.DefaultDataDir()+")")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

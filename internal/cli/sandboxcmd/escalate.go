package sandboxcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
)

// sandboxEscalateCommand forwards a request as a customer without the rights does on the
// approval page, so a vendor can see what a forwarded request looks like from their side.
func sandboxEscalateCommand(a *cli.App) *cobra.Command {
	var data string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "escalate REQUEST_ID", //i18n:ignore a cobra Use line
		Short:   a.T("clitools.sandbox.escalate.short"),
		Long:    a.T("clitools.sandbox.escalate.long"),
		Example: a.T("clitools.sandbox.escalate.example"),
		Args:    a.OneID(a.T("clitools.sandbox.escalate.need_id")),
		RunE: func(cmd *cobra.Command, args []string) error {
			sb, err := openSandbox(a, data)
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			already, err := sb.Escalate(args[0])
			if err != nil {
				return a.MaybeJSON(asJSON, fmt.Errorf("%s: %w", a.T("clitools.sandbox.escalate.err_forward", "ID", args[0]), err))
			}
			if asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "id": args[0], "status": altinn.StatusNew, "escalated": true, "already": already})
			}
			if already {
				fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.escalate.already", "ID", args[0], "Page", altinn.AlreadyEscalatedNB))
				return nil
			}
			fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.escalate.forwarded", "ID", args[0]))
			// The page area's copy of altinn.EscalatedAdvice (its test keeps the English equal).
			fmt.Fprintln(a.Stdout, a.T("page.approval.advice.escalated", "Question", altinn.EscalateQuestionNB, "Button", altinn.EscalateButtonNB))
			return nil
		},
	}
	dataFlag(a, cmd, &data)
	jsonFlag(a, cmd, &asJSON)
	return cmd
}

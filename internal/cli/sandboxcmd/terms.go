package sandboxcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
)

// sandboxTermsCommand plays Digdir's onboarding: whether an organisation has signed the terms
// of use (bruksvilkår), without which the self-service API creates no client for it.
func sandboxTermsCommand(a *cli.App) *cobra.Command {
	var flags adminFlags
	var unsigned bool
	cmd := &cobra.Command{
		Use:     "terms ORG [--unsigned]", //i18n:ignore a cobra Use line
		Short:   a.T("clitools.sandbox.terms.short"),
		Long:    a.T("clitools.sandbox.terms.long"),
		Example: a.T("clitools.sandbox.terms.example"),
		Args:    a.ExactArgs(1, a.T("clitools.sandbox.terms.need_org")),
		RunE: func(cmd *cobra.Command, args []string) error {
			org, err := a.OrgNoArg("ORG", args[0])
			if err != nil {
				return err
			}
			sb, err := openSandbox(a, flags.data)
			if err != nil {
				return a.MaybeJSON(flags.asJSON, err)
			}
			if err := sb.SetTermsSigned(org, !unsigned); err != nil {
				return a.MaybeJSON(flags.asJSON, fmt.Errorf("%s: %w", a.T("clitools.sandbox.terms.err_record", "Org", org), err))
			}
			if flags.asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "org": org, "terms_signed": !unsigned})
			}
			if unsigned {
				fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.terms.unsigned", "Org", org))
			} else {
				fmt.Fprintln(a.Stdout, a.T("clitools.sandbox.terms.signed", "Org", org))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&unsigned, "unsigned", false, a.T("clitools.sandbox.terms.flag_unsigned"))
	flags.register(a, cmd)
	return cmd
}

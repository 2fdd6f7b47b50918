package sandboxcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
)

// sandboxTermsCommand plays Digdir's onboarding: whether an organisation has signed the terms
// of use (bruksvilkår), without which the self-service API creates no client for it.
func sandboxTermsCommand(a *cli.App) *cobra.Command {
	var flags adminFlags
	var unsigned bool
	cmd := &cobra.Command{
		Use:   "terms ORG [--unsigned]",
		Short: "Mark an organisation as having signed (or, with --unsigned, not signed) Digdir's terms of use",
		Long: `Digdir creates Maskinporten clients only for organisations that have signed its terms of use
(bruksvilkår). With --unsigned the sandbox's self-service API answers client creation for ORG
(the admin client's organisation, or client_orgno) with 428 PRECONDITION_REQUIRED, as Digdir
does; without it ORG has signed again. Seeded organisations have signed.`,
		Example: `  sbs-tui sandbox terms 313367002 --unsigned
  sbs-tui sandbox terms 313367002`,
		Args: a.ExactArgs(1, "give the organisation number"),
		RunE: func(cmd *cobra.Command, args []string) error {
			org := orgno.Normalize(args[0])
			if err := orgno.Validate(org); err != nil {
				return cli.UsageError{Err: err}
			}
			sb, err := openSandbox(a, flags.data)
			if err != nil {
				return a.MaybeJSON(flags.asJSON, err)
			}
			if err := sb.SetTermsSigned(org, !unsigned); err != nil {
				return a.MaybeJSON(flags.asJSON, fmt.Errorf("record the terms of use for %s: %w", org, err))
			}
			if flags.asJSON {
				return a.PrintJSON(map[string]any{"ok": true, "org": org, "terms_signed": !unsigned})
			}
			if unsigned {
				fmt.Fprintf(a.Stdout, "%s has not signed Digdir's terms of use: creating a client for it now gets 428 PRECONDITION_REQUIRED.\n", org)
			} else {
				fmt.Fprintf(a.Stdout, "%s has signed Digdir's terms of use: the self-service API creates clients for it.\n", org)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&unsigned, "unsigned", false, "the organisation has not signed the terms")
	flags.register(cmd)
	return cmd
}

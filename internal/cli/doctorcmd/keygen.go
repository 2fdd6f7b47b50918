package doctorcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/steps"
)

// NewKeygenCmd is `sbs-tui keygen`: a key pair for the Maskinporten client (step 3).
func NewKeygenCmd(a *cli.App) *cobra.Command {
	var out, kid string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "keygen",
		Short: a.T("clitools.keygen.short"),
		Long:  a.T("clitools.keygen.long"),
		Args:  a.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := steps.Keygen(out, kid, a.Now())
			if err != nil {
				if asJSON {
					return a.FailJSON(err, nil)
				}
				return err
			}
			if asJSON {
				return a.PrintJSON(r)
			}
			st := a.Styles()
			fmt.Fprintf(a.Stdout, "%s\n", st.Title.Render(a.T("clitools.keygen.generated")))
			fmt.Fprintln(a.Stdout, a.T("clitools.keygen.kid", "Kid", r.Kid))
			fmt.Fprintln(a.Stdout, a.T("clitools.keygen.private_key", "Path", r.PrivateKeyFile))
			fmt.Fprintln(a.Stdout, a.T("clitools.keygen.jwk_set", "Path", r.JWKSFile))
			fmt.Fprintf(a.Stdout, "%s\n\n", a.T("clitools.keygen.jwk_array", "Path", r.ArrayFile))
			fmt.Fprintf(a.Stdout, "%s\n%s\n\n", st.Bold.Render(a.T("clitools.keygen.public_jwk")), r.PublicJWK)
			fmt.Fprintf(a.Stdout, "%s\n%s", st.Bold.Render(a.T("clitools.keygen.put_under")), r.ProfileSnippet)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", ".", a.T("clitools.keygen.flag_out"))
	cmd.Flags().StringVar(&kid, "kid", "", a.T("clitools.keygen.flag_kid"))
	cmd.Flags().BoolVar(&asJSON, "json", false, a.T("clitools.sandbox.flag.json"))
	return cmd
}

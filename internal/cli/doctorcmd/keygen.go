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
		Short: "Generate an RSA key pair and the public JWK for your Maskinporten client (step 3)",
		Long: `Generates an RSA-2048 private key (PEM, mode 0600) and its public JWK, both as a JWK set
({"keys":[…]}, the self-service API's body) and as a bare array ([…], what
Samarbeidsportalen's "Egne public nøkler" box wants). The kid defaults to a globally unique
value. Only the public JWK is printed; the private key stays in its file.`,
		Args: cobra.NoArgs,
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
			fmt.Fprintf(a.Stdout, "%s\n", st.Title.Render("Key pair generated"))
			fmt.Fprintf(a.Stdout, "  kid          %s\n", r.Kid)
			fmt.Fprintf(a.Stdout, "  private key  %s (0600; keep it secret, never upload it)\n", r.PrivateKeyFile)
			fmt.Fprintf(a.Stdout, "  JWK set      %s\n", r.JWKSFile)
			fmt.Fprintf(a.Stdout, "  JWK array    %s (paste into Samarbeidsportalen)\n\n", r.ArrayFile)
			fmt.Fprintf(a.Stdout, "%s\n%s\n\n", st.Bold.Render("Public JWK:"), r.PublicJWK)
			fmt.Fprintf(a.Stdout, "%s\n%s", st.Bold.Render("Put this under your profile in the config file:"), r.ProfileSnippet)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", ".", "directory for the key files")
	cmd.Flags().StringVar(&kid, "kid", "", "key id (default: sbs-tui-<date>-<uuid>)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

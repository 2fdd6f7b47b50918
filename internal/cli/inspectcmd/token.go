package inspectcmd

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
)

// NewTokenCmd is `sbs-tui token`: a Maskinporten access token (step 7).
func NewTokenCmd(a *cli.App) *cobra.Command {
	var tf tokenFlags
	var asJSON, curl bool
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Get a Maskinporten access token, optionally for a system user (step 7)",
		Long: `Requests an access token with the profile's key and prints it raw on stdout (so it can
be piped), or with --json together with its expiry and scope. With --systemuser-org the
token is for the Altinn system user owned by that organisation; add --external-ref when the
system-user request was created with one. Maskinporten errors are explained with the next
step to take.`,
		Example: `  sbs-tui token --scope altinn:authentication/systemregister.write
  sbs-tui token --scope skatteetaten:innrapporteringboligselskap --systemuser-org 313367002`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := tf.request()
			if err != nil {
				return err
			}
			if curl && asJSON {
				return cli.Usagef("--curl and --json cannot be combined")
			}
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			if curl {
				warnEphemeralSandbox(a)
				fmt.Fprint(a.Stdout, tokenCurl(a.SelfCommand()+" grant "+cli.ShellJoin(tf.args(s)), s.Env.MaskinportenToken))
				return nil
			}
			tok, reused, err := s.Token(cmd.Context(), req)
			if err != nil {
				return a.ReportTokenError(asJSON, err)
			}
			// Raw output must stay byte-exact for a valid token, so anything else is refused
			// rather than cleaned: a server could otherwise write escapes to the terminal.
			if err := tokeninspect.WellFormed(tok.AccessToken); err != nil {
				return a.MaybeJSON(asJSON, fmt.Errorf("Maskinporten answered with an unusable access token (%v); not printing it. Try again, or check the environment's token URL", err))
			}
			if off := tok.ClockOffset; off.Abs() > 5*time.Second {
				fmt.Fprintf(a.Stderr, "warning: your clock is off by %s against Maskinporten; grants fail past 10 s\n", off.Round(time.Second))
			}
			if asJSON {
				return a.PrintJSON(map[string]any{
					"ok": true, "access_token": tok.AccessToken, "token_type": tok.TokenType,
					"expires_in": tok.ExpiresIn, "expires_at": tok.ExpiresAt.UTC().Format(time.RFC3339),
					"scope": tok.Scope, "reused": reused, "environment": s.Env.Name,
				})
			}
			fmt.Fprintln(a.Stdout, tok.AccessToken)
			return nil
		},
	}
	tf.add(cmd)
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print one JSON object with the token, expiry and scope")
	f.BoolVar(&curl, "curl", false, "print the equivalent curl command (the grant comes from `sbs-tui grant`) instead of requesting a token")
	return cmd
}

// tokenCurl is a shell recipe: sign a grant into $GRANT, post it, keep the token in $TOKEN.
func tokenCurl(grantCmd, tokenURL string) string {
	return fmt.Sprintf(`# A grant lives 120 s: sign it right before posting it.
GRANT="$(%s)"
curl -sS -X POST %s \
  -H 'Content-Type: application/x-www-form-urlencoded' \
  --data-urlencode %s \
  --data-urlencode "assertion=$GRANT"
`, grantCmd, cli.ShellQuote(tokenURL), cli.ShellQuote("grant_type="+mp.GrantTypeJWTBearer))
}

// validateTokenRequest checks flags before any file is read or request sent.
func validateTokenRequest(req maskinporten.TokenRequest, scopes []string) error {
	if len(scopes) == 0 {
		return nil // the profile's scopes are used; checked once the profile is known
	}
	if err := req.Validate(); err != nil {
		return cli.UsageError{Err: err}
	}
	return nil
}

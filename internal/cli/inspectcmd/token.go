package inspectcmd

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
)

// NewTokenCmd is `sbs-tui token`: a Maskinporten access token (step 7).
func NewTokenCmd(a *cli.App) *cobra.Command {
	var tf tokenFlags
	var req maskinporten.TokenRequest // read from the flags in PreRunE
	var asJSON, curl bool
	cmd := &cobra.Command{
		Use:     "token",
		Short:   a.T("cliinspect.token.short"),
		Long:    a.T("cliinspect.token.long"),
		Example: a.T("cliinspect.token.example"),
		Args:    a.NoArgs,
		PreRunE: func(*cobra.Command, []string) (err error) {
			if req, err = tf.request(a); err != nil {
				return err
			}
			if curl && asJSON {
				return cli.Usagef("%s", a.T("cliinspect.token.curl_and_json"))
			}
			return nil
		},
		RunE: a.WithSession(&asJSON, func(cmd *cobra.Command, _ []string, s *steps.Session) error {
			if curl {
				warnEphemeralSandbox(a)
				fmt.Fprint(a.Stdout, tokenCurl(a.T("cliinspect.token.curl_comment"), a.SelfCommand()+" grant "+cli.ShellJoin(tf.args(s)), s.Env.MaskinportenToken))
				return nil
			}
			tok, reused, err := s.Token(cmd.Context(), req)
			if err != nil {
				return a.ReportTokenError(asJSON, err)
			}
			// Raw output must stay byte-exact for a valid token, so anything else is refused
			// rather than cleaned: a server could otherwise write escapes to the terminal.
			if err := tokeninspect.WellFormed(tok.AccessToken); err != nil {
				return a.MaybeJSON(asJSON, localError{err, a.T("cliinspect.token.unusable", "Err", err.Error())})
			}
			if off := tok.ClockOffset; off.Abs() > 5*time.Second {
				fmt.Fprintln(a.Stderr, a.T("cliinspect.token.clock_off", "Offset", clockOffset(a.Text(), off)))
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
		}),
	}
	tf.add(a, cmd)
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, a.T("cliinspect.token.flag_json"))
	f.BoolVar(&curl, "curl", false, a.T("cliinspect.token.flag_curl"))
	return cmd
}

// tokenCurl is a shell recipe: sign a grant into $GRANT, post it, keep the token in $TOKEN.
func tokenCurl(comment, grantCmd, tokenURL string) string {
	return fmt.Sprintf("%s\n"+
		"GRANT=\"$(%s)\"\n"+
		"curl -sS -X POST %s \\\n"+
		"  -H 'Content-Type: application/x-www-form-urlencoded' \\\n"+ //i18n:ignore an HTTP header of a shell recipe
		"  --data-urlencode %s \\\n"+
		"  --data-urlencode \"assertion=$GRANT\"\n",
		comment, grantCmd, cli.ShellQuote(tokenURL), cli.ShellQuote("grant_type="+mp.GrantTypeJWTBearer))
}

// clockOffset is the clock's offset as Go wrote it so far in English ("12s", "-1m3s"), in
// the language's words otherwise.
func clockOffset(p *i18n.Printer, off time.Duration) string {
	off = off.Round(time.Second)
	if p.Lang() == i18n.EN {
		return off.String()
	}
	if off < 0 {
		return "-" + p.Duration(off)
	}
	return p.Duration(off)
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

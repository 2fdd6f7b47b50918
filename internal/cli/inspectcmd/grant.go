package inspectcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
)

// tokenFlags are the flags token and grant share: what the grant asks for.
type tokenFlags struct {
	scopes, resource                        []string
	systemUserOrg, externalRef, consumerOrg string
}

func (f *tokenFlags) add(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringArrayVar(&f.scopes, "scope", nil, "scope to ask for (repeat for several; default: the profile's scopes)")
	fs.StringVar(&f.systemUserOrg, "systemuser-org", "", "organisation number that owns the system user")
	fs.StringVar(&f.externalRef, "external-ref", "", "the system user's external reference, if its request had one")
	fs.StringVar(&f.consumerOrg, "consumer-org", "", "act for this organisation through an Altinn delegation (supplier mode)")
	fs.StringArrayVar(&f.resource, "resource", nil, "audience restriction (RFC 8707), as the API owner specifies")
}

// request turns the flags into a checked token request.
func (f *tokenFlags) request() (maskinporten.TokenRequest, error) {
	req := maskinporten.TokenRequest{Scopes: f.scopes, Resource: f.resource, ConsumerOrg: orgno.Normalize(f.consumerOrg)}
	if f.systemUserOrg != "" {
		req.SystemUser = &maskinporten.SystemUser{OrgNo: orgno.Normalize(f.systemUserOrg), ExternalRef: f.externalRef}
	} else if f.externalRef != "" {
		return req, cli.Usagef("--external-ref needs --systemuser-org")
	}
	return req, validateTokenRequest(req, f.scopes)
}

// args are the flags again, for a command line that reproduces the request.
func (f *tokenFlags) args(s *steps.Session) []string {
	var out []string
	scopes := f.scopes
	if len(scopes) == 0 && s != nil {
		scopes = s.Profile.Scopes
	}
	for _, sc := range scopes {
		out = append(out, "--scope", sc)
	}
	if f.systemUserOrg != "" {
		out = append(out, "--systemuser-org", orgno.Normalize(f.systemUserOrg))
	}
	if f.externalRef != "" {
		out = append(out, "--external-ref", f.externalRef)
	}
	if f.consumerOrg != "" {
		out = append(out, "--consumer-org", orgno.Normalize(f.consumerOrg))
	}
	for _, r := range f.resource {
		out = append(out, "--resource", r)
	}
	return out
}

// NewGrantCmd is `sbs-tui grant`: a signed grant for the profile, printed and not sent.
func NewGrantCmd(a *cli.App) *cobra.Command {
	var tf tokenFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "grant",
		Short: "Print a signed Maskinporten grant for the profile (for curl or Postman)",
		Long: `Signs a grant (the client assertion) with the profile's key, exactly as the token command
would send it, and prints it on stdout without sending it. Post it to the token endpoint
within 120 seconds:

  curl -X POST TOKEN_URL --data-urlencode grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer \
       --data-urlencode "assertion=$(sbs-tui grant)"

With --json it also prints the token endpoint and the decoded header and claims. The grant
proves the client's identity for two minutes: treat it like a password.`,
		Example: `  sbs-tui grant --scope altinn:authentication/systemregister.write
  sbs-tui grant --scope skatteetaten:innrapporteringboligselskap --systemuser-org 313367002 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := tf.request()
			if err != nil {
				return err
			}
			s, err := a.Session(cmd.Context())
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			warnEphemeralSandbox(a)
			g, err := s.Grant(cmd.Context(), req)
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			if !asJSON {
				fmt.Fprintln(a.Stdout, g.Grant)
				return nil
			}
			d, err := tokeninspect.Decode(g.Grant)
			if err != nil {
				return a.FailJSON(err, nil)
			}
			return a.PrintJSON(map[string]any{
				"ok": true, "grant": g.Grant, "token_endpoint": g.TokenURL, "audience": g.Audience,
				"environment": s.Env.Name, "header": fieldsJSON(d.Header), "claims": fieldsJSON(d.Claims),
			})
		},
	}
	tf.add(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object with the grant, its decoded claims and the token endpoint")
	return cmd
}

// warnEphemeralSandbox says that curl finds no sandbox at its address once this command
// exits, when this process is the one serving it.
func warnEphemeralSandbox(a *cli.App) {
	if a.Attached != nil && !attachedRemote(a) {
		fmt.Fprintf(a.Stderr, "note: no sandbox keeps serving %s after this command; for curl, run `sbs-tui sandbox serve` in another terminal\n", a.Attached.BaseURL)
	}
}

// attachedRemote reports whether another process serves the attached sandbox (so it keeps
// answering after this command).
func attachedRemote(a *cli.App) bool {
	return a.Attached != nil && !a.Attached.Serving() && a.Attached.Notice == ""
}

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

func (f *tokenFlags) add(a *cli.App, cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringArrayVar(&f.scopes, "scope", nil, a.T("cliinspect.flag.scope"))
	fs.StringVar(&f.systemUserOrg, "systemuser-org", "", a.T("cliinspect.flag.systemuser_org"))
	fs.StringVar(&f.externalRef, "external-ref", "", a.T("cliinspect.flag.external_ref"))
	fs.StringVar(&f.consumerOrg, "consumer-org", "", a.T("cliinspect.flag.consumer_org"))
	fs.StringArrayVar(&f.resource, "resource", nil, a.T("cliinspect.flag.resource"))
}

// request turns the flags into a checked token request.
func (f *tokenFlags) request(a *cli.App) (maskinporten.TokenRequest, error) {
	req := maskinporten.TokenRequest{Scopes: f.scopes, Resource: f.resource}
	if f.consumerOrg != "" {
		org, err := a.OrgNoArg("--consumer-org", f.consumerOrg)
		if err != nil {
			return req, err
		}
		req.ConsumerOrg = org
	}
	if f.systemUserOrg != "" {
		org, err := a.OrgNoArg("--systemuser-org", f.systemUserOrg)
		if err != nil {
			return req, err
		}
		req.SystemUser = &maskinporten.SystemUser{OrgNo: org, ExternalRef: f.externalRef}
	} else if f.externalRef != "" {
		return req, cli.Usagef("%s", a.T("cliinspect.flag.external_ref_needs_org"))
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
	var req maskinporten.TokenRequest // read from the flags in PreRunE
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "grant",
		Short:   a.T("cliinspect.grant.short"),
		Long:    a.T("cliinspect.grant.long"),
		Example: a.T("cliinspect.grant.example"),
		Args:    a.NoArgs,
		PreRunE: func(*cobra.Command, []string) (err error) {
			req, err = tf.request(a)
			return err
		},
		RunE: a.WithSession(&asJSON, func(cmd *cobra.Command, _ []string, s *steps.Session) error {
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
		}),
	}
	tf.add(a, cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, a.T("cliinspect.grant.flag_json"))
	return cmd
}

// warnEphemeralSandbox says that curl finds no sandbox at its address once this command
// exits, when this process is the one serving it.
func warnEphemeralSandbox(a *cli.App) {
	if a.Attached != nil && !attachedRemote(a) {
		fmt.Fprintln(a.Stderr, a.T("cliinspect.grant.ephemeral_sandbox", "URL", a.Attached.BaseURL))
	}
}

// attachedRemote reports whether another process serves the attached sandbox (so it keeps
// answering after this command).
func attachedRemote(a *cli.App) bool {
	return a.Attached != nil && !a.Attached.Serving() && a.Attached.Notice == ""
}

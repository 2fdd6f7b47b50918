package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
)

func (a *app) inspectCommand() *cobra.Command {
	var verify, asJSON bool
	cmd := &cobra.Command{
		Use:   "inspect [FILE|-]",
		Short: "Decode a token or grant and check it against Maskinporten's rules",
		Long: `Decodes a JWT from FILE, from standard input (- or a pipe), or pasted at a prompt. A
"Bearer " prefix and surrounding whitespace are ignored. Shows header and claims with times in
local time, UTC and relative to now, the status (valid, expired, not yet valid), and
Maskinporten-aware findings: issuer, consumer, scope, and a system user's
authorization_details. The signature is only checked with --verify, against the JWKS of the
environment (for test and prod tokens, the token's own environment).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			if f, ok := a.stdin.(*os.File); ok && arg == "" && !asJSON && !verify && isTerminal(f) && isTerminal(a.stdout) && !a.lineMode() {
				return a.runInspectTUI(cmd)
			}
			input, err := a.readInput(arg)
			if err != nil {
				return a.maybeJSON(asJSON, err)
			}
			var verifier *steps.Session
			if verify {
				if verifier, err = a.verifierFor(cmd.Context(), input); err != nil {
					return a.maybeJSON(asJSON, err)
				}
			}
			in, err := steps.Inspect(cmd.Context(), input, a.now(), verifier)
			if err != nil {
				return a.maybeJSON(asJSON, fmt.Errorf("cannot inspect the token: %w", err))
			}
			if asJSON {
				if err := a.printJSON(inspectionJSON(in, verify)); err != nil {
					return err
				}
			} else {
				a.printInspection(in, verify)
			}
			if verify && !in.Verified {
				return reportedError{in.VerifyError}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&verify, "verify", false, "verify signature, issuer and times against the environment's JWKS")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

// verifierFor picks the environment to verify against: a test or prod token is checked
// against its own (trusted, fixed) hosts unless --env or --profile says otherwise; anything
// else against the configured environment.
func (a *app) verifierFor(ctx context.Context, input string) (*steps.Session, error) {
	if a.env == "" && a.profile == "" {
		if d, err := tokeninspect.Decode(input); err == nil {
			if env, ok := tokeninspect.KnownIssuers[d.String("iss")]; ok {
				e, _ := config.Builtin(env)
				return steps.NewSession(e, nil, env, &config.Profile{Env: env}, a.httpClient(), a.now, a.log), nil
			}
		}
	}
	return a.getSession(ctx)
}

func inspectionJSON(in *steps.Inspection, verify bool) map[string]any {
	obj := func(fs []tokeninspect.Field) json.RawMessage {
		var b strings.Builder
		b.WriteString("{")
		for i, f := range fs {
			if i > 0 {
				b.WriteString(",")
			}
			k, _ := json.Marshal(f.Name)
			b.Write(k)
			b.WriteString(":")
			b.Write(f.Raw)
		}
		b.WriteString("}")
		return json.RawMessage(b.String())
	}
	out := map[string]any{
		"ok": !verify || in.Verified, "header": obj(in.Decoded.Header), "claims": obj(in.Decoded.Claims),
		"report": in.Report, "signature_verified": in.Verified,
	}
	if in.VerifyError != nil {
		out["verify_error"] = in.VerifyError.Error()
	}
	if in.Verification != nil {
		out["verification"] = in.Verification
	}
	return out
}

func (a *app) printInspection(in *steps.Inspection, verify bool) {
	st := a.styles()
	r := in.Report
	w := a.stdout
	status := string(r.Status)
	switch r.Status {
	case tokeninspect.StatusValid:
		status = st.pass.Render("VALID") + " (expires in " + r.ExpiresIn + ")"
	case tokeninspect.StatusExpired:
		status = st.fail.Render("EXPIRED")
	case tokeninspect.StatusNotYetValid:
		status = st.warn.Render("NOT YET VALID")
	case tokeninspect.StatusNoExpiry:
		status = st.warn.Render("NO EXPIRY")
	}
	sig := st.warn.Render("signature not verified") + st.dim.Render(" (use --verify)")
	switch {
	case in.Verified:
		sig = st.pass.Render("signature verified") + st.dim.Render(" against "+in.Verification.Issuer+" key "+termsafe.Line(in.Verification.Kid))
	case verify:
		sig = st.fail.Render("signature NOT valid: ") + termsafe.Line(in.VerifyError.Error())
	}
	fmt.Fprintf(w, "%s  %s  %s\n%s\n\n", st.title.Render("Token"), kindLabel(r.Kind), status, sig)

	fmt.Fprintln(w, st.bold.Render("Header"))
	printFields(w, in.Decoded.Header, nil)
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.bold.Render("Claims"))
	times := map[string]tokeninspect.TimeClaim{}
	for _, tc := range r.Times {
		times[tc.Name] = tc
	}
	printFields(w, in.Decoded.Claims, times)
	if su := r.SystemUser; su != nil {
		fmt.Fprintf(w, "\n%s\n", st.bold.Render("System user"))
		fmt.Fprintf(w, "  id      %s\n", termsafe.Line(strings.Join(su.SystemUserIDs, ", ")))
		fmt.Fprintf(w, "  system  %s\n", termsafe.Line(su.SystemID))
		fmt.Fprintf(w, "  owner   %s\n", termsafe.Line(su.OwnerOrg))
		if su.ExternalRef != "" {
			fmt.Fprintf(w, "  externalRef  %s\n", termsafe.Line(su.ExternalRef))
		}
	}
	if len(r.Findings) > 0 {
		fmt.Fprintf(w, "\n%s\n", st.bold.Render("Findings"))
		for _, f := range r.Findings {
			mark := map[tokeninspect.Level]string{
				tokeninspect.OK: st.pass.Render("✓"), tokeninspect.Info: st.dim.Render("i"),
				tokeninspect.Warn: st.warn.Render("!"), tokeninspect.Error: st.fail.Render("✗"),
			}[f.Level]
			fmt.Fprintf(w, "  %s %s\n", mark, termsafe.Line(f.Text))
		}
	}
}

func kindLabel(k tokeninspect.Kind) string {
	switch k {
	case tokeninspect.KindAccessToken:
		return "Maskinporten access token"
	case tokeninspect.KindGrant:
		return "Maskinporten grant (client assertion)"
	default:
		return "JWT"
	}
}

func printFields(w interface{ Write([]byte) (int, error) }, fs []tokeninspect.Field, times map[string]tokeninspect.TimeClaim) {
	width := 0
	for _, f := range fs {
		width = max(width, len(termsafe.Line(f.Name)))
	}
	width = min(width, 24)
	for _, f := range fs {
		val := string(f.Raw)
		if s, ok := f.Value.(string); ok {
			val = s
		}
		val = termsafe.Truncate(termsafe.Line(val), 400)
		if tc, ok := times[f.Name]; ok {
			val = fmt.Sprintf("%s  %s · %s · %s", val, tc.Time.Local().Format("2006-01-02 15:04:05 MST"), tc.Time.Format(time.RFC3339), tc.Relative)
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, termsafe.Line(f.Name), val)
	}
}

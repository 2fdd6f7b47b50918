package inspectcmd

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
)

// NewInspectCmd is `sbs-tui inspect`: a token or grant decoded and checked, or two compared.
func NewInspectCmd(a *cli.App) *cobra.Command {
	var verify, asJSON, strict bool
	var at string
	cmd := &cobra.Command{
		Use:   "inspect [FILE|-] [FILE]",
		Short: "Decode a token or grant and check it against Maskinporten's rules",
		Long: `Decodes a JWT from FILE, from standard input (- or a pipe), or pasted at a prompt. A
"Bearer " prefix and surrounding whitespace are ignored. Shows header and claims with times in
local time, UTC and relative to now, the status (valid, expired, not yet valid), and
Maskinporten-aware findings: issuer, consumer, scope, and a system user's
authorization_details. The signature is only checked with --verify, against the JWKS of the
environment (for test and prod tokens, the token's own environment).

A grant (client assertion) is checked offline against Maskinporten's rules: aud equal to the
issuer (of --env when given), exp - iat at most 120 s, iat within 10 s of now (or of --at, for
a grant from a log), jti, exactly one of kid and x5c, RS256/384/512, scope syntax, the
authorization_details shape, and with --strict no undocumented claims. Each broken rule is
named with the code Maskinporten would answer, and the exit status is 1.

With two tokens, compares them claim by claim (why does test work and prod not?).`,
		Example: `  sbs-tui inspect token.jwt
  sbs-tui grant | sbs-tui inspect -
  sbs-tui inspect --at 2026-11-27T08:01:02Z grant-from-log.jwt
  sbs-tui inspect test-token.jwt prod-token.jwt`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := inspectOptions(a, at, strict)
			if err != nil {
				return err
			}
			if len(args) == 2 {
				return compareTokens(a, args[0], args[1], opts, asJSON)
			}
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			if f, ok := a.Stdin.(*os.File); ok && arg == "" && !asJSON && !verify && cli.IsTerminal(f) && cli.IsTerminal(a.Stdout) && !a.LineMode() {
				return runInspectTUI(a, cmd)
			}
			input, err := readInput(a, arg)
			if err != nil {
				return a.MaybeJSON(asJSON, err)
			}
			var verifier *steps.Session
			if verify {
				if verifier, err = verifierFor(a, cmd.Context(), input); err != nil {
					return a.MaybeJSON(asJSON, err)
				}
			}
			in, err := steps.InspectWith(cmd.Context(), input, opts, verifier)
			if err != nil {
				return a.MaybeJSON(asJSON, fmt.Errorf("cannot inspect the token: %w", err))
			}
			if asJSON {
				if err := a.PrintJSON(inspectionJSON(in, verify)); err != nil {
					return err
				}
			} else {
				printInspection(a, in, verify)
			}
			if verify && !in.Verified {
				return cli.ReportedError{Err: in.VerifyError}
			}
			for _, v := range in.Report.GrantChecks {
				if v.Level == tokeninspect.Error {
					return cli.ReportedError{Err: fmt.Errorf("the grant breaks %s: Maskinporten would answer %s", v.Rule, v.Code)}
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&verify, "verify", false, "verify signature, issuer and times against the environment's JWKS")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().StringVar(&at, "at", "", "judge a grant's times at TIME (RFC 3339 or Unix seconds) instead of now")
	cmd.Flags().BoolVar(&strict, "strict", false, "report undocumented grant claims as Maskinporten's strict mode refuses them")
	return cmd
}

// inspectOptions resolves --at, --strict and, for an explicit --env or --profile, the issuer
// a grant's aud must equal (read from the configuration; no server is started or called).
func inspectOptions(a *cli.App, at string, strict bool) (steps.InspectOptions, error) {
	o := steps.InspectOptions{Now: a.Now(), Strict: strict, Text: a.Text()}
	if at != "" {
		t, err := parseTime(at)
		if err != nil {
			return o, cli.Usagef("--at %q: %v", at, err)
		}
		o.Now = t
	}
	if a.EnvName == "" && a.ProfileName == "" {
		return o, nil
	}
	envName := a.EnvName
	var prof *config.Profile
	var file *config.File
	if f, err := a.LoadConfig(); err == nil {
		file = f
		if p, _, ok, err := file.Profile(a.ProfileName); err == nil && ok && (envName == "" || p.Env == envName) {
			prof = p
			envName = p.Env
		}
	}
	switch envName {
	case config.EnvSandbox, "":
		base := ""
		switch {
		case prof != nil && prof.SandboxURL != "":
			base = prof.SandboxURL
		default:
			dir := os.Getenv(cli.SandboxDataVar)
			if prof != nil && prof.SandboxData != "" {
				dir = file.Resolve(prof.SandboxData)
			}
			if abs, err := cli.DefaultDataDir(dir); err == nil {
				base, _ = sandbox.RecordedBaseURL(abs)
			}
		}
		if base != "" {
			o.Issuer, o.IssuerEnv = config.Sandbox(base).MaskinportenIssuer, config.EnvSandbox
		}
	default:
		if e, err := config.Builtin(envName); err == nil {
			o.Issuer, o.IssuerEnv = e.MaskinportenIssuer, envName
		}
	}
	return o, nil
}

// parseTime reads RFC 3339 (with or without a zone: then UTC) or Unix seconds.
func parseTime(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("give a time as RFC 3339 (2026-11-27T08:01:02Z) or Unix seconds")
}

// compareTokens prints two tokens claim by claim.
func compareTokens(a *cli.App, argA, argB string, o steps.InspectOptions, asJSON bool) error {
	if argA == "-" && argB == "-" {
		return cli.Usagef("only one of the two tokens can come from standard input")
	}
	var ins [2]*steps.Inspection
	for i, arg := range []string{argA, argB} {
		input, err := readInput(a, arg)
		if err != nil {
			return a.MaybeJSON(asJSON, err)
		}
		in, err := steps.InspectWith(context.Background(), input, o, nil)
		if err != nil {
			return a.MaybeJSON(asJSON, fmt.Errorf("cannot inspect %s: %w", arg, err))
		}
		ins[i] = in
	}
	diffs := tokeninspect.Compare(ins[0].Decoded, ins[1].Decoded)
	if asJSON {
		return a.PrintJSON(map[string]any{"ok": true, "a": ins[0].Report, "b": ins[1].Report, "differences": diffs})
	}
	st := a.Styles()
	w := a.Stdout
	for i, in := range ins {
		env := in.Report.IssuerEnv
		if env == "" {
			env = "unknown environment"
		}
		fmt.Fprintf(w, "%s  %s  %s (%s)\n", st.Bold.Render([]string{"A", "B"}[i]), termsafe.Line([]string{argA, argB}[i]), kindLabel(in.Report.Kind), env)
	}
	fmt.Fprintln(w)
	width := 0
	for _, d := range diffs {
		width = max(width, len(termsafe.Line(d.Name)))
	}
	width = min(width, 24)
	part := ""
	for _, d := range diffs {
		if d.Part != part {
			part = d.Part
			fmt.Fprintln(w, st.Bold.Render(map[string]string{"header": "Header", "claims": "Claims"}[part]))
		}
		show := func(v string) string {
			if v == "" {
				return st.Dim.Render("(absent)")
			}
			return termsafe.Truncate(termsafe.Line(v), 200)
		}
		if d.Same {
			fmt.Fprintf(w, "  %s %-*s  %s\n", st.Pass.Render("="), width, termsafe.Line(d.Name), show(d.A))
			continue
		}
		mark := st.Warn.Render("≠")
		if d.Note == "" {
			mark = st.Dim.Render("~")
		}
		fmt.Fprintf(w, "  %s %-*s  A: %s\n", mark, width, termsafe.Line(d.Name), show(d.A))
		fmt.Fprintf(w, "    %-*s  B: %s\n", width, "", show(d.B))
		if d.Note != "" {
			fmt.Fprintf(w, "    %-*s  %s\n", width, "", st.Dim.Render("→ "+d.Note))
		}
	}
	return nil
}

// verifierFor picks the environment to verify against: a test or prod token is checked
// against its own (trusted, fixed) hosts unless --env or --profile says otherwise; anything
// else against the configured environment.
func verifierFor(a *cli.App, ctx context.Context, input string) (*steps.Session, error) {
	if a.EnvName == "" && a.ProfileName == "" {
		if d, err := tokeninspect.Decode(input); err == nil {
			if env, ok := tokeninspect.KnownIssuers[d.String("iss")]; ok {
				e, _ := config.Builtin(env)
				return steps.NewSession(e, nil, env, &config.Profile{Env: env}, a.HTTPClient(), a.Now, a.Log), nil
			}
		}
	}
	return a.Session(ctx)
}

// fieldsJSON writes header or claims as one JSON object in the token's order.
func fieldsJSON(fs []tokeninspect.Field) json.RawMessage {
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

func inspectionJSON(in *steps.Inspection, verify bool) map[string]any {
	obj := fieldsJSON
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

func printInspection(a *cli.App, in *steps.Inspection, verify bool) {
	st := a.Styles()
	r := in.Report
	w := a.Stdout
	status := string(r.Status)
	switch r.Status {
	case tokeninspect.StatusValid:
		status = st.Pass.Render("VALID") + " (expires in " + r.ExpiresIn + ")"
	case tokeninspect.StatusExpired:
		status = st.Fail.Render("EXPIRED")
	case tokeninspect.StatusNotYetValid:
		status = st.Warn.Render("NOT YET VALID")
	case tokeninspect.StatusNoExpiry:
		status = st.Warn.Render("NO EXPIRY")
	}
	sig := st.Warn.Render("signature not verified") + st.Dim.Render(" (use --verify)")
	switch {
	case in.Verified:
		sig = st.Pass.Render("signature verified") + st.Dim.Render(" against "+in.Verification.Issuer+" key "+termsafe.Line(in.Verification.Kid))
	case verify:
		sig = st.Fail.Render("signature NOT valid: ") + termsafe.Line(in.VerifyError.Error())
	}
	fmt.Fprintf(w, "%s  %s  %s\n%s\n\n", st.Title.Render("Token"), kindLabel(r.Kind), status, sig)

	fmt.Fprintln(w, st.Bold.Render("Header"))
	printFields(w, in.Decoded.Header, nil)
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.Bold.Render("Claims"))
	times := map[string]tokeninspect.TimeClaim{}
	for _, tc := range r.Times {
		times[tc.Name] = tc
	}
	printFields(w, in.Decoded.Claims, times)
	if su := r.SystemUser; su != nil {
		fmt.Fprintf(w, "\n%s\n", st.Bold.Render("System user"))
		fmt.Fprintf(w, "  id      %s\n", termsafe.Line(strings.Join(su.SystemUserIDs, ", ")))
		fmt.Fprintf(w, "  system  %s\n", termsafe.Line(su.SystemID))
		fmt.Fprintf(w, "  owner   %s\n", termsafe.Line(su.OwnerOrg))
		if su.ExternalRef != "" {
			fmt.Fprintf(w, "  externalRef  %s\n", termsafe.Line(su.ExternalRef))
		}
	}
	if r.Kind == tokeninspect.KindGrant {
		fmt.Fprintf(w, "\n%s\n", st.Bold.Render("Grant checks (what Maskinporten would answer)"))
		if len(r.GrantChecks) == 0 {
			fmt.Fprintf(w, "  %s every offline rule holds\n", st.Pass.Render("✓"))
		}
		for _, v := range r.GrantChecks {
			mark, code := st.Warn.Render("!"), fmt.Sprintf("%-17s", "")
			if v.Level == tokeninspect.Error {
				mark, code = st.Fail.Render("✗"), st.Fail.Render(fmt.Sprintf("%-17s", v.Code))
			}
			fmt.Fprintf(w, "  %s %-21s %s %s\n", mark, v.Rule, code, termsafe.Line(v.Text))
		}
	}
	if len(r.Findings) > 0 {
		fmt.Fprintf(w, "\n%s\n", st.Bold.Render("Findings"))
		for _, f := range r.Findings {
			if fromGrantCheck(r, f) {
				continue
			}
			mark := map[tokeninspect.Level]string{
				tokeninspect.OK: st.Pass.Render("✓"), tokeninspect.Info: st.Dim.Render("i"),
				tokeninspect.Warn: st.Warn.Render("!"), tokeninspect.Error: st.Fail.Render("✗"),
			}[f.Level]
			fmt.Fprintf(w, "  %s %s\n", mark, termsafe.Line(f.Text))
		}
	}
}

// fromGrantCheck reports whether a finding repeats a grant check (shown in its own section).
func fromGrantCheck(r *tokeninspect.Report, f tokeninspect.Finding) bool {
	for _, v := range r.GrantChecks {
		if strings.HasSuffix(f.Text, v.Text) {
			return true
		}
	}
	return false
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

// readInput reads a token from a file, "-" (stdin), or an interactive paste.
func readInput(a *cli.App, arg string) (string, error) {
	const limit = 1 << 20
	read := func(r io.Reader) (string, error) {
		data, err := io.ReadAll(io.LimitReader(r, limit+1))
		if err != nil {
			return "", fmt.Errorf("read token: %w", err)
		}
		if len(data) > limit {
			return "", errors.New("the input is larger than 1 MiB; that is not a token")
		}
		return string(data), nil
	}
	switch arg {
	case "-":
		return read(a.Stdin)
	case "":
		if f, ok := a.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			fmt.Fprint(a.Stderr, "Paste a token and press Enter: ")
			line, err := bufio.NewReaderSize(a.Stdin, 64<<10).ReadString('\n')
			if err != nil && line == "" {
				return "", fmt.Errorf("read token: %w", err)
			}
			return line, nil
		}
		return read(a.Stdin)
	default:
		f, err := os.Open(arg)
		if err != nil {
			return "", fmt.Errorf("read token: %w", err)
		}
		defer f.Close()
		return read(f)
	}
}

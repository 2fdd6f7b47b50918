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
	"unicode/utf8"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
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
		Use:     "inspect [FILE|-] [FILE]",
		Short:   a.T("cliinspect.inspect.short"),
		Long:    a.T("cliinspect.inspect.long"),
		Example: a.T("cliinspect.inspect.example"),
		Args:    a.MaxArgs(2, a.T("cliinspect.inspect.args")),
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
				return a.MaybeJSON(asJSON, fmt.Errorf("%s: %w", a.T("cliinspect.inspect.cannot_inspect"), err))
			}
			if asJSON {
				if err := a.PrintJSON(inspectionJSON(in, verify)); err != nil {
					return err
				}
			} else {
				printInspection(a, in, verify, opts.Now)
			}
			if verify && !in.Verified {
				return cli.ReportedError{Err: in.VerifyError}
			}
			if v := grantError(in); v != nil {
				return cli.ReportedError{Err: errors.New(a.T("cliinspect.inspect.grant_breaks", "Rule", v.Rule, "Code", v.Code))}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&verify, "verify", false, a.T("cliinspect.inspect.flag_verify"))
	cmd.Flags().BoolVar(&asJSON, "json", false, a.T("cliinspect.inspect.flag_json"))
	cmd.Flags().StringVar(&at, "at", "", a.T("cliinspect.inspect.flag_at"))
	cmd.Flags().BoolVar(&strict, "strict", false, a.T("cliinspect.inspect.flag_strict"))
	return cmd
}

// inspectOptions resolves --at, --strict and, for an explicit --env or --profile, the issuer
// a grant's aud must equal (read from the configuration; no server is started or called).
func inspectOptions(a *cli.App, at string, strict bool) (steps.InspectOptions, error) {
	o := steps.InspectOptions{Now: a.Now(), Strict: strict, Text: a.Text()}
	if at != "" {
		t, err := parseTime(a, at)
		if err != nil {
			return o, cli.Usagef("%s", a.T("cliinspect.inspect.bad_at", "At", strconv.Quote(at), "Err", err.Error()))
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
func parseTime(a *cli.App, s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New(a.T("cliinspect.inspect.bad_time"))
}

// compareTokens prints two tokens claim by claim.
func compareTokens(a *cli.App, argA, argB string, o steps.InspectOptions, asJSON bool) error {
	if argA == "-" && argB == "-" {
		return cli.Usagef("%s", a.T("cliinspect.inspect.two_stdin"))
	}
	var ins [2]*steps.Inspection
	for i, arg := range []string{argA, argB} {
		input, err := readInput(a, arg)
		if err != nil {
			return a.MaybeJSON(asJSON, err)
		}
		in, err := steps.InspectWith(context.Background(), input, o, nil)
		if err != nil {
			return a.MaybeJSON(asJSON, fmt.Errorf("%s: %w", a.T("cliinspect.inspect.cannot_inspect_arg", "Arg", arg), err))
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
			env = a.T("cliinspect.compare.unknown_env")
		}
		fmt.Fprintf(w, "%s  %s  %s (%s)\n", st.Bold.Render([]string{"A", "B"}[i]), termsafe.Line([]string{argA, argB}[i]), kindLabel(a, in.Report.Kind), env)
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
			fmt.Fprintln(w, st.Bold.Render(a.T(map[string]string{"header": "cliinspect.report.header", "claims": "cliinspect.report.claims"}[part])))
		}
		show := func(v string) string {
			if v == "" {
				return st.Dim.Render(a.T("cliinspect.compare.absent"))
			}
			return termsafe.Truncate(termsafe.Line(v), 200)
		}
		if d.Same {
			fmt.Fprintf(w, "  %s %-*s  %s\n", st.Pass.Render("="), width, termsafe.Line(d.Name), show(d.A))
			continue
		}
		note := d.NoteIn(a.Text())
		mark := st.Warn.Render("≠")
		if note == "" {
			mark = st.Dim.Render("~")
		}
		fmt.Fprintf(w, "  %s %-*s  A: %s\n", mark, width, termsafe.Line(d.Name), show(d.A))
		fmt.Fprintf(w, "    %-*s  B: %s\n", width, "", show(d.B))
		if note != "" {
			fmt.Fprintf(w, "    %-*s  %s\n", width, "", st.Dim.Render("→ "+note))
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

// grantError is the first grant check Maskinporten would refuse the grant for (nil for none,
// and for a token).
func grantError(in *steps.Inspection) *tokeninspect.Violation {
	for i, v := range in.Report.GrantChecks {
		if v.Level == tokeninspect.Error {
			return &in.Report.GrantChecks[i]
		}
	}
	return nil
}

// inspectionJSON is the inspection as one object; ok is false exactly when the command exits 1.
func inspectionJSON(in *steps.Inspection, verify bool) map[string]any {
	obj := fieldsJSON
	out := map[string]any{
		"ok": (!verify || in.Verified) && grantError(in) == nil, "header": obj(in.Decoded.Header), "claims": obj(in.Decoded.Claims),
		"report": in.Report, "signature_verified": in.Verified,
	}
	if verify {
		out["verified_against"] = "maskinporten_jwks"
		if in.AgainstClientKey {
			out["verified_against"] = "profile_key"
		}
	}
	if in.VerifyError != nil {
		out["verify_error"] = in.VerifyError.Error()
	}
	if in.Verification != nil {
		out["verification"] = in.Verification
	}
	return out
}

func printInspection(a *cli.App, in *steps.Inspection, verify bool, now time.Time) {
	st := a.Styles()
	r := in.Report
	w := a.Stdout
	status := string(r.Status)
	switch r.Status {
	case tokeninspect.StatusValid:
		status = st.Pass.Render(a.T("cliinspect.report.valid")) + a.T("cliinspect.report.expires_in", "In", expiresIn(a.Text(), r, now))
	case tokeninspect.StatusExpired:
		status = st.Fail.Render(a.T("cliinspect.report.expired"))
	case tokeninspect.StatusNotYetValid:
		status = st.Warn.Render(a.T("cliinspect.report.not_yet_valid"))
	case tokeninspect.StatusNoExpiry:
		status = st.Warn.Render(a.T("cliinspect.report.no_expiry"))
	}
	sig := st.Warn.Render(a.T("cliinspect.report.sig_unverified")) + st.Dim.Render(a.T("cliinspect.report.sig_use_verify"))
	switch {
	case in.Verified && in.AgainstClientKey:
		sig = st.Pass.Render(a.T("cliinspect.report.sig_verified")) + st.Dim.Render(a.T("cliinspect.report.sig_against_profile", "Kid", termsafe.Line(in.Verification.Kid)))
	case in.Verified:
		sig = st.Pass.Render(a.T("cliinspect.report.sig_verified")) + st.Dim.Render(a.T("cliinspect.report.sig_against", "Issuer", in.Verification.Issuer, "Kid", termsafe.Line(in.Verification.Kid)))
	case verify:
		sig = st.Fail.Render(a.T("cliinspect.report.sig_invalid")) + termsafe.Line(in.VerifyError.Error())
	}
	fmt.Fprintf(w, "%s  %s  %s\n%s\n\n", st.Title.Render(a.T("cliinspect.report.title")), kindLabel(a, r.Kind), status, sig)

	fmt.Fprintln(w, st.Bold.Render(a.T("cliinspect.report.header")))
	printFields(w, in.Decoded.Header, nil, nil)
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.Bold.Render(a.T("cliinspect.report.claims")))
	times := map[string]tokeninspect.TimeClaim{}
	for _, tc := range r.Times {
		times[tc.Name] = tc
	}
	printFields(w, in.Decoded.Claims, times, func(t time.Time) string { return tokeninspect.RelativeIn(a.Text(), t, now) })
	if su := r.SystemUser; su != nil {
		fmt.Fprintf(w, "\n%s\n", st.Bold.Render(a.T("cliinspect.report.system_user")))
		labels := []string{a.T("cliinspect.report.su_id"), a.T("cliinspect.report.su_system"), a.T("cliinspect.report.su_owner")}
		lw := 0
		for _, l := range labels {
			lw = max(lw, utf8.RuneCountInString(l))
		}
		for i, v := range []string{strings.Join(su.SystemUserIDs, ", "), su.SystemID, su.OwnerOrg} {
			fmt.Fprintf(w, "  %-*s  %s\n", lw, labels[i], termsafe.Line(v))
		}
		if su.ExternalRef != "" {
			fmt.Fprintf(w, "  externalRef  %s\n", termsafe.Line(su.ExternalRef))
		}
	}
	if r.Kind == tokeninspect.KindGrant {
		fmt.Fprintf(w, "\n%s\n", st.Bold.Render(a.T("cliinspect.report.grant_checks")))
		if len(r.GrantChecks) == 0 {
			fmt.Fprintf(w, "  %s %s\n", st.Pass.Render("✓"), a.T("cliinspect.report.grant_ok"))
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
		fmt.Fprintf(w, "\n%s\n", st.Bold.Render(a.T("cliinspect.report.findings")))
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

func kindLabel(a *cli.App, k tokeninspect.Kind) string {
	switch k {
	case tokeninspect.KindAccessToken:
		return a.T("cliinspect.kind.access_token")
	case tokeninspect.KindGrant:
		return a.T("cliinspect.kind.grant")
	default:
		return a.T("cliinspect.kind.jwt")
	}
}

// expiresIn is the time left of a valid token.
func expiresIn(p *i18n.Printer, r *tokeninspect.Report, now time.Time) string {
	for _, tc := range r.Times {
		if tc.Name == "exp" {
			return tokeninspect.DurationIn(p, tc.Time.Sub(now))
		}
	}
	return r.ExpiresIn
}

func printFields(w interface{ Write([]byte) (int, error) }, fs []tokeninspect.Field, times map[string]tokeninspect.TimeClaim, rel func(time.Time) string) {
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
			val = fmt.Sprintf("%s  %s · %s · %s", val, tc.Time.Local().Format("2006-01-02 15:04:05 MST"), tc.Time.Format(time.RFC3339), rel(tc.Time))
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, termsafe.Line(f.Name), val)
	}
}

// readInput reads a token from a file, "-" (stdin), or an interactive paste.
func readInput(a *cli.App, arg string) (string, error) {
	const limit = 1 << 20
	readErr := a.T("cliinspect.inspect.read_token")
	read := func(r io.Reader) (string, error) {
		data, err := io.ReadAll(io.LimitReader(r, limit+1))
		if err != nil {
			return "", fmt.Errorf("%s: %w", readErr, err)
		}
		if len(data) > limit {
			return "", errors.New(a.T("cliinspect.inspect.too_large"))
		}
		return string(data), nil
	}
	switch arg {
	case "-":
		return read(a.Stdin)
	case "":
		if f, ok := a.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			fmt.Fprint(a.Stderr, a.T("cliinspect.inspect.paste"))
			line, err := bufio.NewReaderSize(a.Stdin, 64<<10).ReadString('\n')
			if err != nil && line == "" {
				return "", fmt.Errorf("%s: %w", readErr, err)
			}
			return line, nil
		}
		return read(a.Stdin)
	default:
		f, err := os.Open(arg)
		if err != nil {
			return "", fmt.Errorf("%s: %w", readErr, err)
		}
		defer f.Close()
		return read(f)
	}
}

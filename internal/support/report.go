package support

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/explain"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// StatusMarker starts the line each curl command of a report prints after the body, so a
// reader (or a test) sees the status it got next to the one recorded.
const StatusMarker = "HTTP "

// WriteReport writes the Markdown support report of a record, in English.
func WriteReport(w io.Writer, f *Facts, exchanges []httpx.Exchange, now time.Time) error {
	return WriteReportIn(w, i18n.English(), f, exchanges, now)
}

// WriteReportIn writes the Markdown support report of a record in p's language (codes, URLs,
// the servers' texts and the curl commands as they are).
func WriteReportIn(w io.Writer, p *i18n.Printer, f *Facts, exchanges []httpx.Exchange, now time.Time) error {
	if f == nil {
		f = &Facts{}
	}
	var b strings.Builder
	md := func(s string) string { return mdEscape(termsafe.Line(s)) }
	b.WriteString("# " + p.T("support.report.title") + "\n\n")
	b.WriteString(p.T("support.report.written", "Time", now.UTC().Format(time.RFC3339), "Version", md(ToolVersion())) + "\n\n")

	b.WriteString("## " + p.T("support.report.session") + "\n\n| | |\n|---|---|\n")
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "| %s | %s |\n", k, v)
		}
	}
	row(p.T("support.report.tool"), md(f.Tool))
	if !f.Recorded.IsZero() {
		row(p.T("support.report.recorded"), f.Recorded.UTC().Format(time.RFC3339))
	}
	if strings.Contains(f.Command, " ; ") {
		row(p.T("support.report.commands"), code(f.Command)) // a record several commands appended to
	} else {
		row(p.T("support.report.command"), code(f.Command))
	}
	row(p.T("support.report.environment"), md(f.Environment))
	for _, k := range slices.Sorted(maps.Keys(f.Hosts)) {
		row(p.T("support.report.host", "Host", md(k)), md(f.Hosts[k]))
	}
	clock := f.ClockOffset
	if off, ok := ClockOffset(exchanges); ok {
		clock = p.T("support.report.offset_from_date", "Offset", describeOffset(p, off))
	}
	row(p.T("support.report.clock_offset"), md(clock))
	row(p.T("support.report.exchanges"), fmt.Sprint(len(exchanges)))
	b.WriteString("\n")

	if pr := f.Profile; pr != nil {
		b.WriteString("## " + p.T("support.report.profile") + "\n\n| | |\n|---|---|\n")
		row(p.T("support.report.profile"), md(pr.Name))
		row(p.T("support.report.client_id"), code(pr.ClientID))
		row(p.T("support.report.organisation"), md(pr.OrgNo))
		row(p.T("support.report.scopes"), md(strings.Join(pr.Scopes, " ")))
		key := pr.KeyKind
		if pr.Kid != "" {
			key += ", kid " + pr.Kid
		}
		if pr.Alg != "" {
			key += ", " + pr.Alg
		}
		row(p.T("support.report.key"), md(strings.TrimPrefix(key, ", ")))
		b.WriteString("\n")
	}

	objs := Objects(exchanges)
	b.WriteString("## " + p.T("support.report.objects") + "\n\n")
	if len(objs) == 0 {
		b.WriteString(p.T("support.report.none") + "\n\n")
	} else {
		b.WriteString(p.T("support.report.objects_table") + "\n|---|---|---|---|---|\n")
		for _, o := range objs {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | #%d |\n", objectKind(p, o.Kind), code(o.ID), md(o.Status), md(o.Detail), o.Seen)
		}
		b.WriteString("\n")
	}

	outcomes := make([]Outcome, len(exchanges))
	var failed []int
	for i, e := range exchanges {
		outcomes[i] = DescribeIn(p, e)
		if outcomes[i].Failed {
			failed = append(failed, i)
		}
	}
	b.WriteString("## " + p.T("support.report.failed", "Count", len(failed)) + "\n\n")
	if len(failed) == 0 {
		b.WriteString(p.T("support.report.all_succeeded") + "\n\n")
	}
	for _, i := range failed {
		e, o := exchanges[i], outcomes[i]
		fmt.Fprintf(&b, "### #%d %s %s → %s\n\n", e.ID, e.Method, md(e.URL), statusLabel(p, e))
		fmt.Fprintf(&b, "- %s: %s (%s)\n", p.T("support.report.time"), e.Started.UTC().Format("2006-01-02 15:04:05.000 UTC"), e.Duration.Round(time.Millisecond))
		if o.Code != "" {
			fmt.Fprintf(&b, "- %s: %s\n", p.T("support.report.code"), code(o.Code))
		}
		if o.TraceID != "" {
			fmt.Fprintf(&b, "- %s: %s\n", p.T("support.report.trace_id"), code(o.TraceID))
		}
		fmt.Fprintf(&b, "- %s: %s\n", p.T("support.report.explanation"), md(o.Explanation))
		if first, _, _ := strings.Cut(o.Code, ","); first != "" {
			if _, err := explain.Lookup(first); err == nil {
				fmt.Fprintf(&b, "- %s: `sbs-tui explain %s`\n", p.T("support.report.more"), first)
			}
		}
		b.WriteString("\n")
	}

	b.WriteString("## " + p.T("support.report.all") + "\n\n" + p.T("support.report.table") + "\n|---|---|---|---|---|---|---|---|\n")
	for i, e := range exchanges {
		o := outcomes[i]
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %d | %s | %s |\n", e.ID, e.Started.UTC().Format("15:04:05.000"), e.Method,
			md(e.URL), statusLabel(p, e), e.Duration.Milliseconds(), code(o.Code), code(o.TraceID))
	}
	b.WriteString("\n")

	b.WriteString("## " + p.T("support.report.reproduce") + "\n\n")
	b.WriteString(p.T("support.report.reproduce_intro") + "\n\n")
	prefix := f.Reproduce
	if prefix == "" {
		prefix = "sbs-tui"
	}
	for i, e := range exchanges {
		b.WriteString(p.T("support.report.block", "ID", e.ID, "Method", e.Method, "URL", md(e.URL), "Status", statusLabel(p, e)))
		fmt.Fprintf(&b, "\n\n```sh\n%s```\n\n", Curl(e, prefix, f.Hosts))
		_ = i
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func statusLabel(p *i18n.Printer, e httpx.Exchange) string {
	if e.Err != "" {
		return p.T("support.report.no_response")
	}
	return fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
}

func describeOffset(p *i18n.Printer, d time.Duration) string {
	d = d.Round(time.Second)
	say := func(d time.Duration) string {
		if p.Lang() == i18n.EN {
			return d.String()
		}
		return p.Duration(d)
	}
	switch {
	case d == 0:
		return p.T("support.report.offset_none")
	case d > 0:
		return p.T("support.report.offset_ahead", "D", say(d))
	default:
		return p.T("support.report.offset_behind", "D", say(-d))
	}
}

// objectKind names a kind of object ("system", "agent request") in p's language.
func objectKind(p *i18n.Printer, kind string) string {
	if id := "support.kind." + strings.ReplaceAll(kind, " ", "_"); p.Has(id) {
		return p.T(id)
	}
	return kind
}

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(termsafe.Line(s), "`", "'") + "`"
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}

// ShellQuote quotes s for a POSIX shell.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// claimsOf decodes the claims of a (possibly signature-stripped) JWT.
func claimsOf(tok string) map[string]any {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

// tokenArgs are the token/grant flags that ask for what claims show: scopes, the system
// user, resource and consumer_org.
func tokenArgs(c map[string]any) []string {
	var out []string
	for _, sc := range strings.Fields(str(c, "scope")) {
		out = append(out, "--scope", ShellQuote(sc))
	}
	if ds, ok := c["authorization_details"].([]any); ok && len(ds) > 0 {
		if d, ok := ds[0].(map[string]any); ok {
			if org, ok := d["systemuser_org"].(map[string]any); ok {
				id := str(org, "ID", "id")
				out = append(out, "--systemuser-org", ShellQuote(strings.TrimPrefix(id, "0192:")))
			}
			if ref := str(d, "externalRef"); ref != "" {
				out = append(out, "--external-ref", ShellQuote(ref))
			}
		}
	}
	switch r := c["resource"].(type) {
	case string:
		out = append(out, "--resource", ShellQuote(r))
	case []any:
		for _, v := range r {
			if s, ok := v.(string); ok {
				out = append(out, "--resource", ShellQuote(s))
			}
		}
	}
	if co := str(c, "consumer_org"); co != "" {
		out = append(out, "--consumer-org", ShellQuote(co))
	}
	return out
}

// skipHeaders are not repeated in a curl command: curl sets them, or they are secrets.
var skipHeaders = map[string]bool{"Authorization": true, "User-Agent": true, "Content-Length": true, "Accept-Encoding": true,
	"Host": true, "Connection": true, "Cookie": true}

// Curl renders an exchange as a shell recipe: the commands that set $GRANT or $TOKEN, then
// curl printing the body and "HTTP <status>".
func Curl(e httpx.Exchange, self string, hosts map[string]string) string {
	var b strings.Builder
	var lines []string
	method := e.Method
	if method == "" {
		method = http.MethodGet
	}
	lines = append(lines, "curl -sS -w '\\n"+StatusMarker+"%{http_code}\\n' -X "+method+" "+ShellQuote(e.URL))
	var hs []string
	for k := range e.RequestHeaders {
		if !skipHeaders[http.CanonicalHeaderKey(k)] {
			hs = append(hs, k)
		}
	}
	sort.Strings(hs)
	for _, k := range hs {
		for _, v := range e.RequestHeaders[k] {
			lines = append(lines, "-H "+ShellQuote(k+": "+v))
		}
	}
	redacted := strings.Contains(e.RequestBody, httpx.Redacted)
	if auth := e.RequestHeaders.Get("Authorization"); auth != "" {
		scheme, cred, _ := strings.Cut(auth, " ")
		c := claimsOf(cred)
		switch {
		case strings.EqualFold(scheme, "bearer") && c != nil:
			args := append([]string{self, "token"}, tokenArgs(c)...)
			fmt.Fprintf(&b, "TOKEN=\"$(%s)\"\n", strings.Join(args, " "))
			if iss := str(c, "iss"); iss != "" && !strings.Contains(iss, "maskinporten") {
				exch := strings.TrimSuffix(hosts["altinn_platform"], "/") + "/authentication/api/v1/exchange/maskinporten"
				fmt.Fprintf(&b, "TOKEN=\"$(curl -sS -H \"Authorization: Bearer $TOKEN\" %s)\"  # Altinn token exchange\n", ShellQuote(exch))
			}
			lines = append(lines, `-H "Authorization: Bearer $TOKEN"`)
		default:
			b.WriteString("# The Authorization value was redacted: put your own in $AUTH.\n")
			lines = append(lines, `-H "Authorization: $AUTH"`)
		}
	}
	ct := strings.ToLower(e.RequestHeaders.Get("Content-Type"))
	switch {
	case e.RequestBody == "":
	case strings.Contains(ct, "x-www-form-urlencoded"):
		vals, _ := url.ParseQuery(e.RequestBody)
		for _, k := range slices.Sorted(maps.Keys(vals)) {
			for _, v := range vals[k] {
				if k == "assertion" && strings.HasSuffix(v, httpx.SignatureRemoved) {
					args := []string{self, "grant"}
					if c := claimsOf(v); c != nil {
						args = append(args, tokenArgs(c)...)
					}
					fmt.Fprintf(&b, "GRANT=\"$(%s)\"\n", strings.Join(args, " "))
					lines = append(lines, `--data-urlencode "assertion=$GRANT"`)
					continue
				}
				if k == "grant_type" && v == mp.GrantTypeJWTBearer {
					lines = append(lines, "--data-urlencode "+ShellQuote(k+"="+v))
					continue
				}
				lines = append(lines, "--data-urlencode "+ShellQuote(k+"="+v))
			}
		}
		redacted = redacted || strings.Contains(e.RequestBody, httpx.Redacted)
	default:
		lines = append(lines, "--data-binary "+ShellQuote(e.RequestBody))
		redacted = redacted || strings.Contains(e.RequestBody, httpx.SignatureRemoved)
	}
	if e.BodiesDropped && e.RequestBodySize > 0 {
		b.WriteString("# The request body was not kept (the session's record was full): this will not reproduce.\n")
	}
	if e.Truncated && e.RequestBodySize > int64(len(e.RequestBody)) {
		b.WriteString("# The request body was longer than the record keeps: this will not reproduce.\n")
	}
	if redacted {
		b.WriteString("# The request body had secrets removed: put your own values in place of " + httpx.Redacted + ".\n")
	}
	b.WriteString(strings.Join(lines, " \\\n  "))
	b.WriteString("\n")
	return b.String()
}

package support

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/explain"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// StatusMarker starts the line each curl command of a report prints after the body, so a
// reader (or a test) sees the status it got next to the one recorded.
const StatusMarker = "HTTP "

// WriteReport writes the Markdown support report of a record.
func WriteReport(w io.Writer, f *Facts, exchanges []httpx.Exchange, now time.Time) error {
	if f == nil {
		f = &Facts{}
	}
	var b strings.Builder
	md := func(s string) string { return mdEscape(termsafe.Line(s)) }
	fmt.Fprintf(&b, "# sbs-tui support report\n\n")
	fmt.Fprintf(&b, "Written %s by sbs-tui %s. Nothing here lets a reader obtain a token: recorded tokens and grants keep their header and claims only (the signature is removed), and no private key or password is ever recorded.\n\n",
		now.UTC().Format(time.RFC3339), md(ToolVersion()))

	b.WriteString("## Session\n\n| | |\n|---|---|\n")
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "| %s | %s |\n", k, v)
		}
	}
	row("Tool that recorded", md(f.Tool))
	if !f.Recorded.IsZero() {
		row("Recorded", f.Recorded.UTC().Format(time.RFC3339))
	}
	if strings.Contains(f.Command, " ; ") {
		row("Commands", code(f.Command)) // a record several commands appended to
	} else {
		row("Command", code(f.Command))
	}
	row("Environment", md(f.Environment))
	for _, k := range sortedKeys(f.Hosts) {
		row("Host: "+md(k), md(f.Hosts[k]))
	}
	clock := f.ClockOffset
	if off, ok := ClockOffset(exchanges); ok {
		clock = describeOffset(off) + " (from the servers' Date headers)"
	}
	row("Clock offset", md(clock))
	row("Exchanges", fmt.Sprint(len(exchanges)))
	b.WriteString("\n")

	if p := f.Profile; p != nil {
		b.WriteString("## Profile\n\n| | |\n|---|---|\n")
		row("Profile", md(p.Name))
		row("Client id", code(p.ClientID))
		row("Organisation", md(p.OrgNo))
		row("Scopes", md(strings.Join(p.Scopes, " ")))
		key := p.KeyKind
		if p.Kid != "" {
			key += ", kid " + p.Kid
		}
		if p.Alg != "" {
			key += ", " + p.Alg
		}
		row("Key", md(strings.TrimPrefix(key, ", ")))
		b.WriteString("\n")
	}

	objs := Objects(exchanges)
	b.WriteString("## Systems, requests and system users\n\n")
	if len(objs) == 0 {
		b.WriteString("None appear in the recorded responses.\n\n")
	} else {
		b.WriteString("| Kind | Id | Status | Details | Exchange |\n|---|---|---|---|---|\n")
		for _, o := range objs {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | #%d |\n", o.Kind, code(o.ID), md(o.Status), md(o.Detail), o.Seen)
		}
		b.WriteString("\n")
	}

	outcomes := make([]Outcome, len(exchanges))
	var failed []int
	for i, e := range exchanges {
		outcomes[i] = Describe(e)
		if outcomes[i].Failed {
			failed = append(failed, i)
		}
	}
	fmt.Fprintf(&b, "## Failed exchanges (%d)\n\n", len(failed))
	if len(failed) == 0 {
		b.WriteString("Every exchange succeeded.\n\n")
	}
	for _, i := range failed {
		e, o := exchanges[i], outcomes[i]
		fmt.Fprintf(&b, "### #%d %s %s → %s\n\n", e.ID, e.Method, md(e.URL), statusLabel(e))
		fmt.Fprintf(&b, "- Time: %s (%s)\n", e.Started.UTC().Format("2006-01-02 15:04:05.000 UTC"), e.Duration.Round(time.Millisecond))
		if o.Code != "" {
			fmt.Fprintf(&b, "- Code: %s\n", code(o.Code))
		}
		if o.TraceID != "" {
			fmt.Fprintf(&b, "- Trace id: %s\n", code(o.TraceID))
		}
		fmt.Fprintf(&b, "- Explanation: %s\n", md(o.Explanation))
		if first, _, _ := strings.Cut(o.Code, ","); first != "" {
			if _, err := explain.Lookup(first); err == nil {
				fmt.Fprintf(&b, "- More: `sbs-tui explain %s`\n", first)
			}
		}
		b.WriteString("\n")
	}

	b.WriteString("## All exchanges\n\n| # | Time (UTC) | Method | URL | Status | ms | Code | Trace id |\n|---|---|---|---|---|---|---|---|\n")
	for i, e := range exchanges {
		o := outcomes[i]
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %d | %s | %s |\n", e.ID, e.Started.UTC().Format("15:04:05.000"), e.Method,
			md(e.URL), statusLabel(e), e.Duration.Milliseconds(), code(o.Code), code(o.TraceID))
	}
	b.WriteString("\n")

	b.WriteString("## Reproduce with curl\n\n")
	b.WriteString("Each block repeats one exchange. Secrets are shell variables set by the commands before them: `$GRANT` by `sbs-tui grant` and `$TOKEN` by `sbs-tui token`, run with your own profile and key (a grant or token lives about two minutes, so they are made fresh in each block). Each curl prints the body and then `HTTP <status>`, to compare with the status recorded. Requests that create, change or delete something (POST, PUT, DELETE) give other answers once the state has changed.\n\n")
	prefix := f.Reproduce
	if prefix == "" {
		prefix = "sbs-tui"
	}
	for i, e := range exchanges {
		fmt.Fprintf(&b, "#%d %s %s → recorded %s\n\n```sh\n%s```\n\n", e.ID, e.Method, md(e.URL), statusLabel(e), Curl(e, prefix, f.Hosts))
		_ = i
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func statusLabel(e httpx.Exchange) string {
	if e.Err != "" {
		return "no response"
	}
	return fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
}

func describeOffset(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d == 0:
		return "none (within a second)"
	case d > 0:
		return fmt.Sprintf("the servers are %s ahead", d)
	default:
		return fmt.Sprintf("the servers are %s behind", -d)
	}
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

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
		keys := make([]string, 0, len(vals))
		for k := range vals {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
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

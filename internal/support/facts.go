package support

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/explain"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// Facts describe the session a record belongs to. Nothing in them is secret.
type Facts struct {
	Tool        string            `json:"tool"`
	Recorded    time.Time         `json:"recorded"`
	Command     string            `json:"command,omitempty"`
	Environment string            `json:"environment,omitempty"`
	Hosts       map[string]string `json:"hosts,omitempty"`
	Profile     *ProfileFacts     `json:"profile,omitempty"`
	// ClockOffset is the server's clock minus the local one, as the tool measured it.
	ClockOffset string `json:"clock_offset,omitempty"`
	// Reproduce is how to call the tool again with the same configuration, profile and
	// environment ("sbs-tui --config … --profile …"): the start of the report's commands.
	Reproduce string `json:"reproduce,omitempty"`
}

// ProfileFacts are the profile's identity: never a key, a password or a token.
type ProfileFacts struct {
	Name     string   `json:"name,omitempty"`
	ClientID string   `json:"client_id,omitempty"`
	OrgNo    string   `json:"org,omitempty"`
	Scopes   []string `json:"scopes,omitempty"`
	Kid      string   `json:"kid,omitempty"`
	KeyKind  string   `json:"key_kind,omitempty"` // "PEM", "JWK", "PKCS#12 (business certificate)"
	Alg      string   `json:"alg,omitempty"`
}

// ToolVersion is the module version and VCS revision the binary was built from.
func ToolVersion() string {
	v := "0.1"
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if mv := bi.Main.Version; mv != "" && mv != "(devel)" {
		v = strings.TrimPrefix(mv, "v")
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " (" + rev + dirty + ")"
	}
	return v + " " + bi.GoVersion
}

// Outcome is what an exchange came to: the server's code, trace id and explanation.
type Outcome struct {
	Failed  bool
	Code    string // MP-…, AUTH-…, AUTH.VLD-… (comma-separated for several), or a catalogue key
	TraceID string
	// Explanation is the catalogue's meaning and next step, or a status-based hint.
	Explanation string
}

// traceHeaders carry a request id servers log.
var traceHeaders = []string{"X-Trace-Id", "Trace-Id", "X-Correlation-Id", "X-Request-Id", "Request-Id", "Traceparent"}

// Describe classifies an exchange from its (redacted) response, its explanation in English.
func Describe(e httpx.Exchange) Outcome { return DescribeIn(i18n.English(), e) }

// DescribeIn is Describe with the explanation in p's language (the catalogue's meaning and
// first fix localized, the server's text as it is).
func DescribeIn(p *i18n.Printer, e httpx.Exchange) Outcome {
	o := Outcome{Failed: e.Err != "" || e.Status >= 400}
	for _, h := range traceHeaders {
		if v := e.ResponseHeaders.Get(h); v != "" {
			o.TraceID = v
			break
		}
	}
	if e.Err != "" {
		o.Explanation = p.T("support.outcome.no_response", "Err", e.Err)
		return o
	}
	if !o.Failed {
		return o
	}
	if b, err := explain.ParseBody([]byte(e.ResponseBody)); err == nil {
		if b.TraceID != "" {
			o.TraceID = b.TraceID
		}
		var codes, parts []string
		for _, en := range b.Entries {
			codes = append(codes, en.Name())
			en = explain.Localize(en, p)
			parts = append(parts, p.T("support.outcome.entry", "Name", en.Name(), "Means", en.Means, "Fix", en.Fixes[0]))
		}
		codes = append(codes, b.Unknown...)
		o.Code = strings.Join(codes, ", ")
		o.Explanation = strings.Join(parts, " ")
		if o.Explanation == "" && b.Text != "" {
			o.Explanation = p.T("support.outcome.server_says", "Text", b.Text)
		}
	}
	if o.Explanation == "" {
		o.Explanation = statusHint(p, e.Status)
	}
	return o
}

func statusHint(p *i18n.Printer, status int) string {
	switch status {
	case http.StatusUnauthorized:
		return p.T("support.outcome.401")
	case http.StatusForbidden:
		return p.T("support.outcome.403")
	case http.StatusNotFound:
		return p.T("support.outcome.404")
	case http.StatusTooManyRequests:
		return p.T("support.outcome.429")
	}
	if status >= 500 {
		return p.T("support.outcome.5xx")
	}
	return fmt.Sprintf("HTTP %d.", status)
}

// Object is a system, system-user request or system user seen in the record, with the last
// status the server reported.
type Object struct {
	Kind   string `json:"kind"` // "system", "request", "agent request", "system user"
	ID     string `json:"id"`
	Status string `json:"status,omitempty"`
	Detail string `json:"detail,omitempty"`
	Seen   int    `json:"seen_in_exchange"`
}

// Objects lists the systems, requests and system users the record's successful Altinn
// responses show, latest status first seen order.
func Objects(exchanges []httpx.Exchange) []Object {
	var order []string
	byKey := map[string]*Object{}
	put := func(o Object) {
		if o.ID == "" {
			return
		}
		k := o.Kind + "\x00" + o.ID
		if old, ok := byKey[k]; ok {
			*old = o
			return
		}
		order = append(order, k)
		byKey[k] = &o
	}
	for _, e := range exchanges {
		if e.Status < 200 || e.Status > 299 || !strings.Contains(e.ResponseHeaders.Get("Content-Type"), "json") {
			continue
		}
		var v any
		if json.Unmarshal([]byte(e.ResponseBody), &v) != nil {
			continue
		}
		p := pathOf(e.URL)
		if strings.HasSuffix(p, "/token") {
			for _, o := range tokenSystemUsers(v, e.ID) {
				put(o)
			}
			continue
		}
		kind := ""
		switch {
		case strings.Contains(p, "/systemregister/"):
			kind = "system"
		case strings.Contains(p, "/systemuser/request/vendor/agent"):
			kind = "agent request"
		case strings.Contains(p, "/systemuser/request/"):
			kind = "request"
		case strings.Contains(p, "/systemuser/"):
			kind = "system user"
		default:
			continue
		}
		for _, m := range objectsIn(v) {
			put(objectFrom(kind, m, e.ID))
		}
	}
	out := make([]Object, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	return out
}

// tokenSystemUsers are the system users a Maskinporten token response names: its access
// token's authorization_details (the record keeps the claims and drops the signature).
func tokenSystemUsers(v any, seen int) []Object {
	m, _ := v.(map[string]any)
	tok, _ := m["access_token"].(string)
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil
	}
	var claims struct {
		Details []mp.SystemUserToken `json:"authorization_details"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return nil
	}
	var out []Object
	for _, d := range claims.Details {
		if d.Type != mp.RARTypeSystemUser {
			continue
		}
		details := []string{"system " + d.SystemID, "owner " + d.SystemUserOrg.OrgNo()}
		if d.ExternalRef != "" {
			details = append(details, "externalRef "+d.ExternalRef)
		}
		for _, id := range d.SystemUserID {
			out = append(out, Object{Kind: "system user", ID: id, Status: "active (in a token)", Detail: strings.Join(details, "; "), Seen: seen})
		}
	}
	return out
}

// objectsIn finds the objects with an id: the body itself, its list, or a page's data.
func objectsIn(v any) []map[string]any {
	switch t := v.(type) {
	case []any:
		var out []map[string]any
		for _, it := range t {
			if m, ok := it.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	case map[string]any:
		if d, ok := t["data"].([]any); ok {
			return objectsIn(d)
		}
		return []map[string]any{t}
	}
	return nil
}

func str(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := m[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

func objectFrom(kind string, m map[string]any, seen int) Object {
	o := Object{Kind: kind, Seen: seen}
	var details []string
	switch kind {
	case "system":
		o.ID = str(m, "systemId", "id")
		if o.ID == "" {
			o.ID = str(m, "systemInternalId")
		}
		o.Status = "registered"
		if b, ok := m["isVisible"].(bool); ok {
			details = append(details, fmt.Sprintf("isVisible %v", b))
		}
		if ids, ok := m["clientId"].([]any); ok {
			var cs []string
			for _, c := range ids {
				if s, ok := c.(string); ok {
					cs = append(cs, s)
				}
			}
			details = append(details, "clients "+strings.Join(cs, ", "))
		}
	case "request", "agent request":
		o.ID = str(m, "id")
		o.Status = str(m, "status")
		if s := str(m, "systemId"); s != "" {
			details = append(details, "system "+s)
		}
		if s := str(m, "partyOrgNo"); s != "" {
			details = append(details, "customer "+s)
		}
		if s := str(m, "externalRef"); s != "" {
			details = append(details, "externalRef "+s)
		}
	default:
		o.ID = str(m, "id")
		o.Status = "active"
		if b, ok := m["isDeleted"].(bool); ok && b {
			o.Status = "deleted"
		}
		if s := str(m, "systemId", "systemInternalId"); s != "" {
			details = append(details, "system "+s)
		}
		if s := str(m, "partyOrgNo", "reporteeOrgNo"); s != "" {
			details = append(details, "owner "+s)
		}
		if s := str(m, "externalRef"); s != "" {
			details = append(details, "externalRef "+s)
		}
	}
	o.Detail = strings.Join(details, "; ")
	return o
}

// ClockOffset estimates the server clock minus the local one from the Date headers of the
// record (Maskinporten's first), to a second.
func ClockOffset(exchanges []httpx.Exchange) (time.Duration, bool) {
	var best []time.Duration
	for pass := 0; pass < 2 && len(best) == 0; pass++ {
		for _, e := range exchanges {
			if pass == 0 && !strings.Contains(e.URL, "maskinporten") {
				continue
			}
			d, err := http.ParseTime(e.ResponseHeaders.Get("Date"))
			if err != nil || e.Started.IsZero() {
				continue
			}
			mid := e.Started.Add(e.Duration / 2).Truncate(time.Second)
			best = append(best, d.Sub(mid))
		}
	}
	if len(best) == 0 {
		return 0, false
	}
	sort.Slice(best, func(i, j int) bool { return best[i] < best[j] })
	return best[len(best)/2], true
}

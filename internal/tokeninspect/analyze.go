package tokeninspect

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// Level grades a finding.
type Level string

// Finding levels.
const (
	OK    Level = "ok"
	Info  Level = "info"
	Warn  Level = "warn"
	Error Level = "error"
)

// Finding is one observation about the token.
type Finding struct {
	Level Level  `json:"level"`
	Text  string `json:"text"`
}

// Kind says what the token looks like.
type Kind string

// Token kinds.
const (
	KindAccessToken Kind = "maskinporten-access-token"
	KindGrant       Kind = "maskinporten-grant"
	KindOther       Kind = "jwt"
)

// Status is the token's validity in time.
type Status string

// Statuses.
const (
	StatusValid       Status = "valid"
	StatusExpired     Status = "expired"
	StatusNotYetValid Status = "not-yet-valid"
	StatusNoExpiry    Status = "no-expiry"
)

// TimeClaim is a time claim rendered three ways.
type TimeClaim struct {
	Name     string    `json:"name"`
	Unix     int64     `json:"unix"`
	Time     time.Time `json:"utc"`
	Relative string    `json:"relative"`
}

// SystemUser is the system-user part of a token's authorization_details.
type SystemUser struct {
	SystemUserIDs []string `json:"systemuser_id"`
	SystemID      string   `json:"system_id"`
	OwnerOrg      string   `json:"systemuser_org"`
	ExternalRef   string   `json:"external_ref,omitempty"`
}

// Report is the review of a token.
type Report struct {
	Kind       Kind        `json:"kind"`
	Status     Status      `json:"status"`
	Issuer     string      `json:"issuer,omitempty"`
	IssuerEnv  string      `json:"issuer_environment,omitempty"`
	Algorithm  string      `json:"alg,omitempty"`
	Kid        string      `json:"kid,omitempty"`
	Scopes     []string    `json:"scopes,omitempty"`
	Consumer   string      `json:"consumer,omitempty"`
	ClientID   string      `json:"client_id,omitempty"`
	Times      []TimeClaim `json:"times"`
	ExpiresIn  string      `json:"expires_in,omitempty"`
	SystemUser *SystemUser `json:"system_user,omitempty"`
	// GrantChecks are a grant's broken rules, with the code Maskinporten would answer.
	GrantChecks []Violation `json:"grant_checks,omitempty"`
	Findings    []Finding   `json:"findings"`
}

// KnownIssuers maps Maskinporten issuers to environment names.
var KnownIssuers = map[string]string{
	"https://test.maskinporten.no/": "test",
	"https://maskinporten.no/":      "prod",
}

// IssuerEnvironment names the environment of an issuer: test, prod, sandbox (a loopback
// sbs-tui sandbox), or "".
func IssuerEnvironment(iss string, extra map[string]string) string {
	if env, ok := KnownIssuers[iss]; ok {
		return env
	}
	if env, ok := extra[iss]; ok {
		return env
	}
	if u, err := url.Parse(iss); err == nil && strings.HasSuffix(u.Path, "/maskinporten/") {
		if h := u.Hostname(); h == "127.0.0.1" || h == "localhost" || h == "::1" {
			return "sandbox"
		}
	}
	return ""
}

// Options say how to review a token.
type Options struct {
	// Now is the time to judge at (a grant from a log: the time it was sent).
	Now time.Time
	// Issuers adds issuers to recognise (the configured environment's).
	Issuers map[string]string
	// Issuer is the environment's Maskinporten issuer a grant's aud must equal; empty: any.
	Issuer string
	// Strict applies Maskinporten's strict mode to a grant's undocumented claims.
	Strict bool
	// Text writes the findings in the user's language; English when nil.
	Text *i18n.Printer
}

// text is the catalogue the findings are written from (English without one).
func (o *Options) text() *i18n.Printer {
	if o.Text == nil {
		o.Text = i18n.English()
	}
	return o.Text
}

// Analyze reviews a decoded token at time now. extraIssuers adds issuers to recognise (the
// configured environment's).
func Analyze(d *Decoded, now time.Time, extraIssuers map[string]string) *Report {
	return AnalyzeWith(d, Options{Now: now, Issuers: extraIssuers})
}

// AnalyzeWith reviews a decoded token; a grant is checked against Maskinporten's grant rules.
func AnalyzeWith(d *Decoded, o Options) *Report {
	now, extraIssuers := o.Now, o.Issuers
	r := &Report{Times: []TimeClaim{}}
	text := o.text()
	add := func(l Level, id string, pairs ...any) {
		r.Findings = append(r.Findings, Finding{l, text.T("token."+id, pairs...)})
	}

	if d.JWSError != nil {
		add(Error, "jws_invalid", "Err", d.JWSError.Error())
	}
	r.Algorithm = d.HeaderString("alg")
	r.Kid = d.HeaderString("kid")
	switch {
	case r.Algorithm == "" || strings.EqualFold(r.Algorithm, "none"):
		add(Error, "alg_none", "Alg", fmt.Sprintf("%q", r.Algorithm))
	case !mp.AllowedAlg(r.Algorithm):
		add(Error, "alg_other", "Alg", r.Algorithm)
	}

	r.Issuer = d.String("iss")
	_, hasConsumer := d.Get("consumer")
	switch {
	case hasConsumer || d.String("client_id") != "":
		r.Kind = KindAccessToken
	case isGrant(d, extraIssuers):
		r.Kind = KindGrant
	default:
		r.Kind = KindOther
	}

	r.Times = timeClaims(d, now)
	r.Status = status(d, now, r)

	switch r.Kind {
	case KindAccessToken:
		analyzeAccessToken(d, r, extraIssuers, add)
	case KindGrant:
		analyzeGrant(d, r, o, add)
	default:
		if r.Issuer != "" {
			add(Info, "issuer_foreign", "Issuer", r.Issuer)
		}
	}
	return r
}

func numeric(f Field) (float64, bool) {
	n, ok := f.Value.(json.Number)
	if !ok {
		return 0, false
	}
	v, err := n.Float64()
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1e11 {
		return 0, false
	}
	return v, true
}

func timeClaims(d *Decoded, now time.Time) []TimeClaim {
	var out []TimeClaim
	for _, name := range []string{"iat", "nbf", "exp"} {
		f, ok := d.Get(name)
		if !ok {
			continue
		}
		v, ok := numeric(f)
		if !ok {
			continue
		}
		t := time.Unix(int64(v), 0)
		out = append(out, TimeClaim{Name: name, Unix: int64(v), Time: t.UTC(), Relative: Relative(t, now)})
	}
	return out
}

func status(d *Decoded, now time.Time, r *Report) Status {
	var exp, nbf *time.Time
	for _, tc := range r.Times {
		t := tc.Time
		switch tc.Name {
		case "exp":
			exp = &t
		case "nbf":
			nbf = &t
		}
	}
	if nbf != nil && now.Before(*nbf) {
		return StatusNotYetValid
	}
	if exp == nil {
		if f, ok := d.Get("exp"); ok {
			r.Findings = append(r.Findings, Finding{Error, fmt.Sprintf("exp is %s, not a number of seconds", string(f.Raw))})
		}
		return StatusNoExpiry
	}
	if !now.Before(*exp) {
		return StatusExpired
	}
	r.ExpiresIn = Duration(exp.Sub(now))
	return StatusValid
}

// Relative says "in 1m 52s" or "3m 4s ago".
func Relative(t, now time.Time) string {
	d := t.Sub(now).Truncate(time.Second)
	switch {
	case d == 0:
		return "now"
	case d > 0:
		return "in " + Duration(d)
	default:
		return Duration(-d) + " ago"
	}
}

// DurationIn is d in p's language: this package's form in English ("1m 52s", "1d 2h"), the
// language's own otherwise ("1 min 52 s").
func DurationIn(p *i18n.Printer, d time.Duration) string {
	if p.Lang() == i18n.EN {
		return Duration(d)
	}
	return p.Duration(d.Truncate(time.Second))
}

// RelativeIn is t seen from now in p's language: Relative's words in English ("in 1m 52s",
// "3s ago", "now"), "om 1 min 52 s" or "for 3 s siden" in Norwegian.
func RelativeIn(p *i18n.Printer, t, now time.Time) string {
	if p.Lang() == i18n.EN {
		return Relative(t, now)
	}
	d := t.Sub(now).Truncate(time.Second)
	switch {
	case d == 0:
		return p.T("common.when.now")
	case d > 0:
		return p.T("common.when.in", "D", DurationIn(p, d))
	}
	return p.T("common.when.ago", "D", DurationIn(p, -d))
}

// Duration formats a duration as "1d 2h", "1m 52s" or "8s".
func Duration(d time.Duration) string {
	d = d.Truncate(time.Second)
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	s := d / time.Second
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %dh", days, h)
	case h > 0:
		return fmt.Sprintf("%dh %dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm %ds", m, s)
	default:
		return fmt.Sprintf("%ds", s)
	}
}

type addFunc func(l Level, id string, pairs ...any)

func checkIssuer(iss string, extra map[string]string, add addFunc) string {
	env := IssuerEnvironment(iss, extra)
	switch {
	case iss == "":
		add(Error, "iss_missing")
	case env == "":
		add(Warn, "issuer_unknown", "Issuer", iss)
	default:
		add(OK, "issuer_ok", "Env", strings.ToUpper(env), "Issuer", iss)
	}
	return env
}

func analyzeAccessToken(d *Decoded, r *Report, extra map[string]string, add addFunc) {
	r.IssuerEnv = checkIssuer(r.Issuer, extra, add)
	if r.Kid == "" {
		add(Warn, "no_kid")
	}
	r.ClientID = d.String("client_id")
	if f, ok := d.Get("consumer"); ok {
		var c mp.OrgID
		if err := json.Unmarshal(f.Raw, &c); err != nil || c.ID == "" {
			add(Error, "consumer_shape", "Raw", string(f.Raw))
		} else {
			r.Consumer = c.ID
			if c.Authority != mp.AuthorityISO6523 {
				add(Warn, "consumer_authority", "Got", fmt.Sprintf("%q", c.Authority), "Want", mp.AuthorityISO6523)
			}
			if no := c.OrgNo(); no != "" && orgno.Validate(no) == nil {
				add(OK, "consumer_ok", "Org", no)
			} else {
				add(Warn, "consumer_id", "ID", fmt.Sprintf("%q", c.ID))
			}
		}
	} else {
		add(Error, "consumer_missing")
	}
	if sc := d.String("scope"); sc != "" {
		r.Scopes = strings.Fields(sc)
		add(OK, "scope_ok", "Scope", sc)
	} else {
		add(Error, "scope_missing")
	}
	if amr := d.String("client_amr"); amr != "" {
		add(Info, "client_amr", "AMR", amr)
	}
	if _, ok := d.Get("aud"); ok {
		add(Info, "aud_present")
	}
	if f, ok := d.Get("authorization_details"); ok {
		analyzeSystemUser(f, r, add)
	}
}

func analyzeSystemUser(f Field, r *Report, add addFunc) {
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(f.Raw, &items); err != nil {
		add(Error, "details_shape")
		return
	}
	for _, it := range items {
		var typ string
		_ = json.Unmarshal(it["type"], &typ)
		if typ != mp.RARTypeSystemUser {
			add(Info, "details_type", "Type", fmt.Sprintf("%q", typ))
			continue
		}
		var su mp.SystemUserToken
		if err := json.Unmarshal(mustMarshal(it), &su); err != nil {
			add(Error, "details_malformed", "Err", err.Error())
			continue
		}
		r.SystemUser = &SystemUser{SystemUserIDs: su.SystemUserID, SystemID: su.SystemID, OwnerOrg: su.SystemUserOrg.ID, ExternalRef: su.ExternalRef}
		if len(su.SystemUserID) == 0 {
			add(Error, "no_systemuser_id")
		} else {
			add(OK, "systemuser_ok", "ID", strings.Join(su.SystemUserID, ", "))
		}
		if su.SystemID == "" {
			add(Warn, "no_system_id")
		} else {
			add(OK, "system_ok", "ID", su.SystemID)
		}
		if no := su.SystemUserOrg.OrgNo(); no == "" || orgno.Validate(no) != nil {
			add(Error, "systemuser_org", "ID", fmt.Sprintf("%q", su.SystemUserOrg.ID))
		} else {
			add(OK, "owner_ok", "Org", no)
		}
	}
}

func mustMarshal(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func analyzeGrant(d *Decoded, r *Report, o Options, add addFunc) {
	add(Info, "grant")
	r.IssuerEnv = IssuerEnvironment(d.String("aud"), o.Issuers)
	r.ClientID = d.String("iss")
	r.Scopes = strings.Fields(d.String("scope"))
	rules := GrantRules{Issuer: o.Issuer, Issuers: o.Issuers, Now: o.Now, Strict: o.Strict}
	r.GrantChecks = CheckGrant(d, rules)
	errs := 0
	for _, v := range r.GrantChecks {
		text := v.Text
		if v.Code != "" {
			text = "[" + v.Code + "] " + text
			errs++
		}
		add(v.Level, "verbatim", "Text", text)
	}
	if errs == 0 {
		where := o.text().T("token.any_maskinporten")
		if o.Issuer != "" {
			where = o.Issuer
		} else if r.IssuerEnv != "" {
			where = "Maskinporten " + strings.ToUpper(r.IssuerEnv)
		}
		add(OK, "grant_ok", "Where", where)
	}
}

// isGrant tells a grant from other JWTs: a known Maskinporten issuer as aud, or the shape of
// one (iss, scope or authorization_details, a kid or x5c, no consumer).
func isGrant(d *Decoded, extra map[string]string) bool {
	if f, ok := d.Get("aud"); ok {
		if s, isStr := f.Value.(string); isStr && (IssuerEnvironment(s, extra) != "" || strings.Contains(s, "maskinporten")) {
			return true
		}
		if arr, isArr := f.Value.([]any); isArr {
			for _, v := range arr {
				if s, _ := v.(string); IssuerEnvironment(s, extra) != "" || strings.Contains(s, "maskinporten") {
					return true
				}
			}
		}
	}
	_, hasKid := d.HeaderParam("kid")
	_, hasX5c := d.HeaderParam("x5c")
	_, hasDetails := d.Get("authorization_details")
	_, hasScope := d.Get("scope")
	_, hasAud := d.Get("aud")
	return d.String("iss") != "" && hasAud && (hasScope || hasDetails) && (hasKid || hasX5c) && d.String("token_type") == ""
}

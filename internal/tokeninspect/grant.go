package tokeninspect

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
)

// GrantRules are what an offline grant check needs to know about the environment.
type GrantRules struct {
	// Issuer is the environment's Maskinporten issuer, which aud must equal. Empty: aud must be
	// some known Maskinporten issuer (test, prod, or a loopback sandbox).
	Issuer string
	// Issuers adds issuers to recognise (the configured environment's).
	Issuers map[string]string
	// Now is the time the grant is judged at: now, or the time of a logged request (--at).
	Now time.Time
	// Strict reports undocumented claims as the refusal Maskinporten's strict mode gives.
	Strict bool
}

// Violation is one broken grant rule, with the error Maskinporten would answer: an MP code,
// or the catalogue key of an error it reports without one. Level Warn marks advice that
// Maskinporten does not enforce (Code is then empty).
type Violation struct {
	Rule  string `json:"rule"`
	Code  string `json:"code,omitempty"`
	Level Level  `json:"level"`
	Text  string `json:"text"`
}

// Grant rule names.
const (
	RuleAlg          = "alg"
	RuleX5C          = "x5c"
	RuleKeyID        = "kid-or-x5c"
	RuleIss          = "iss"
	RuleAud          = "aud"
	RuleTimes        = "iat-exp"
	RuleIatFuture    = "iat-future"
	RuleExpired      = "exp"
	RuleLifetime     = "lifetime"
	RuleIatPast      = "iat-past"
	RuleJTI          = "jti"
	RuleClaims       = "claims"
	RuleScope        = "scope"
	RuleScopeSyntax  = "scope-syntax"
	RuleConsumerOrg  = "consumer_org"
	RuleResource     = "resource"
	RuleDetails      = "authorization_details"
	RuleDetailsType  = "authorization_details.type"
	RuleDetailsField = "authorization_details.fields"
	RuleDetailsCount = "authorization_details.count"
	RuleSystemUsrOrg = "systemuser_org"
	RuleExternalRef  = "externalRef"
)

// DocumentedGrantClaims are the claims Digdir documents for a grant.
var DocumentedGrantClaims = []string{"aud", "iss", "iat", "exp", "jti", "scope", "resource", "pid", "consumer_org", "iss_onbehalfof", "authorization_details"}

func code(key mp.Key) string {
	p := mp.ProblemByKey(key)
	if p.Code != "" {
		return p.Code
	}
	return string(p.Key)
}

// CheckGrant checks a grant offline against Maskinporten's rules, in the order Maskinporten
// applies them, so the first Error violation is the refusal the token endpoint would give
// (what needs the client's registration — client id, key, signature, scopes on the client,
// the system user — is left to the server).
func CheckGrant(d *Decoded, r GrantRules) []Violation {
	var out []Violation
	bad := func(rule string, key mp.Key, format string, a ...any) {
		out = append(out, Violation{Rule: rule, Code: code(key), Level: Error, Text: fmt.Sprintf(format, a...)})
	}
	warn := func(rule, format string, a ...any) {
		out = append(out, Violation{Rule: rule, Level: Warn, Text: fmt.Sprintf(format, a...)})
	}

	// Header.
	alg := d.HeaderString("alg")
	if !mp.AllowedAlg(alg) {
		bad(RuleAlg, mp.KeyMalformed, "alg is %q; Maskinporten accepts only RS256, RS384 or RS512", alg)
	}
	_, hasKid := d.HeaderParam("kid")
	x5c, hasX5c := d.HeaderParam("x5c")
	if hasX5c {
		if arr, ok := x5c.Value.([]any); !ok || len(arr) == 0 || !allStrings(arr) {
			bad(RuleX5C, mp.KeyX5CFormat, "x5c must be a non-empty array of base64 DER certificates")
		}
	}
	switch {
	case hasKid && hasX5c:
		bad(RuleKeyID, mp.KeyMalformed, "the header has both kid and x5c; send exactly one")
	case !hasKid && !hasX5c:
		bad(RuleKeyID, mp.KeyKidRequired, "the header has neither kid nor x5c; set kid to your registered key's id (a client without registered keys answers MP-011)")
	}
	// Client.
	if d.String("iss") == "" {
		bad(RuleIss, mp.KeyClientNotFound, "iss must be your client id (a string)")
	}
	// Audience.
	checkAud(d, r, bad)
	// Times.
	var iat, exp float64
	var hasIat, hasExp bool
	if f, ok := d.Get("iat"); ok {
		iat, hasIat = numeric(f)
	}
	if f, ok := d.Get("exp"); ok {
		exp, hasExp = numeric(f)
	}
	if !hasIat || !hasExp {
		bad(RuleTimes, mp.KeyMalformed, "iat and exp are required numbers of seconds")
	} else {
		iatT, expT := time.Unix(int64(iat), 0), time.Unix(int64(exp), 0)
		at := r.Now.Truncate(time.Second)
		switch {
		case iatT.After(at.Add(mp.IatLeeway)):
			bad(RuleIatFuture, mp.KeyIATFuture, "iat is %s ahead of %s; Maskinporten allows %s", Duration(iatT.Sub(at)), atLabel(r), mp.IatLeeway)
		case !expT.After(at):
			bad(RuleExpired, mp.KeyExpired, "exp was %s before %s", Duration(at.Sub(expT)), atLabel(r))
		case expT.Sub(iatT) > mp.MaxGrantLifetime:
			bad(RuleLifetime, mp.KeyExpired, "exp - iat is %.0f s; Maskinporten accepts at most 120 s", exp-iat)
		case iatT.Before(at.Add(-mp.IatLeeway)):
			bad(RuleIatPast, mp.KeyExpired, "iat is %s before %s; Maskinporten allows %s", Duration(at.Sub(iatT)), atLabel(r), mp.IatLeeway)
		}
	}
	// Replay protection.
	if f, ok := d.Get("jti"); !ok {
		warn(RuleJTI, "jti is missing; Maskinporten recommends a unique jti per grant (a reused one fails with MP-012)")
	} else if s, isStr := f.Value.(string); !isStr || s == "" {
		warn(RuleJTI, "jti should be a unique non-empty string")
	}
	// Undocumented claims.
	if extra := undocumented(d); len(extra) > 0 {
		if r.Strict {
			bad(RuleClaims, mp.KeyUnknownClaims, "undocumented claims %s are refused in strict mode", strings.Join(extra, ", "))
		} else {
			warn(RuleClaims, "undocumented claims %s may be rejected with \"Invalid assertion\" (strict mode)", strings.Join(extra, ", "))
		}
	}
	// Scope.
	if f, ok := d.Get("scope"); !ok {
		bad(RuleScope, mp.KeyMissingParameter, "scope is missing; even a system-user grant needs a scope")
	} else if s, isStr := f.Value.(string); !isStr || strings.TrimSpace(s) == "" {
		bad(RuleScope, mp.KeyMissingParameter, "scope must be a non-empty string of space-separated scopes")
	} else {
		for _, sc := range strings.Fields(s) {
			if strings.Contains(sc, ",") {
				bad(RuleScopeSyntax, mp.KeyScopeNotOnClient, "scope %q has a comma: separate scopes with one space", sc)
			} else if !validScope(sc) {
				bad(RuleScopeSyntax, mp.KeyScopeNotOnClient, "scope %q has characters a scope cannot have (RFC 6749: printable ASCII without space, \" or \\); separate scopes with one space", sc)
			}
		}
	}
	if f, ok := d.Get("consumer_org"); ok {
		if s, isStr := f.Value.(string); !isStr || s == "" {
			bad(RuleConsumerOrg, mp.KeyMalformed, "consumer_org must be an organisation number string")
		} else if orgno.Validate(s) != nil {
			warn(RuleConsumerOrg, "consumer_org %q is not a valid organisation number", s)
		}
	}
	if f, ok := d.Get("resource"); ok {
		if _, isArr := f.Value.([]any); !isArr {
			warn(RuleResource, "resource should be an array of strings (Digdir: \"currently only array supported\")")
		}
	}
	if f, ok := d.Get("authorization_details"); ok {
		checkDetails(f, bad)
	}
	return out
}

func atLabel(r GrantRules) string {
	return "the time judged at (" + r.Now.UTC().Format(time.RFC3339) + ")"
}

func allStrings(a []any) bool {
	for _, v := range a {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	return true
}

// validScope is RFC 6749's scope-token: %x21 / %x23-5B / %x5D-7E.
func validScope(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return s != ""
}

func undocumented(d *Decoded) []string {
	var extra []string
	for _, c := range d.Claims {
		documented := false
		for _, n := range DocumentedGrantClaims {
			if c.Name == n {
				documented = true
			}
		}
		if !documented {
			extra = append(extra, c.Name)
		}
	}
	sort.Strings(extra)
	return extra
}

func checkAud(d *Decoded, r GrantRules, bad func(rule string, key mp.Key, format string, a ...any)) {
	f, ok := d.Get("aud")
	if !ok {
		bad(RuleAud, mp.KeyAudience, "aud is missing; set it to the issuer %s", issuerHint(r))
		return
	}
	aud, isStr := f.Value.(string)
	switch {
	case !isStr:
		bad(RuleAud, mp.KeyAudience, "aud is %s; Maskinporten wants the issuer as a single string (%s)", kindOf(f.Value), issuerHint(r))
	case strings.HasSuffix(aud, "/token"):
		bad(RuleAud, mp.KeyAudience, "aud is the token endpoint; use the issuer (%s)", issuerHint(r))
	case r.Issuer != "" && aud != r.Issuer:
		bad(RuleAud, mp.KeyAudience, "aud %q is not this environment's issuer %s", aud, r.Issuer)
	case r.Issuer == "" && IssuerEnvironment(aud, r.Issuers) == "":
		bad(RuleAud, mp.KeyAudience, "aud %q is not a Maskinporten issuer (%s)", aud, issuerHint(r))
	}
}

func issuerHint(r GrantRules) string {
	if r.Issuer != "" {
		return r.Issuer
	}
	return "test: https://test.maskinporten.no/, prod: https://maskinporten.no/, trailing slash included"
}

func kindOf(v any) string {
	switch v.(type) {
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	case nil:
		return "null"
	default:
		return "not a string"
	}
}

func checkDetails(f Field, bad func(rule string, key mp.Key, format string, a ...any)) {
	items, ok := mp.ParseDetails(f.Raw)
	if !ok {
		bad(RuleDetails, mp.KeyMalformed, "authorization_details must be a non-empty array of objects")
		return
	}
	for _, it := range items {
		switch typ := it.Type(); typ {
		case mp.RARTypeSystemUser:
		case mp.RARTypeConsent:
			continue
		default:
			bad(RuleDetailsType, mp.KeyRARType, "authorization_details type %q is unknown; use %s", typ, mp.RARTypeSystemUser)
			return
		}
		if extra := it.UnknownFields(); len(extra) > 0 {
			bad(RuleDetailsField, mp.KeyRARFields, "authorization_details has fields %s; only type, systemuser_org and externalRef are allowed", strings.Join(extra, ", "))
			return
		}
	}
	if len(items) > 1 {
		bad(RuleDetailsCount, mp.KeySystemuser, "authorization_details asks for %d system users; a grant may ask for one", len(items))
		return
	}
	it := items[0]
	if it.Type() != mp.RARTypeSystemUser {
		return
	}
	var org mp.OrgID
	raw, ok := it["systemuser_org"]
	switch {
	case !ok:
		bad(RuleSystemUsrOrg, mp.KeySystemuser, "systemuser_org is missing: {\"authority\":\"%s\",\"ID\":\"0192:<orgno>\"}", mp.AuthorityISO6523)
	case json.Unmarshal(raw, &org) != nil:
		bad(RuleSystemUsrOrg, mp.KeySystemuser, "systemuser_org must be an object {\"authority\":\"%s\",\"ID\":\"0192:<orgno>\"}", mp.AuthorityISO6523)
	case org.Authority != mp.AuthorityISO6523:
		bad(RuleSystemUsrOrg, mp.KeySystemuser, "systemuser_org.authority is %q; it must be %s", org.Authority, mp.AuthorityISO6523)
	case org.OrgNo() == "":
		bad(RuleSystemUsrOrg, mp.KeySystemuser, "systemuser_org.ID %q lacks the 0192: prefix; write 0192:<organisation number>", org.ID)
	case orgno.Validate(org.OrgNo()) != nil:
		bad(RuleSystemUsrOrg, mp.KeySystemuser, "systemuser_org.ID %q: %v", org.ID, orgno.Validate(org.OrgNo()))
	}
	if rawRef, ok := it["externalRef"]; ok {
		var ref string
		if json.Unmarshal(rawRef, &ref) != nil {
			bad(RuleExternalRef, mp.KeySystemuser, "externalRef must be a string (the one the system-user request was created with)")
		}
	}
}

package tokeninspect_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v2/cert"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"github.com/sbs-tui/sbs-tui/internal/tokeninspect"
)

type grantWorld struct {
	env    config.Environment
	boot   world.Bootstrap
	key    *rsa.PrivateKey
	kid    string
	client *http.Client
}

// worlds are one lenient and one strict sandbox shared by the grant tests (seeding a sandbox
// generates RSA keys); grants never collide since each has a fresh jti.
var (
	worldMu sync.Mutex
	worlds  = map[bool]*grantWorld{}
	cleanup []func()
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range cleanup {
		f()
	}
	os.Exit(code)
}

func newGrantWorld(t *testing.T, strict bool) *grantWorld {
	t.Helper()
	worldMu.Lock()
	defer worldMu.Unlock()
	if w := worlds[strict]; w != nil {
		return w
	}
	dir, err := os.MkdirTemp("", "grant-sandbox-")
	if err != nil {
		t.Fatal(err)
	}
	cleanup = append(cleanup, func() { _ = os.RemoveAll(dir) })
	sw := sandboxtest.New(t, sandboxtest.Dir(dir), sandboxtest.Unserved(), sandboxtest.KeepOpen(),
		sandboxtest.With(func(o *sandbox.Options) { o.StrictClaims = strict }))
	srv := httptest.NewServer(sw.SB.Handler())
	cleanup = append([]func(){srv.Close}, cleanup...)
	boot, k := sw.Boot, sw.VendorKey(t)
	w := &grantWorld{env: config.Sandbox(srv.URL), boot: boot, key: k.Private, kid: k.Kid, client: srv.Client()}
	worlds[strict] = w
	return w
}

// claims is a valid grant for the sandbox vendor at now.
func (w *grantWorld) claims(now time.Time) map[string]any {
	return map[string]any{
		"aud": w.env.MaskinportenIssuer, "iss": w.boot.ClientID, "iat": now.Unix(), "exp": now.Unix() + 110,
		"jti": uuid.NewString(), "scope": world.ScopeSystemRegisterWrite,
	}
}

// sign signs claims with the vendor key and the given header fields (kid by default).
func (w *grantWorld) sign(t *testing.T, claims map[string]any, header map[string]any, alg jwa.SignatureAlgorithm) string {
	t.Helper()
	payload, _ := json.Marshal(claims)
	if alg == "none" {
		h, _ := json.Marshal(map[string]any{"alg": "none", "kid": w.kid})
		return base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(payload) + "."
	}
	hdr := jws.NewHeaders()
	if header == nil {
		header = map[string]any{"kid": w.kid}
	}
	for k, v := range header {
		if err := hdr.Set(k, v); err != nil {
			t.Fatalf("header %s: %v", k, err)
		}
	}
	var key any = w.key
	if alg == jwa.HS256 {
		key = []byte("a shared secret that is long enough for HS256")
	}
	signed, err := jws.Sign(payload, jws.WithKey(alg, key, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		t.Fatal(err)
	}
	return string(signed)
}

// answer posts the grant to the sandbox and returns the status and the catalogue name of its
// refusal (MP code or key), "" on success.
func (w *grantWorld) answer(t *testing.T, grant string) (int, string) {
	t.Helper()
	resp, err := w.client.PostForm(w.env.MaskinportenToken, url.Values{"grant_type": {mp.GrantTypeJWTBearer}, "assertion": {grant}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK {
		return 200, ""
	}
	var eb mp.ErrorBody
	_ = json.Unmarshal(body, &eb)
	p, ok := mp.Classify(eb)
	if !ok {
		t.Fatalf("unclassified sandbox answer %d %s", resp.StatusCode, body)
	}
	if p.Code != "" {
		return resp.StatusCode, p.Code
	}
	return resp.StatusCode, string(p.Key)
}

// firstError is the code of the first Error violation, which is what the server answers.
func firstError(vs []tokeninspect.Violation) (tokeninspect.Violation, bool) {
	for _, v := range vs {
		if v.Level == tokeninspect.Error {
			return v, true
		}
	}
	return tokeninspect.Violation{}, false
}

type grantCase struct {
	rule   string // the rule the offline check must name ("" = no error)
	code   string // the code both must give ("" = accepted)
	strict bool
	alg    jwa.SignatureAlgorithm
	header map[string]any
	mutate func(c map[string]any, w *grantWorld, now time.Time)
}

// runGrantCase builds the grant, checks it offline and at the sandbox, and requires both to
// name the same code, and the offline check to name the expected rule.
func runGrantCase(t *testing.T, gc grantCase) {
	t.Helper()
	w := newGrantWorld(t, gc.strict)
	now := time.Now()
	c := w.claims(now)
	if gc.mutate != nil {
		gc.mutate(c, w, now)
	}
	alg := gc.alg
	if alg == "" {
		alg = jwa.RS256
	}
	grant := w.sign(t, c, gc.header, alg)
	d, err := tokeninspect.Decode(grant)
	if err != nil {
		t.Fatal(err)
	}
	vs := tokeninspect.CheckGrant(d, tokeninspect.GrantRules{Issuer: w.env.MaskinportenIssuer, Now: now, Strict: gc.strict})
	status, served := w.answer(t, grant)
	got, hasErr := firstError(vs)
	if served != gc.code {
		t.Fatalf("sandbox answered %d %q, the case expects %q", status, served, gc.code)
	}
	if !hasErr {
		if gc.code != "" {
			t.Fatalf("offline check found nothing; the sandbox answered %s (violations %+v)", served, vs)
		}
		return
	}
	if got.Code != served || got.Rule != gc.rule {
		t.Fatalf("offline check names %s (rule %s: %s); the sandbox answered %q, want rule %s", got.Code, got.Rule, got.Text, served, gc.rule)
	}
	// The inspector recognises it as a grant and shows the code.
	r := tokeninspect.AnalyzeWith(d, tokeninspect.Options{Now: now, Issuer: w.env.MaskinportenIssuer, Strict: gc.strict})
	if r.Kind != tokeninspect.KindGrant || len(r.GrantChecks) == 0 {
		t.Fatalf("report kind %s, checks %+v", r.Kind, r.GrantChecks)
	}
}

func TestGrantRuleValidGrantPasses(t *testing.T) {
	runGrantCase(t, grantCase{})
}

func TestGrantRuleAlgorithm(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleAlg, code: "MP-011", alg: jwa.HS256})
}

func TestGrantRuleAlgorithmNone(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleAlg, code: "MP-011", alg: "none"})
}

func TestGrantRuleX5CShape(t *testing.T) {
	// jwx refuses to set a non-array x5c, so the header is written by hand.
	w := newGrantWorld(t, false)
	now := time.Now()
	payload, _ := json.Marshal(w.claims(now))
	h, _ := json.Marshal(map[string]any{"alg": "RS256", "x5c": "MIIBIjAN"})
	signingInput := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(payload)
	sum := sha256.Sum256([]byte(signingInput))
	s, err := rsa.SignPKCS1v15(rand.Reader, w.key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	grant := signingInput + "." + base64.RawURLEncoding.EncodeToString(s)
	d, err := tokeninspect.Decode(grant)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := firstError(tokeninspect.CheckGrant(d, tokeninspect.GrantRules{Issuer: w.env.MaskinportenIssuer, Now: now}))
	if _, served := w.answer(t, grant); served != "MP-123" || got.Code != served || got.Rule != tokeninspect.RuleX5C {
		t.Fatalf("sandbox %q, offline %+v", served, got)
	}
}

func TestGrantRuleBothKidAndX5C(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleKeyID, code: "MP-011",
		header: map[string]any{"kid": "k", "x5c": x5c(t, "MIIBIjAN")}})
}

func x5c(t *testing.T, certs ...string) *cert.Chain {
	var c cert.Chain
	for _, s := range certs {
		if err := c.AddString(s); err != nil {
			t.Fatal(err)
		}
	}
	return &c
}

func TestGrantRuleNeitherKidNorX5C(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleKeyID, code: "kid-required", header: map[string]any{"typ": "JWT"}})
}

func TestGrantRuleIssuerMissing(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleIss, code: "MP-100",
		mutate: func(c map[string]any, _ *grantWorld, _ time.Time) { delete(c, "iss") }})
}

func TestGrantRuleAudienceTokenEndpoint(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleAud, code: "MP-110",
		mutate: func(c map[string]any, w *grantWorld, _ time.Time) { c["aud"] = w.env.MaskinportenToken }})
}

func TestGrantRuleAudienceArray(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleAud, code: "MP-110",
		mutate: func(c map[string]any, w *grantWorld, _ time.Time) { c["aud"] = []string{w.env.MaskinportenIssuer} }})
}

func TestGrantRuleAudienceOtherEnvironment(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleAud, code: "MP-110",
		mutate: func(c map[string]any, _ *grantWorld, _ time.Time) { c["aud"] = "https://test.maskinporten.no/" }})
}

func TestGrantRuleTimesRequired(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleTimes, code: "MP-011",
		mutate: func(c map[string]any, _ *grantWorld, _ time.Time) { c["exp"] = "soon" }})
}

func TestGrantRuleIatInTheFuture(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleIatFuture, code: "iat-future",
		mutate: func(c map[string]any, _ *grantWorld, now time.Time) {
			c["iat"], c["exp"] = now.Unix()+60, now.Unix()+100
		}})
}

func TestGrantRuleExpired(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleExpired, code: "MP-130",
		mutate: func(c map[string]any, _ *grantWorld, now time.Time) {
			c["iat"], c["exp"] = now.Unix()-200, now.Unix()-100
		}})
}

func TestGrantRuleLifetimeOver120s(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleLifetime, code: "MP-130",
		mutate: func(c map[string]any, _ *grantWorld, now time.Time) { c["exp"] = now.Unix() + 300 }})
}

func TestGrantRuleIatTooOld(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleIatPast, code: "MP-130",
		mutate: func(c map[string]any, _ *grantWorld, now time.Time) {
			c["iat"], c["exp"] = now.Unix()-30, now.Unix()+60
		}})
}

func TestGrantRuleJTIMissingIsAdviceOnly(t *testing.T) {
	w := newGrantWorld(t, false)
	now := time.Now()
	c := w.claims(now)
	delete(c, "jti")
	grant := w.sign(t, c, nil, jwa.RS256)
	d, _ := tokeninspect.Decode(grant)
	vs := tokeninspect.CheckGrant(d, tokeninspect.GrantRules{Issuer: w.env.MaskinportenIssuer, Now: now})
	if _, served := w.answer(t, grant); served != "" {
		t.Fatalf("sandbox refused a grant without jti: %s", served)
	}
	if _, bad := firstError(vs); bad || len(vs) != 1 || vs[0].Rule != tokeninspect.RuleJTI || vs[0].Level != tokeninspect.Warn {
		t.Fatalf("violations = %+v", vs)
	}
}

func TestGrantRuleUndocumentedClaimsStrict(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleClaims, code: "unknown-claims", strict: true,
		mutate: func(c map[string]any, w *grantWorld, _ time.Time) { c["sub"] = w.boot.ClientID }})
}

func TestGrantRuleUndocumentedClaimsLenient(t *testing.T) {
	// Without strict mode both accept; the offline check only warns.
	runGrantCase(t, grantCase{mutate: func(c map[string]any, w *grantWorld, _ time.Time) { c["sub"] = w.boot.ClientID }})
}

func TestGrantRuleScopeMissing(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleScope, code: "missing-parameter",
		mutate: func(c map[string]any, _ *grantWorld, _ time.Time) { delete(c, "scope") }})
}

func TestGrantRuleScopeSyntax(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleScopeSyntax, code: "MP-200",
		mutate: func(c map[string]any, _ *grantWorld, _ time.Time) {
			c["scope"] = world.ScopeSystemRegisterWrite + "," + world.ScopeRequestRead
		}})
}

func TestGrantRuleConsumerOrgType(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleConsumerOrg, code: "MP-011",
		mutate: func(c map[string]any, _ *grantWorld, _ time.Time) { c["consumer_org"] = 313367002 }})
}

func details(c map[string]any, item any) { c["authorization_details"] = item }

func suOrg(id string) map[string]any {
	return map[string]any{"authority": mp.AuthorityISO6523, "ID": id}
}

func TestGrantRuleDetailsNotAnArray(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleDetails, code: "MP-011",
		mutate: func(c map[string]any, _ *grantWorld, _ time.Time) {
			details(c, map[string]any{"type": mp.RARTypeSystemUser, "systemuser_org": suOrg("0192:313367002")})
		}})
}

func TestGrantRuleDetailsType(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleDetailsType, code: "MP-301",
		mutate: func(c map[string]any, _ *grantWorld, _ time.Time) {
			details(c, []any{map[string]any{"type": "urn:altinn:systembruker", "systemuser_org": suOrg("0192:313367002")}})
		}})
}

func TestGrantRuleDetailsUnknownField(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleDetailsField, code: "MP-302",
		mutate: func(c map[string]any, _ *grantWorld, _ time.Time) {
			details(c, []any{map[string]any{"type": mp.RARTypeSystemUser, "systemuser_org": suOrg("0192:313367002"), "system_id": "x"}})
		}})
}

func TestGrantRuleDetailsTwoSystemUsers(t *testing.T) {
	it := map[string]any{"type": mp.RARTypeSystemUser, "systemuser_org": suOrg("0192:313367002")}
	runGrantCase(t, grantCase{rule: tokeninspect.RuleDetailsCount, code: "MP-303",
		mutate: func(c map[string]any, _ *grantWorld, _ time.Time) { details(c, []any{it, it}) }})
}

func TestGrantRuleSystemUserOrgAuthority(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleSystemUsrOrg, code: "MP-303",
		mutate: func(c map[string]any, _ *grantWorld, _ time.Time) {
			details(c, []any{map[string]any{"type": mp.RARTypeSystemUser, "systemuser_org": map[string]any{"authority": "iso6523", "ID": "0192:313367002"}}})
		}})
}

func TestGrantRuleSystemUserOrgPrefix(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleSystemUsrOrg, code: "MP-303",
		mutate: func(c map[string]any, _ *grantWorld, _ time.Time) {
			details(c, []any{map[string]any{"type": mp.RARTypeSystemUser, "systemuser_org": suOrg("313367002")}})
		}})
}

func TestGrantRuleExternalRefType(t *testing.T) {
	runGrantCase(t, grantCase{rule: tokeninspect.RuleExternalRef, code: "MP-303",
		mutate: func(c map[string]any, _ *grantWorld, _ time.Time) {
			details(c, []any{map[string]any{"type": mp.RARTypeSystemUser, "systemuser_org": suOrg("0192:313367002"), "externalRef": 7}})
		}})
}

// --at judges a logged grant at the time it was sent: the same grant is expired now.
func TestGrantCheckAtTheTimeOfALog(t *testing.T) {
	w := newGrantWorld(t, false)
	sent := time.Now().Add(-time.Hour)
	grant := w.sign(t, w.claims(sent), nil, jwa.RS256)
	d, _ := tokeninspect.Decode(grant)
	if v, bad := firstError(tokeninspect.CheckGrant(d, tokeninspect.GrantRules{Issuer: w.env.MaskinportenIssuer, Now: sent})); bad {
		t.Fatalf("at the time sent: %+v", v)
	}
	v, _ := firstError(tokeninspect.CheckGrant(d, tokeninspect.GrantRules{Issuer: w.env.MaskinportenIssuer, Now: time.Now()}))
	if _, served := w.answer(t, grant); served != "MP-130" || v.Code != served {
		t.Fatalf("now: sandbox %q, offline %+v", served, v)
	}
}

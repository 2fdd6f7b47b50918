package maskinporten

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
)

// maxFormSize caps a token request body; a grant is a few kilobytes at most.
const maxFormSize = 64 << 10

func (s Host) MountMaskinporten(mux *http.ServeMux, prefix string) {
	mux.HandleFunc("GET "+prefix+mp.WellKnownPath, s.handleMetadata)
	// RFC 8414 §3.1 puts the well-known segment between host and the issuer's path, so a
	// standard client asks /.well-known/oauth-authorization-server/maskinporten for the
	// issuer …/maskinporten/ (real Maskinporten's issuer has no path, so both forms coincide).
	inserted := "/" + strings.TrimPrefix(mp.WellKnownPath, "/") + strings.TrimSuffix(prefix, "/")
	mux.HandleFunc("GET "+inserted, s.handleMetadata)
	mux.HandleFunc("GET "+inserted+"/{$}", s.handleMetadata)
	mux.HandleFunc("GET "+prefix+"jwk", s.handleJWKS)
	mux.HandleFunc("POST "+prefix+"token", s.handleToken)
	mux.HandleFunc(prefix+"token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
	})
	mux.HandleFunc("GET "+prefix+"errors/{code}", s.handleErrorPage)
}

func (s Host) handleMetadata(w http.ResponseWriter, r *http.Request) {
	iss := env.IssuerOf(r)
	env.WriteJSON(w, s.Env.Opts.Now(), http.StatusOK, mp.Metadata{
		Issuer:                            iss,
		TokenEndpoint:                     iss + "token",
		JWKSURI:                           iss + "jwk",
		TokenEndpointAuthMethodsSupported: []string{"private_key_jwt"},
		GrantTypesSupported:               []string{mp.GrantTypeJWTBearer},
		TokenEndpointAuthSigningAlgValuesSupported: mp.SigningAlgs,
		AuthorizationDetailsTypesSupported:         []string{mp.RARTypeSystemUser, mp.RARTypeConsent},
	})
}

func (s Host) handleJWKS(w http.ResponseWriter, r *http.Request) {
	keys, err := env.Ring{Env: s.Env}.PublicJWKs(func(st *world.State) []world.SigningKey { return st.SigningKeys }, nil)
	if err != nil {
		s.Env.InternalError(w, err)
		return
	}
	env.WriteJSON(w, s.Env.Opts.Now(), http.StatusOK, map[string]any{"keys": keys})
}

func (s Host) handleErrorPage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	for _, p := range mp.Problems() {
		if p.Code == code {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<!doctype html><title>%s</title><h1>%s</h1><p>%s</p><p>%s</p><ul>", code, code, html.EscapeString(p.Description), html.EscapeString(p.Meaning))
			for _, f := range p.Fixes {
				fmt.Fprintf(w, "<li>%s</li>", html.EscapeString(f))
			}
			fmt.Fprint(w, "</ul>")
			return
		}
	}
	http.NotFound(w, r)
}

// grantError is a refusal: a catalogue entry and the exact description text to send.
type grantError struct {
	problem mp.Problem
	text    string
}

func refuse(key mp.Key) *grantError {
	p := mp.ProblemByKey(key)
	return &grantError{problem: p, text: p.Description}
}

// with appends detail to the description, the way Maskinporten lists offending scopes.
func (g *grantError) with(sep, detail string) *grantError {
	g.text += sep + detail
	return g
}

func (s Host) writeGrantError(w http.ResponseWriter, r *http.Request, g *grantError) {
	trace := jose.RandomHex(16)
	body := mp.ErrorBody{Error: g.problem.OAuthError, ErrorDescription: g.text + " (trace_id: " + trace + ")"}
	if g.problem.Code != "" {
		body.ErrorURI = env.IssuerOf(r) + "errors/" + g.problem.Code
	}
	s.Env.Opts.Logger.Info("token refused", "code", g.problem.Code, "key", g.problem.Key, "trace_id", trace)
	env.WriteJSON(w, s.Env.Opts.Now(), g.problem.Status, body)
}

// parsedGrant is a grant split into its parts before any trust is placed in it.
type parsedGrant struct {
	raw    string
	header map[string]json.RawMessage
	claims map[string]json.RawMessage
	alg    string
	kid    string
	hasX5c bool
	x5c    []string
}

func (s Host) handleToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, maxFormSize)
	// 1. Form parameters. Only a form body counts: Maskinporten ignores query parameters and JSON.
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		s.writeGrantError(w, r, refuse(mp.KeyMissingParameter).with(": ", "grant_type (send an application/x-www-form-urlencoded body)"))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.writeGrantError(w, r, refuse(mp.KeyMalformed))
		return
	}
	gt, assertion := r.PostForm.Get("grant_type"), r.PostForm.Get("assertion")
	switch {
	case gt == "":
		s.writeGrantError(w, r, refuse(mp.KeyMissingParameter).with(": ", "grant_type"))
		return
	case gt != mp.GrantTypeJWTBearer:
		s.writeGrantError(w, r, refuse(mp.KeyGrantType).with(": ", gt))
		return
	case assertion == "":
		s.writeGrantError(w, r, refuse(mp.KeyMissingParameter).with(": ", "assertion"))
		return
	}
	now := s.Env.Opts.Now()
	resp, g, err := s.issue(r, assertion, now)
	if g != nil {
		s.writeGrantError(w, r, g)
		return
	}
	if err != nil {
		s.Env.InternalError(w, err)
		return
	}
	env.WriteJSON(w, now, http.StatusOK, resp)
}

func (g *grantError) Error() string { return g.text }

// grantCheck is what issue learns from the state under the read lock: the key to verify the
// grant with, the first refusal among the checks after the signature, and the token to sign.
type grantCheck struct {
	refusal   *grantError // steps 4–6: before the signature
	verifyKey any
	chain     []*x509.Certificate // x5c grants: verified against ca outside the lock
	ca        *world.CA
	clientID  string
	clientOrg string
	pending   *grantError // steps 10–14: reported after the signature, time and replay checks
	token     tokenDraft
}

// issue validates a grant in the order that reproduces Maskinporten's codes (spec §8) and
// mints the token. Only the look-ups in the state run under the store's read lock; the
// signature check and the token's signature run outside any lock, and the jti is recorded
// (one short transaction) only for a grant that passes every check.
func (s Host) issue(r *http.Request, assertion string, now time.Time) (mp.TokenResponse, *grantError, error) {
	var none mp.TokenResponse
	// 2. Parse.
	g, perr := parseGrant(assertion)
	if perr != nil {
		return none, perr, nil
	}
	// 3. Header.
	if !mp.AllowedAlg(g.alg) {
		return none, refuse(mp.KeyMalformed).with(". ", fmt.Sprintf("Unsupported JWT alg %q, use RS256, RS384 or RS512", g.alg)), nil
	}
	if g.hasX5c && g.x5c == nil {
		return none, refuse(mp.KeyX5CFormat), nil
	}
	if g.kid != "" && g.hasX5c {
		return none, refuse(mp.KeyMalformed).with(". ", "The JWT header must contain either kid or x5c, not both"), nil
	}
	var c grantCheck
	if err := s.Env.Store.View(func(st *world.State) error {
		c = s.checkGrant(st, r, g, now)
		return nil
	}); err != nil {
		return none, nil, err
	}
	if c.refusal != nil {
		return none, c.refusal, nil
	}
	// 6. Key, for a certificate: its trust and organisation.
	if c.chain != nil {
		if err := c.ca.VerifyChain(c.chain, now); err != nil {
			return none, refuse(mp.KeyCertificateInvalid), nil
		}
		if jose.CertOrgNo(c.chain[0]) != c.clientOrg {
			return none, refuse(mp.KeyCertificateOrg), nil
		}
		c.verifyKey = c.chain[0].PublicKey
	}
	// 7. Signature.
	if _, err := jws.Verify([]byte(g.raw), jws.WithKey(jwa.SignatureAlgorithm(g.alg), c.verifyKey)); err != nil {
		return none, refuse(mp.KeySignature), nil
	}
	// 8. Time.
	iat, okIat := numericClaim(g.claims["iat"])
	exp, okExp := numericClaim(g.claims["exp"])
	if !okIat || !okExp {
		return none, refuse(mp.KeyMalformed).with(". ", "iat and exp are required numeric claims"), nil
	}
	iatT, expT := time.Unix(iat, 0), time.Unix(exp, 0)
	switch {
	case iatT.After(now.Add(mp.IatLeeway)):
		return none, refuse(mp.KeyIATFuture), nil
	case !expT.After(now):
		return none, refuse(mp.KeyExpired), nil
	case expT.Sub(iatT) > mp.MaxGrantLifetime:
		return none, refuse(mp.KeyExpired).with(". ", "exp - iat must not exceed 120 seconds"), nil
	case iatT.Before(now.Add(-mp.IatLeeway)):
		return none, refuse(mp.KeyExpired).with(". ", "iat is more than 10 seconds before now"), nil
	}
	// 9. Replay, then 10–14 (strict claims, scopes, access, delegation, authorization_details).
	var jti string
	_ = json.Unmarshal(g.claims["jti"], &jti)
	ctx := r.Context()
	if c.pending != nil {
		if jti != "" {
			used, err := s.Env.Store.JTIUsed(ctx, c.clientID, jti, now)
			if err != nil {
				return none, nil, err
			}
			if used {
				return none, refuse(mp.KeyReplay), nil
			}
		}
		return none, c.pending, nil
	}
	if jti != "" {
		fresh, err := s.Env.Store.UseJTI(ctx, c.clientID, jti, expT, now)
		if err != nil {
			return none, nil, err
		}
		if !fresh {
			return none, refuse(mp.KeyReplay), nil
		}
	}
	// Mint.
	token, err := c.token.sign(r, g, now)
	if err != nil {
		return none, &grantError{problem: mp.Problem{Status: 500, OAuthError: "server_error"}, text: err.Error()}, nil
	}
	return mp.TokenResponse{AccessToken: token, TokenType: "Bearer", ExpiresIn: int64(c.token.lifetime / time.Second), Scope: c.token.claims.Scope}, nil, nil
}

// checkGrant runs the checks that need the state (steps 4–6 and 10–14) and prepares the token.
// It runs under the store's read lock and copies out everything used after it returns.
func (s Host) checkGrant(st *world.State, r *http.Request, g *parsedGrant, now time.Time) (c grantCheck) {
	// 4. Client.
	var iss string
	_ = json.Unmarshal(g.claims["iss"], &iss)
	client := st.Clients[iss]
	if iss == "" || client == nil || !client.Active {
		c.refusal = refuse(mp.KeyClientNotFound)
		return c
	}
	c.clientID, c.clientOrg = client.ClientID, client.ClientOrgNo
	if g.kid == "" && (len(client.JWKs) > 0 || !g.hasX5c) {
		if len(client.JWKs) > 0 {
			c.refusal = refuse(mp.KeyKidRequired)
		} else {
			c.refusal = refuse(mp.KeyMalformed).with(". ", "The JWT header must contain kid or x5c")
		}
		return c
	}
	// 5. Audience: a single string equal to the issuer.
	var aud string
	if err := json.Unmarshal(g.claims["aud"], &aud); err != nil || aud != env.IssuerOf(r) {
		c.refusal = refuse(mp.KeyAudience)
		return c
	}
	// 6. Key: the client's JWK named by kid, or the certificate in x5c (verified by the caller).
	if g.kid != "" {
		c.verifyKey, c.refusal = s.clientKey(client, g.kid, now)
		if c.refusal != nil {
			return c
		}
	} else {
		chain, err := parseChain(g.x5c)
		if err != nil {
			c.refusal = refuse(mp.KeyX5CFormat)
			return c
		}
		if st.CA == nil {
			c.refusal = refuse(mp.KeyCertificateInvalid)
			return c
		}
		ca := *st.CA
		c.chain, c.ca = chain, &ca
	}
	// 10. Undocumented claims.
	if s.Env.Opts.StrictClaims {
		if extra := unknownClaims(g.claims); len(extra) > 0 {
			c.pending = refuse(mp.KeyUnknownClaims).with(": ", strings.Join(extra, ", "))
			return c
		}
	}
	// 11–13. Scopes, access, delegation.
	scopes, consumerOrg, serr := checkScopes(st, client, g.claims)
	if serr != nil {
		c.pending = serr
		return c
	}
	// 14. authorization_details.
	details, derr := s.checkAuthorizationDetails(st, client, g.claims)
	if derr != nil {
		c.pending = derr
		return c
	}
	draft, err := s.draftToken(st, client, scopes, consumerOrg, details, g)
	if err != nil {
		c.pending = &grantError{problem: mp.Problem{Status: 500, OAuthError: "server_error"}, text: err.Error()}
		return c
	}
	c.token = draft
	return c
}

func parseGrant(assertion string) (*parsedGrant, *grantError) {
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return nil, refuse(mp.KeyMalformed)
	}
	g := &parsedGrant{raw: assertion}
	hb, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(hb, &g.header) != nil {
		return nil, refuse(mp.KeyMalformed)
	}
	pb, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || json.Unmarshal(pb, &g.claims) != nil || g.claims == nil {
		return nil, refuse(mp.KeyMalformed)
	}
	_ = json.Unmarshal(g.header["alg"], &g.alg)
	_ = json.Unmarshal(g.header["kid"], &g.kid)
	if raw, ok := g.header["x5c"]; ok {
		g.hasX5c = true
		var chain []string
		if json.Unmarshal(raw, &chain) == nil && len(chain) > 0 {
			g.x5c = chain
		}
	}
	return g, nil
}

func numericClaim(raw json.RawMessage) (int64, bool) {
	var f float64
	if raw == nil || json.Unmarshal(raw, &f) != nil {
		return 0, false
	}
	return int64(f), true
}

// clientKey finds the client's JWK named by kid, the key that must have signed the grant, as
// a crypto public key. Parsed keys are kept by their JSON, so a client's key is parsed once.
func (s Host) clientKey(client *world.MPClient, kid string, now time.Time) (any, *grantError) {
	for _, k := range client.JWKs {
		if k.Kid() != kid {
			continue
		}
		if !k.Exp.After(now) {
			return nil, refuse(mp.KeyKeyExpired)
		}
		raw, _ := json.Marshal(k.JWK)
		if pub, ok := s.Env.VerifyKeys.Load(string(raw)); ok {
			return pub, nil
		}
		key, err := jwk.ParseKey(raw)
		if err != nil {
			return nil, refuse(mp.KeySignature)
		}
		var pub any
		if err := key.Raw(&pub); err != nil {
			return nil, refuse(mp.KeySignature)
		}
		if s.Env.VerifyKeyCount.Add(1) <= maxCachedVerifyKeys {
			s.Env.VerifyKeys.Store(string(raw), pub)
		}
		return pub, nil
	}
	return nil, refuse(mp.KeySignature).with(" ", fmt.Sprintf("No key with kid %q is registered on the client", kid))
}

// maxCachedVerifyKeys bounds the parsed client keys kept in memory.
const maxCachedVerifyKeys = 4096

var documentedClaims = map[string]bool{
	"aud": true, "iss": true, "iat": true, "exp": true, "jti": true, "scope": true, "resource": true,
	"pid": true, "consumer_org": true, "iss_onbehalfof": true, "authorization_details": true,
}

func unknownClaims(claims map[string]json.RawMessage) []string {
	var extra []string
	for k := range claims {
		if !documentedClaims[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	return extra
}

func checkScopes(st *world.State, client *world.MPClient, claims map[string]json.RawMessage) ([]string, string, *grantError) {
	var scopeStr string
	if err := json.Unmarshal(claims["scope"], &scopeStr); err != nil || strings.TrimSpace(scopeStr) == "" {
		return nil, "", refuse(mp.KeyMissingParameter).with(": ", "scope")
	}
	scopes := strings.Fields(scopeStr)
	var notOnClient []string
	for _, sc := range scopes {
		if !slices.Contains(client.Scopes, sc) {
			notOnClient = append(notOnClient, sc)
		}
	}
	if len(notOnClient) > 0 {
		return nil, "", refuse(mp.KeyScopeNotOnClient).with(", ", strings.Join(notOnClient, ", "))
	}
	for _, sc := range scopes {
		if reg := st.Scopes[sc]; reg == nil || !reg.AllowsIntegration(client.IntegrationType) {
			return nil, "", refuse(mp.KeyScopeIntegrationType).with(", ", sc)
		}
	}
	consumer := client.ClientOrgNo
	var consumerOrg string
	if raw, ok := claims["consumer_org"]; ok {
		if err := json.Unmarshal(raw, &consumerOrg); err != nil || consumerOrg == "" {
			return nil, "", refuse(mp.KeyMalformed).with(". ", "consumer_org must be an organisation number string")
		}
		if consumerOrg == client.ClientOrgNo {
			return nil, "", refuse(mp.KeyConsumerOrgSelf)
		}
		consumer = consumerOrg
	}
	for _, sc := range scopes {
		if !st.Scopes[sc].Allows(consumer) {
			return nil, "", refuse(mp.KeyScopeAccess).with(" ", sc)
		}
	}
	if consumerOrg != "" {
		for _, sc := range scopes {
			if !st.Scopes[sc].Delegable || !slices.Contains(st.Delegations[consumerOrg][client.ClientOrgNo], sc) {
				g := refuse(mp.KeyDelegation)
				g.text = fmt.Sprintf("Consumer %s has not delegated access to the scope %s to supplier %s", consumerOrg, sc, client.ClientOrgNo)
				return nil, "", g
			}
		}
	}
	return scopes, consumerOrg, nil
}

// Host is Maskinporten: metadata, JWKS, the token endpoint and its grant checks.
type Host struct{ Env *env.Env }

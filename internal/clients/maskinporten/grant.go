// Package maskinporten is a client for Maskinporten: it builds and signs JWT grants, requests
// tokens (plain and for Altinn system users), explains errors, caches tokens and verifies them
// against the published JWKS.
package maskinporten

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v2/cert"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
)

// Credentials identify and authenticate a Maskinporten client. Exactly one of Kid (a key
// registered on the client) or Chain (a business certificate, sent as x5c) is used.
type Credentials struct {
	ClientID string
	Key      *rsa.PrivateKey
	Kid      string
	Chain    []*x509.Certificate
	Alg      string // RS256 (default), RS384 or RS512
}

// SystemUser asks for a token on behalf of an Altinn system user.
type SystemUser struct {
	// OrgNo owns the system user: the customer for a standard system user, the agent (e.g. the
	// accounting firm) for an agent system user — never the agent's client.
	OrgNo string
	// ExternalRef must be sent when the system-user request was created with one.
	ExternalRef string
}

// TokenRequest says what token to ask for.
type TokenRequest struct {
	Scopes      []string
	Resource    []string // audience restriction (RFC 8707); goes to the token's aud
	ConsumerOrg string   // supplier acting for a consumer that delegated the scope
	SystemUser  *SystemUser
	// Lifetime of the grant; 0 means the maximum of 120 s.
	Lifetime time.Duration
	// AddSub and AddNbf add the undocumented-but-common claims sub=client_id and nbf=iat.
	// Off by default: Digdir's docs say undocumented claims may be rejected.
	AddSub, AddNbf bool
}

// Validate checks a request before anything is signed, naming the field and the rule.
func (r TokenRequest) Validate() error {
	if len(r.Scopes) == 0 {
		return errors.New("scope: at least one scope is required (a system-user token too needs a scope)")
	}
	for _, s := range r.Scopes {
		if s == "" || strings.ContainsAny(s, " \t\r\n") {
			return fmt.Errorf("scope %q: a scope is one word without spaces; give several with --scope repeated", s)
		}
	}
	if r.ConsumerOrg != "" {
		if err := orgno.Validate(r.ConsumerOrg); err != nil {
			return fmt.Errorf("consumer_org: %w", err)
		}
	}
	if r.SystemUser != nil {
		if err := orgno.Validate(r.SystemUser.OrgNo); err != nil {
			return fmt.Errorf("systemuser_org: %w", err)
		}
		if r.ConsumerOrg != "" {
			return errors.New("consumer_org and a system user cannot be combined: the system user already names the party")
		}
	}
	if r.Lifetime < 0 || r.Lifetime > mp.MaxGrantLifetime {
		return fmt.Errorf("grant lifetime %s: Maskinporten accepts at most %s between iat and exp", r.Lifetime, mp.MaxGrantLifetime)
	}
	return nil
}

// Check validates credentials before use.
func (c Credentials) Check() error {
	if c.ClientID == "" {
		return errors.New("client_id is missing: set it in the profile (it is the Maskinporten integration's id)")
	}
	if c.Key == nil {
		return errors.New("no private key loaded")
	}
	if (c.Kid == "") == (len(c.Chain) == 0) {
		return errors.New("the grant needs exactly one of kid (a registered key) or x5c (a business certificate)")
	}
	if c.Alg != "" && !mp.AllowedAlg(c.Alg) {
		return fmt.Errorf("alg %q: Maskinporten accepts only %s", c.Alg, strings.Join(mp.SigningAlgs, ", "))
	}
	return nil
}

func (c Credentials) alg() jwa.SignatureAlgorithm {
	if c.Alg == "" {
		return jwa.RS256
	}
	return jwa.SignatureAlgorithm(c.Alg)
}

// ScopeString joins scopes the way the grant carries them: space-separated, sorted, unique.
func ScopeString(scopes []string) string {
	seen := map[string]bool{}
	var out []string
	for _, s := range scopes {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// BuildGrant signs a grant for aud (the issuer from the metadata) at time now.
func BuildGrant(creds Credentials, aud string, req TokenRequest, now time.Time) (string, error) {
	if err := creds.Check(); err != nil {
		return "", err
	}
	if err := req.Validate(); err != nil {
		return "", err
	}
	lifetime := req.Lifetime
	if lifetime == 0 {
		lifetime = mp.MaxGrantLifetime
	}
	now = now.Truncate(time.Second)
	claims := map[string]any{
		"aud":   aud, // a single string: Maskinporten rejects an audience array
		"iss":   creds.ClientID,
		"iat":   now.Unix(),
		"exp":   now.Add(lifetime).Unix(),
		"jti":   uuid.NewString(),
		"scope": ScopeString(req.Scopes),
	}
	if len(req.Resource) > 0 {
		claims["resource"] = req.Resource // "currently only array supported"
	}
	if req.ConsumerOrg != "" {
		claims["consumer_org"] = req.ConsumerOrg
	}
	if su := req.SystemUser; su != nil {
		claims["authorization_details"] = []mp.SystemUserGrant{{
			Type:          mp.RARTypeSystemUser,
			SystemUserOrg: mp.NewOrgID(su.OrgNo),
			ExternalRef:   su.ExternalRef,
		}}
	}
	if req.AddSub {
		claims["sub"] = creds.ClientID
	}
	if req.AddNbf {
		claims["nbf"] = now.Unix()
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encode grant: %w", err)
	}
	// aud must be a single string, not an array: jwt would otherwise serialise a list.
	headers := jws.NewHeaders()
	if creds.Kid != "" {
		_ = headers.Set(jws.KeyIDKey, creds.Kid)
	} else {
		var chain cert.Chain
		for _, c := range creds.Chain {
			_ = chain.AddString(base64.StdEncoding.EncodeToString(c.Raw))
		}
		_ = headers.Set(jws.X509CertChainKey, &chain)
	}
	signed, err := jws.Sign(payload, jws.WithKey(creds.alg(), creds.Key, jws.WithProtectedHeaders(headers)))
	if err != nil {
		return "", fmt.Errorf("sign grant: %w", err)
	}
	return string(signed), nil
}

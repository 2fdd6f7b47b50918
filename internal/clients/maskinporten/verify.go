package maskinporten

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
)

// VerifyLeeway is the clock skew allowed on exp and iat, as Altinn allows on Maskinporten tokens.
const VerifyLeeway = 10 * time.Second

// Verification is what Verify established about a token.
type Verification struct {
	Kid       string
	Alg       string
	Issuer    string
	IssuedAt  time.Time
	ExpiresAt time.Time
	// Refetched is true when the kid was unknown and the JWKS was fetched again (key rotation).
	Refetched bool
}

// JWKS fetches (or returns the cached) key set from the metadata's jwks_uri.
func (c *Client) JWKS(ctx context.Context, force bool) (jwk.Set, error) {
	c.mu.Lock()
	if !force && c.jwks != nil && c.now().Sub(c.jwksAt) < MetadataTTL {
		s := c.jwks
		c.mu.Unlock()
		return s, nil
	}
	c.mu.Unlock()
	m, err := c.Metadata(ctx)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.JWKSURI, nil)
	if err != nil {
		return nil, fmt.Errorf("jwks_uri %q: %w", m.JWKSURI, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch Maskinporten's JWKS from %s: %w", m.JWKSURI, err)
	}
	body, err := httpx.ReadBody(resp)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch Maskinporten's JWKS from %s: HTTP %d", m.JWKSURI, resp.StatusCode)
	}
	set, err := jwk.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("Maskinporten's JWKS from %s is not a valid key set: %w", m.JWKSURI, err)
	}
	c.mu.Lock()
	c.jwks, c.jwksAt = set, c.now()
	c.mu.Unlock()
	return set, nil
}

// VerifyError says why a token did not verify.
type VerifyError struct{ Reason string }

func (e *VerifyError) Error() string { return "the token did not verify: " + e.Reason }

// Verify checks a Maskinporten access token: signature against the JWKS (refetched once on an
// unknown kid), alg in RS256/384/512, iss equal to the metadata's issuer, exp and iat within
// VerifyLeeway of the client's clock.
func (c *Client) Verify(ctx context.Context, token string) (*Verification, error) {
	token = strings.TrimSpace(token)
	msg, hdr, alg, err := parseSigned(token)
	if err != nil {
		return nil, err
	}
	kid := hdr.KeyID()
	if kid == "" {
		return nil, &VerifyError{"the header has no kid, so no published key can be chosen"}
	}
	v := &Verification{Kid: kid, Alg: alg}
	set, err := c.JWKS(ctx, false)
	if err != nil {
		return nil, err
	}
	key, ok := set.LookupKeyID(kid)
	if !ok {
		// Unknown kid: the keys may have rotated since we cached them. Refetch once.
		if set, err = c.JWKS(ctx, true); err != nil {
			return nil, err
		}
		v.Refetched = true
		if key, ok = set.LookupKeyID(kid); !ok {
			return nil, &VerifyError{fmt.Sprintf("kid %q is not among the keys Maskinporten publishes; the token is from another environment or not from Maskinporten", kid)}
		}
	}
	if _, err := jws.Verify([]byte(token), jws.WithKey(jwa.SignatureAlgorithm(alg), key)); err != nil {
		return nil, &VerifyError{"the signature does not match key " + kid}
	}
	var claims struct {
		Iss string   `json:"iss"`
		Iat *float64 `json:"iat"`
		Exp *float64 `json:"exp"`
	}
	if err := json.Unmarshal(msg.Payload(), &claims); err != nil {
		return nil, &VerifyError{"the payload is not a JSON object of claims"}
	}
	m, err := c.Metadata(ctx)
	if err != nil {
		return nil, err
	}
	v.Issuer = claims.Iss
	if claims.Iss != m.Issuer {
		return nil, &VerifyError{fmt.Sprintf("iss %q is not this environment's issuer %q", claims.Iss, m.Issuer)}
	}
	if claims.Exp == nil || claims.Iat == nil {
		return nil, &VerifyError{"exp and iat are required"}
	}
	now := c.now()
	v.IssuedAt = time.Unix(int64(*claims.Iat), 0)
	v.ExpiresAt = time.Unix(int64(*claims.Exp), 0)
	if now.After(v.ExpiresAt.Add(VerifyLeeway)) {
		return nil, &VerifyError{fmt.Sprintf("it expired at %s", v.ExpiresAt.UTC().Format(time.RFC3339))}
	}
	if v.IssuedAt.After(now.Add(VerifyLeeway)) {
		return nil, &VerifyError{fmt.Sprintf("iat %s is in the future; check your clock", v.IssuedAt.UTC().Format(time.RFC3339))}
	}
	return v, nil
}

// parseSigned reads a compact JWS with one signature in an algorithm Maskinporten uses
// (RS256/384/512), for Verify and VerifyGrant alike.
func parseSigned(token string) (*jws.Message, jws.Headers, string, error) {
	msg, err := jws.Parse([]byte(token))
	if err != nil {
		return nil, nil, "", &VerifyError{"it is not a compact JWS: " + err.Error()}
	}
	if len(msg.Signatures()) != 1 {
		return nil, nil, "", &VerifyError{"it must carry exactly one signature"}
	}
	hdr := msg.Signatures()[0].ProtectedHeaders()
	alg := hdr.Algorithm().String()
	if !mp.AllowedAlg(alg) {
		return nil, nil, "", &VerifyError{fmt.Sprintf("alg %q is not allowed; Maskinporten uses %s only", alg, strings.Join(mp.SigningAlgs, ", "))}
	}
	return msg, hdr, alg, nil
}

// IsVerifyError reports whether err is a verification failure (as opposed to a network one).
func IsVerifyError(err error) bool {
	var ve *VerifyError
	return errors.As(err, &ve)
}

// VerifyGrant checks a grant's signature against the client's own key. A grant is signed by
// the client, not by Maskinporten, so Maskinporten's JWKS cannot verify it; what can be
// checked here is that the header names the credentials' key (their kid, or x5c with their
// certificate first) and that the signature matches it. Times and claims are the grant
// checks' business.
func VerifyGrant(grant string, creds Credentials) (*Verification, error) {
	grant = strings.TrimSpace(grant)
	_, hdr, alg, err := parseSigned(grant)
	if err != nil {
		return nil, err
	}
	v := &Verification{Kid: hdr.KeyID(), Alg: alg}
	switch {
	case len(creds.Chain) > 0:
		var first []byte
		if chain := hdr.X509CertChain(); chain != nil { // nil for a grant without x5c
			first, _ = chain.Get(0)
		}
		if string(first) != base64.StdEncoding.EncodeToString(creds.Chain[0].Raw) {
			return nil, &VerifyError{"its x5c does not start with your profile's certificate: it was made with another certificate"}
		}
	case v.Kid != creds.Kid:
		return nil, &VerifyError{fmt.Sprintf("its kid %q is not your profile's key (kid %q): it was made with another key", v.Kid, creds.Kid)}
	}
	if _, err := jws.Verify([]byte(grant), jws.WithKey(jwa.SignatureAlgorithm(alg), &creds.Key.PublicKey)); err != nil {
		return nil, &VerifyError{"the signature does not match your profile's key"}
	}
	return v, nil
}

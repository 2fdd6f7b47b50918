package env

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Caller is what a bearer token issued by the sandbox's Maskinporten (or exchanged at its
// Altinn) says about the caller.
type Caller struct {
	Exp                  time.Time
	Exchanged            bool
	OrgNo                string
	ClientID             string
	Scopes               []string
	AuthorizationDetails []mp.SystemUserToken
}

func (c *Caller) HasScope(s string) bool { return slices.Contains(c.Scopes, s) }

// Authenticate checks a bearer token the way the emulated APIs do: signed by one of the
// sandbox's signing keys, issued by this sandbox's Maskinporten (or, with acceptAltinn, by its
// Altinn token exchange), not expired (10 s leeway), with a consumer. Audience is not checked,
// as Altinn does not. It returns nil when the token is missing or invalid (401).
func (s Ring) Authenticate(r *http.Request, acceptAltinn bool) *Caller {
	c := s.AuthenticateToken(r, acceptAltinn)
	if c == nil || c.OrgNo == "" {
		return nil
	}
	return c
}

// AuthenticateToken is authenticate without the consumer requirement: Altinn's JWT handler
// accepts a valid token without a consumer claim and leaves it to each action (caller.OrgNo
// is then "").
func (s Ring) AuthenticateToken(r *http.Request, acceptAltinn bool) *Caller {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return nil
	}
	token = strings.TrimSpace(token)
	msg, err := jws.Parse([]byte(token))
	if err != nil || len(msg.Signatures()) != 1 {
		return nil
	}
	hdr := msg.Signatures()[0].ProtectedHeaders()
	if !mp.AllowedAlg(hdr.Algorithm().String()) {
		return nil
	}
	// Each issuer has its own keys: a Maskinporten token verifies only with Maskinporten's,
	// an exchanged token only with Altinn's.
	var mpKey, altinnKey *rsa.PublicKey
	_ = s.Env.Store.View(func(st *world.State) error {
		mpKey = s.verificationKey(st.SigningKeys, hdr.KeyID())
		if acceptAltinn {
			altinnKey = s.verificationKey(st.AltinnSigningKeys, hdr.KeyID())
		}
		return nil
	})
	key := mpKey
	if key == nil {
		key = altinnKey
	}
	if key == nil {
		return nil
	}
	if _, err := jws.Verify([]byte(token), jws.WithKey(jwa.SignatureAlgorithm(hdr.Algorithm().String()), key)); err != nil {
		return nil
	}
	var claims struct {
		Iss                  string               `json:"iss"`
		Exp                  int64                `json:"exp"`
		Scope                string               `json:"scope"`
		ClientID             string               `json:"client_id"`
		Consumer             *mp.OrgID            `json:"consumer"`
		AuthorizationDetails []mp.SystemUserToken `json:"authorization_details"`
	}
	if err := json.Unmarshal(msg.Payload(), &claims); err != nil {
		return nil
	}
	exchanged := altinnKey != nil && key == altinnKey && claims.Iss == AltinnIssuerOf(r)
	if (!exchanged && (mpKey == nil || claims.Iss != IssuerOf(r))) || time.Unix(claims.Exp, 0).Add(10*time.Second).Before(s.Env.Opts.Now()) {
		return nil
	}
	org := ""
	if claims.Consumer != nil {
		org = claims.Consumer.OrgNo()
	}
	return &Caller{
		Exp:                  time.Unix(claims.Exp, 0),
		Exchanged:            exchanged,
		OrgNo:                org,
		ClientID:             claims.ClientID,
		Scopes:               strings.Fields(claims.Scope),
		AuthorizationDetails: claims.AuthorizationDetails,
	}
}

// BearerClaims returns the payload of the request's bearer token (call after authenticate).
func (s Ring) BearerClaims(r *http.Request) (map[string]any, error) {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	msg, err := jws.Parse([]byte(strings.TrimSpace(token)))
	if err != nil {
		return nil, err
	}
	var claims map[string]any
	err = json.Unmarshal(msg.Payload(), &claims)
	return claims, err
}

// SignClaims signs a claim set with the active signing key.
func (s Ring) SignClaims(claims map[string]any) (string, error) {
	var sk world.SigningKey
	err := s.Env.Store.View(func(st *world.State) error {
		if len(st.SigningKeys) == 0 {
			return errors.New("no signing key")
		}
		sk = st.SigningKeys[len(st.SigningKeys)-1]
		return nil
	})
	if err != nil {
		return "", err
	}
	return s.signWithKey(sk, claims, nil)
}

// signWithKey signs claims with sk, RS256 with sk's kid in the header; more adds fields to it.
func (s Ring) signWithKey(sk world.SigningKey, claims map[string]any, more func(jws.Headers)) (string, error) {
	key, err := s.SigningKey(sk)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	hdr := jws.NewHeaders()
	_ = hdr.Set(jws.KeyIDKey, sk.Kid)
	if more != nil {
		more(hdr)
	}
	signed, err := jws.Sign(payload, jws.WithKey(jwa.RS256, key, jws.WithProtectedHeaders(hdr)))
	return string(signed), err
}

func (s Ring) SigningKey(sk world.SigningKey) (*rsa.PrivateKey, error) {
	s.Env.keyMu.Lock()
	defer s.Env.keyMu.Unlock()
	if k := s.Env.Keys[sk.Kid]; k != nil {
		return k, nil
	}
	k, err := jose.DecodeKeyPEM(sk.PEM)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", sk.Kid, err)
	}
	s.Env.Keys[sk.Kid] = k
	return k, nil
}

// PublicJWKs is the JWK set of the signing keys picked from the state (Maskinporten's or
// Altinn's); shape adjusts each key's JWK the way its server publishes it.
func (s Ring) PublicJWKs(pick func(*world.State) []world.SigningKey, shape func(m map[string]any, sk world.SigningKey)) ([]map[string]any, error) {
	var keys []map[string]any
	err := s.Env.Store.View(func(st *world.State) error {
		for _, sk := range pick(st) {
			priv, err := s.SigningKey(sk)
			if err != nil {
				return err
			}
			m, err := jose.PublicJWK(&priv.PublicKey, sk.Kid)
			if err != nil {
				return err
			}
			if shape != nil {
				shape(m, sk)
			}
			keys = append(keys, m)
		}
		return nil
	})
	return keys, err
}

// AltinnSigningKey returns the active Altinn signing key, creating it in a data dir seeded
// before Altinn had a key of its own.
func (s Ring) AltinnSigningKey() (world.SigningKey, error) {
	var sk world.SigningKey
	found := false
	err := s.Env.Store.View(func(st *world.State) error {
		if n := len(st.AltinnSigningKeys); n > 0 {
			sk, found = st.AltinnSigningKeys[n-1], true
		}
		return nil
	})
	if err != nil || found {
		return sk, err
	}
	fresh, err := world.NewAltinnSigningKey(s.Env.Opts.Now())
	if err != nil {
		return sk, err
	}
	err = s.Env.Store.Update(func(st *world.State) error {
		if len(st.AltinnSigningKeys) == 0 {
			st.AltinnSigningKeys = []world.SigningKey{fresh}
			st.Touch(&st.AltinnSigningKeys)
		}
		sk = st.AltinnSigningKeys[len(st.AltinnSigningKeys)-1]
		return nil
	})
	return sk, err
}

// SignAltinnClaims signs an exchanged token with the Altinn key: RS256, kid and x5t naming
// the certificate, typ JWT.
func (s Ring) SignAltinnClaims(claims map[string]any) (string, error) {
	sk, err := s.AltinnSigningKey()
	if err != nil {
		return "", err
	}
	return s.signWithKey(sk, claims, func(hdr jws.Headers) {
		_ = hdr.Set(jws.TypeKey, "JWT")
		if thumb, err := hex.DecodeString(sk.Kid); err == nil {
			_ = hdr.Set(jws.X509CertThumbprintKey, base64.RawURLEncoding.EncodeToString(thumb))
		}
	})
}

// verificationKey finds the public key for kid among the keys of one issuer.
func (s Ring) verificationKey(keys []world.SigningKey, kid string) *rsa.PublicKey {
	for _, sk := range keys {
		if sk.Kid == kid {
			if k, err := s.SigningKey(sk); err == nil {
				return &k.PublicKey
			}
		}
	}
	return nil
}

// Ring signs with the sandbox's keys and authenticates callers by their tokens (shared JOSE).
type Ring struct{ Env *Env }

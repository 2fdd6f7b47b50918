package sandbox

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"net/http"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose"

	"github.com/lestrrat-go/jwx/v2/jws"
)

// Altinn's token exchange is an issuer of its own: tokens name
// <platform>/authentication/api/v1/openid/ as iss, are signed with an Altinn certificate (not
// Maskinporten's key), and the keys are published at …/openid/.well-known/openid-configuration
// and …/openid-configuration/jwks (OpenIdController in Altinn/altinn-authentication).

// altinnOpenIDPath is the issuer's path under the Altinn platform prefix.
const altinnOpenIDPath = "authentication/api/v1/openid/"

func (s altinnTokensHost) mountAltinnOpenID(mux *http.ServeMux) {
	base := altinnPrefix + altinnOpenIDPath + ".well-known/"
	mux.HandleFunc("GET "+base+"openid-configuration", s.handleAltinnDiscovery)
	mux.HandleFunc("GET "+base+"openid-configuration/jwks", s.handleAltinnJWKS)
}

// handleAltinnDiscovery answers the discovery document with the fields Altinn sets.
func (s altinnTokensHost) handleAltinnDiscovery(w http.ResponseWriter, r *http.Request) {
	iss := altinnIssuerOf(r)
	platform := baseURL(r) + altinnPrefix
	altinnJSON(w, http.StatusOK, map[string]any{
		"issuer":                                iss,
		"jwks_uri":                              iss + ".well-known/openid-configuration/jwks",
		"authorization_endpoint":                platform + "authentication/api/v1/authorize/",
		"token_endpoint":                        platform + "authentication/api/v1/token/",
		"end_session_endpoint":                  iss + "logout/",
		"response_types_supported":              []string{"token"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
	})
}

// handleAltinnJWKS publishes the Altinn signing certificates' keys with kid = the certificate
// thumbprint and the x5c chain, as Altinn does. Altinn writes n and e in standard base64; the
// sandbox writes base64url (RFC 7518) so that standard JOSE libraries read the set.
func (s altinnTokensHost) handleAltinnJWKS(w http.ResponseWriter, r *http.Request) {
	if _, err := (joseRing{s.sb}).altinnSigningKey(); err != nil { // creates the key in an older data dir
		s.sb.internalError(w, err)
		return
	}
	var keys []map[string]any
	err := s.sb.store.view(func(st *State) error {
		for _, sk := range st.AltinnSigningKeys {
			priv, err := joseRing{s.sb}.signingKey(sk)
			if err != nil {
				return err
			}
			m, err := jose.PublicJWK(&priv.PublicKey, sk.Kid)
			if err != nil {
				return err
			}
			delete(m, "alg") // Altinn's documents carry kty, use, kid, e, n, x5c
			if der, err := certDER(sk.CertPEM); err == nil {
				m["x5c"] = []string{base64.StdEncoding.EncodeToString(der)}
			}
			keys = append(keys, m)
		}
		return nil
	})
	if err != nil {
		s.sb.internalError(w, err)
		return
	}
	altinnJSON(w, http.StatusOK, map[string]any{"keys": keys})
}

// altinnSigningKey returns the active Altinn signing key, creating it in a data dir seeded
// before Altinn had a key of its own.
func (s joseRing) altinnSigningKey() (SigningKey, error) {
	var sk SigningKey
	found := false
	err := s.sb.store.view(func(st *State) error {
		if n := len(st.AltinnSigningKeys); n > 0 {
			sk, found = st.AltinnSigningKeys[n-1], true
		}
		return nil
	})
	if err != nil || found {
		return sk, err
	}
	fresh, err := newAltinnSigningKey(s.sb.opts.Now())
	if err != nil {
		return sk, err
	}
	err = s.sb.store.update(func(st *State) error {
		if len(st.AltinnSigningKeys) == 0 {
			st.AltinnSigningKeys = []SigningKey{fresh}
		}
		sk = st.AltinnSigningKeys[len(st.AltinnSigningKeys)-1]
		return nil
	})
	return sk, err
}

// signAltinnClaims signs an exchanged token with the Altinn key: RS256, kid and x5t naming
// the certificate, typ JWT.
func (s joseRing) signAltinnClaims(claims map[string]any) (string, error) {
	sk, err := s.altinnSigningKey()
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
func (s joseRing) verificationKey(keys []SigningKey, kid string) *rsa.PublicKey {
	for _, sk := range keys {
		if sk.Kid == kid {
			if k, err := s.signingKey(sk); err == nil {
				return &k.PublicKey
			}
		}
	}
	return nil
}

package authentication

import (
	"encoding/base64"
	"net/http"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Altinn's token exchange is an issuer of its own: tokens name
// <platform>/authentication/api/v1/openid/ as iss, are signed with an Altinn certificate (not
// Maskinporten's key), and the keys are published at …/openid/.well-known/openid-configuration
// and …/openid-configuration/jwks (OpenIdController in Altinn/altinn-authentication).

// altinnOpenIDPath is the issuer's path under the Altinn platform prefix.
const altinnOpenIDPath = "authentication/api/v1/openid/"

func (s TokensHost) MountAltinnOpenID(mux *http.ServeMux) {
	base := env.AltinnPrefix + altinnOpenIDPath + ".well-known/"
	mux.HandleFunc("GET "+base+"openid-configuration", s.handleAltinnDiscovery)
	mux.HandleFunc("GET "+base+"openid-configuration/jwks", s.handleAltinnJWKS)
}

// handleAltinnDiscovery answers the discovery document with the fields Altinn sets.
func (s TokensHost) handleAltinnDiscovery(w http.ResponseWriter, r *http.Request) {
	iss := env.AltinnIssuerOf(r)
	platform := env.BaseURL(r) + env.AltinnPrefix
	env.AltinnJSON(w, http.StatusOK, map[string]any{
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
func (s TokensHost) handleAltinnJWKS(w http.ResponseWriter, r *http.Request) {
	if _, err := (env.Ring{Env: s.Env}).AltinnSigningKey(); err != nil { // creates the key in an older data dir
		s.Env.InternalError(w, err)
		return
	}
	keys, err := env.Ring{Env: s.Env}.PublicJWKs(func(st *world.State) []world.SigningKey { return st.AltinnSigningKeys },
		func(m map[string]any, sk world.SigningKey) {
			delete(m, "alg") // Altinn's documents carry kty, use, kid, e, n, x5c
			if der, err := world.CertDER(sk.CertPEM); err == nil {
				m["x5c"] = []string{base64.StdEncoding.EncodeToString(der)}
			}
		})
	if err != nil {
		s.Env.InternalError(w, err)
		return
	}
	env.AltinnJSON(w, http.StatusOK, map[string]any{"keys": keys})
}

// TokensHost is Altinn's token exchange and its OpenID metadata.
type TokensHost struct{ Base }

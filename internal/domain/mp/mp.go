// Package mp is the Maskinporten protocol vocabulary shared by the client and the sandbox:
// grant and token claim shapes, metadata, error bodies and the MP error-code catalogue.
// It holds no I/O so that both sides agree on one description of the protocol.
package mp

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

const (
	// GrantTypeJWTBearer is the only grant type Maskinporten accepts (RFC 7523).
	GrantTypeJWTBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	// RARTypeSystemUser is the authorization_details type for Altinn system users.
	RARTypeSystemUser = "urn:altinn:systemuser"
	// RARTypeConsent is the authorization_details type for Altinn consent.
	RARTypeConsent = "urn:altinn:consent"
	// AuthorityISO6523 is the authority of every org identifier in grants and tokens.
	AuthorityISO6523 = "iso6523-actorid-upis"

	// MaxGrantLifetime is the longest exp - iat Maskinporten accepts in a grant.
	MaxGrantLifetime = 120 * time.Second
	// IatLeeway is how far the grant's iat may be from Maskinporten's clock, either way.
	IatLeeway = 10 * time.Second
	// ClockWarnOffset is the local clock offset past which tools should warn.
	ClockWarnOffset = 5 * time.Second
	// KeyLifetime is how long a JWK posted to a client stays valid.
	KeyLifetime = 365 * 24 * time.Hour
	// MaxClientKeys is the most keys one client may hold.
	MaxClientKeys = 5
)

// SigningAlgs are the only grant and token signing algorithms Maskinporten uses.
var SigningAlgs = []string{"RS256", "RS384", "RS512"}

// AllowedAlg reports whether alg is one of SigningAlgs.
func AllowedAlg(alg string) bool {
	for _, a := range SigningAlgs {
		if a == alg {
			return true
		}
	}
	return false
}

// OrgID is an ISO 6523 organisation identifier as it appears in claims. Requests write the
// key as "ID"; some tokens write "id", so decoding accepts both.
type OrgID struct {
	Authority string `json:"authority"`
	ID        string `json:"ID"`
}

// UnmarshalJSON accepts both "ID" and "id".
func (o *OrgID) UnmarshalJSON(b []byte) error {
	var raw struct {
		Authority string `json:"authority"`
		Upper     string `json:"ID"`
		Lower     string `json:"id"`
	}
	// encoding/json matches keys case-insensitively, so decode via a map to tell them apart.
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for k, v := range m {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("org identifier field %q must be a string", k)
		}
		switch k {
		case "authority":
			raw.Authority = s
		case "ID":
			raw.Upper = s
		case "id":
			raw.Lower = s
		}
	}
	o.Authority = raw.Authority
	o.ID = raw.Upper
	if o.ID == "" {
		o.ID = raw.Lower
	}
	return nil
}

// OrgNo returns the organisation number part of "0192:<orgno>", or "" if the ID is not of that form.
func (o OrgID) OrgNo() string {
	if rest, ok := strings.CutPrefix(o.ID, "0192:"); ok {
		return rest
	}
	return ""
}

// NewOrgID returns the identifier for a Norwegian organisation number.
func NewOrgID(orgNo string) OrgID {
	return OrgID{Authority: AuthorityISO6523, ID: "0192:" + orgNo}
}

// SystemUserGrant is the authorization_details element a grant carries to ask for a system user.
type SystemUserGrant struct {
	Type          string `json:"type"`
	SystemUserOrg OrgID  `json:"systemuser_org"`
	ExternalRef   string `json:"externalRef,omitempty"`
}

// SystemUserToken is the authorization_details element of a system-user access token.
type SystemUserToken struct {
	Type          string   `json:"type"`
	SystemUserID  []string `json:"systemuser_id"`
	SystemUserOrg OrgID    `json:"systemuser_org"`
	SystemID      string   `json:"system_id"`
	ExternalRef   string   `json:"externalRef,omitempty"`
}

// Metadata is the RFC 8414 authorization server metadata Maskinporten publishes.
type Metadata struct {
	Issuer                                     string   `json:"issuer"`
	TokenEndpoint                              string   `json:"token_endpoint"`
	JWKSURI                                    string   `json:"jwks_uri"`
	TokenEndpointAuthMethodsSupported          []string `json:"token_endpoint_auth_methods_supported"`
	GrantTypesSupported                        []string `json:"grant_types_supported"`
	TokenEndpointAuthSigningAlgValuesSupported []string `json:"token_endpoint_auth_signing_alg_values_supported"`
	AuthorizationDetailsTypesSupported         []string `json:"authorization_details_types_supported"`
}

// WellKnownPath is the metadata path relative to the issuer.
const WellKnownPath = ".well-known/oauth-authorization-server"

// TokenResponse is the success body of the token endpoint.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope,omitempty"`
}

// ErrorBody is the error body of the token endpoint.
type ErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
	ErrorURI         string `json:"error_uri,omitempty"`
}

package mp

import "time"

// The shapes of Digdir's self-service API for Maskinporten clients, shared by the client and
// the sandbox.

// ClientFields are a client's writable fields (the body of create and full update).
type ClientFields struct {
	ClientName              string   `json:"client_name"`
	Description             string   `json:"description"`
	IntegrationType         string   `json:"integration_type"`
	ApplicationType         string   `json:"application_type"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	GrantTypes              []string `json:"grant_types"`
	Scopes                  []string `json:"scopes"`
	AccessTokenLifetime     int      `json:"access_token_lifetime,omitempty"`
	// ClientOrgNo may only be set by suppliers (scope idporten:dcr.supplier).
	ClientOrgNo string `json:"client_orgno,omitempty"`
}

// NewMaskinportenClient is the body for a new Maskinporten integration: web, private_key_jwt
// and the JWT-bearer grant are the only values Maskinporten accepts.
func NewMaskinportenClient(name, description string, scopes []string) ClientFields {
	return ClientFields{
		ClientName: name, Description: description, IntegrationType: "maskinporten",
		ApplicationType: "web", TokenEndpointAuthMethod: "private_key_jwt",
		GrantTypes: []string{GrantTypeJWTBearer}, Scopes: scopes,
	}
}

// Client is a client as the API returns it.
type Client struct {
	ClientFields
	ClientID      string `json:"client_id"`
	SupplierOrgNo string `json:"supplier_orgno,omitempty"`
	Active        bool   `json:"active"`
	Created       string `json:"created"`
	LastUpdated   string `json:"last_updated"`
	JWKSURI       string `json:"jwks_uri"`
}

// RegisteredKey is a key on a client as GET …/jwks returns it: the public JWK plus its expiry.
type RegisteredKey struct {
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Exp int64  `json:"exp"`
}

// Expires returns when the key stops working (MP-121 after that).
func (k RegisteredKey) Expires() time.Time { return time.Unix(k.Exp, 0) }

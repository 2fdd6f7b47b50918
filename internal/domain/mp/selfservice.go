package mp

import (
	"strings"
	"time"
)

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

// Where the client collection hangs below the self-service host. Digdir's API release of
// 2025-05-22 moved it from /clients to /api/v1/clients (test https://api.test.samarbeid.digdir.no,
// prod https://api.samarbeid.digdir.no): oslokommune/okdata-maskinporten-api commit e12da91
// "Update to 2025-05-22 version of Digdir's API" changed its endpoints to …/api/v1/clients and
// kept no fallback, and Digdir's self-service API page (felleslosninger/docs,
// maskinporten_sjolvbetjening_api) documents only the new base.
const (
	SelfServiceClientsPath       = "api/v1/clients"
	SelfServiceLegacyClientsPath = "clients"
)

// SelfServiceCurrentBase turns a self-service URL from before 2025-05-22 (a host, or its
// …/clients collection) into the current client collection URL on the same host.
func SelfServiceCurrentBase(u string) string {
	u = strings.TrimRight(u, "/")
	if strings.HasSuffix(u, "/"+SelfServiceClientsPath) {
		return u
	}
	return strings.TrimSuffix(u, "/"+SelfServiceLegacyClientsPath) + "/" + SelfServiceClientsPath
}

// SelfServiceCode is an error code Digdir's self-service API answers with (its "error").
type SelfServiceCode string

// Self-service codes the catalogue explains.
const (
	// SSPreconditionRequired (HTTP 428) on client creation: the organisation has not signed
	// the terms of use (WEN olefredrik/Wenche#49: "PRECONDITION_REQUIRED: Virksomheten har
	// ikke signert de relevante bruksvilkårene").
	SSPreconditionRequired SelfServiceCode = "PRECONDITION_REQUIRED"
	// SSNoSelfServiceRight (HTTP 403): the caller may not administer Maskinporten clients
	// for the organisation (token without the idporten:dcr scopes, or no self-service right).
	SSNoSelfServiceRight SelfServiceCode = "insufficient_scope"
	// SSMovedPath (HTTP 404): the pre-2025-05-22 /clients path.
	SSMovedPath SelfServiceCode = "not_found"
)

// SelfServiceTermsText is what Digdir says when the terms are not signed.
const SelfServiceTermsText = "Virksomheten har ikke signert de relevante bruksvilkårene"

// SelfServiceProblem is one self-service refusal explained.
type SelfServiceProblem struct {
	Code    SelfServiceCode
	Status  int
	Text    string
	Meaning string
	Fixes   []string
}

var selfServiceProblems = []SelfServiceProblem{
	{Code: SSPreconditionRequired, Status: 428, Text: SelfServiceTermsText,
		Meaning: "Your organisation is not yet a Maskinporten consumer: it has not signed Digdir's terms of use (bruksvilkår), so no client can be created for it.",
		Fixes: []string{
			"Send Digdir's information form for Maskinporten (\"Kom i gang med Maskinporten\" at samarbeid.digdir.no) for your organisation, then wait for Digdir's answer.",
			"When Digdir has set it up, someone who may sign for the organisation accepts the terms of use (bruksvilkår) in Samarbeidsportalen; then create the client again.",
		}},
	{Code: SSNoSelfServiceRight, Status: 403, Text: "The token lacks a self-service scope, or the person lacks the self-service right",
		Meaning: "The caller may not administer Maskinporten clients for this organisation.",
		Fixes: []string{
			"API: the admin client's token needs idporten:dcr.read, idporten:dcr.write and idporten:dcr.modify; add them to the admin client (ask servicedesk@digdir.no if they are not offered).",
			"Samarbeidsportalen (\"Ny integrasjon\" missing, no scopes shown): the organisation's Hovedadministrator delegates the access package «Maskinporten administrator» to you in Altinn; log in again afterwards.",
		}},
	{Code: SSMovedPath, Status: 404, Text: "No such path",
		Meaning: "Either the client id does not exist for your organisation, or the URL is the self-service API's old base (/clients), which Digdir replaced with /api/v1/clients on 2025-05-22.",
		Fixes: []string{
			"Check the client id and the environment (test and production have different clients).",
			"If urls.selfservice in your profile ends in /clients without /api/v1/, insert it (…/api/v1/clients on the same host), or remove the override: the built-in test and prod profiles use the current base.",
		}},
}

// SelfServiceProblems lists the self-service catalogue.
func SelfServiceProblems() []SelfServiceProblem {
	return append([]SelfServiceProblem(nil), selfServiceProblems...)
}

// SelfServiceProblemFor finds the entry for an error code, case-insensitively, or by status
// when the code is empty.
func SelfServiceProblemFor(code string, status int) (SelfServiceProblem, bool) {
	for _, p := range selfServiceProblems {
		if (code != "" && strings.EqualFold(string(p.Code), code)) || (code == "" && status != 0 && p.Status == status) {
			return p, true
		}
	}
	return SelfServiceProblem{}, false
}

package world

import (
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
)

// State is everything the sandbox remembers. Each field is persisted in its own table of the
// sandbox database, named by its store tag (see store.go for how to add one).
type State struct {
	Version int `json:"version" store:"meta"`
	// SigningKeys are the Maskinporten token signing keys; the last is active, earlier ones stay
	// published in the JWKS during a rollover.
	SigningKeys []SigningKey `json:"signing_keys" store:"signing_keys"`
	// AltinnSigningKeys sign the Altinn token exchange's tokens (its own issuer and JWKS);
	// the last is active.
	AltinnSigningKeys []SigningKey `json:"altinn_signing_keys,omitempty" store:"altinn_signing_keys"`
	// Orgs is the Enhetsregisteret stand-in.
	Orgs map[string]Org `json:"orgs" store:"orgs"`
	// Clients are Maskinporten clients (integrations) by client_id.
	Clients map[string]*MPClient `json:"clients" store:"clients"`
	// Scopes is the scope registry, by scope name.
	Scopes map[string]*Scope `json:"scopes" store:"scopes"`
	// Delegations lists consumer_org delegations: consumer org -> supplier org -> scopes.
	Delegations map[string]map[string][]string `json:"delegations,omitempty" store:"delegations"`
	// CA is the sandbox's stand-in for the business-certificate issuers (Buypass/Commfides).
	CA *CA `json:"ca,omitempty" store:"meta"`
	// Systems is Altinn's system register, by system id (deleted ones stay, reserved).
	Systems map[string]*System `json:"systems" store:"systems"`
	// Requests are system-user requests, by id.
	Requests map[string]*Request `json:"requests" store:"requests"`
	// SystemUsers are approved system users, by id.
	SystemUsers map[string]*SystemUser `json:"system_users" store:"system_users"`
	// ChangeRequests are change requests for standard system users, by id (the vendor's
	// correlation-id).
	ChangeRequests map[string]*ChangeRequest `json:"change_requests" store:"change_requests"`
	// ClientDelegations are the clients a facilitator added to its agent system users, by
	// "<system user id>/<client orgno>".
	ClientDelegations map[string]*ClientDelegation `json:"client_delegations" store:"client_delegations"`
	// SystemChangeLog is the system register's change log, by entry id.
	SystemChangeLog map[string]*SystemChange `json:"system_change_log" store:"system_change_log"`
	// OrgRoles are Enhetsregisteret roles between organisations, by the organisation that has
	// the role (the client): e.g. REGN held by its accounting firm.
	OrgRoles map[string][]OrgRole `json:"org_roles" store:"org_roles"`
	// Resources is the Resource Registry stand-in: resource id -> resource type.
	Resources map[string]string `json:"resources" store:"resources"`
	// ResourceTitles are the resources' display titles, by resource id.
	ResourceTitles map[string]string `json:"resource_titles,omitempty" store:"resource_titles"`
	// Seq orders requests and system users the way the server's sequence numbers do.
	Seq int64 `json:"seq" store:"meta"`
	// Faults are the fault-injection rules, by id (applied in Seq order).
	Faults map[string]*Fault `json:"faults,omitempty" store:"faults"`
	// Bootstrap remembers what the first start created, to write configs from.
	Bootstrap *Bootstrap `json:"bootstrap,omitempty" store:"meta"`

	// touched collects what the running update changed (see Touch); nil outside updates.
	touched *touches
}

// newState is an empty world, as an empty database holds it: the seed fills it, once.
func newState() *State {
	s := &State{}
	s.fill()
	return s
}

// fill makes nil maps empty after decoding an older or partial file.
func (s *State) fill() {
	if s.Orgs == nil {
		s.Orgs = map[string]Org{}
	}
	if s.Clients == nil {
		s.Clients = map[string]*MPClient{}
	}
	if s.Scopes == nil {
		s.Scopes = map[string]*Scope{}
	}
	if s.Systems == nil {
		s.Systems = map[string]*System{}
	}
	if s.Requests == nil {
		s.Requests = map[string]*Request{}
	}
	if s.Resources == nil {
		s.Resources = map[string]string{}
	}
	if s.SystemUsers == nil {
		s.SystemUsers = map[string]*SystemUser{}
	}
	if s.Delegations == nil {
		s.Delegations = map[string]map[string][]string{}
	}
	if s.ChangeRequests == nil {
		s.ChangeRequests = map[string]*ChangeRequest{}
	}
	if s.SystemChangeLog == nil {
		s.SystemChangeLog = map[string]*SystemChange{}
	}
	if s.ClientDelegations == nil {
		s.ClientDelegations = map[string]*ClientDelegation{}
	}
	if s.OrgRoles == nil {
		s.OrgRoles = map[string][]OrgRole{}
	}
}

func (s *State) NextSeq() int64 {
	s.Seq++
	s.Touch(&s.Seq)
	return s.Seq
}

// SigningKey is one of the sandbox Maskinporten's token signing keys.
type SigningKey struct {
	Kid     string    `json:"kid"`
	PEM     string    `json:"pem"`
	Created time.Time `json:"created"`
	// CertPEM is the key's certificate, for keys published with x5c (Altinn's).
	CertPEM string `json:"cert_pem,omitempty"`
}

// Org is a registered organisation.
type Org struct {
	OrgNo string `json:"orgno"`
	Name  string `json:"name"`
	// TermsUnsigned marks an organisation that has not signed Digdir's terms of use
	// (bruksvilkår): the self-service API answers 428 PRECONDITION_REQUIRED to client creation.
	TermsUnsigned bool `json:"terms_unsigned,omitempty"`
}

// MPClient is a Maskinporten client as the self-service API describes it: its writable
// fields as the API's body has them (mp.ClientFields), and what the API sets.
type MPClient struct {
	mp.ClientFields
	ClientID      string      `json:"client_id"`
	SupplierOrgNo string      `json:"supplier_orgno,omitempty"`
	Active        bool        `json:"active"`
	Created       time.Time   `json:"created"`
	LastUpdated   time.Time   `json:"last_updated"`
	JWKs          []StoredJWK `json:"jwks,omitempty"`
}

// StoredJWK is a public key registered on a client, with its one-year expiry.
type StoredJWK struct {
	JWK         map[string]any `json:"jwk"`
	Exp         time.Time      `json:"exp"`
	Created     time.Time      `json:"created"`
	LastUpdated time.Time      `json:"last_updated"`
}

// Kid returns the key's kid.
func (k StoredJWK) Kid() string { s, _ := k.JWK["kid"].(string); return s }

// Scope is an API scope in the registry.
type Scope struct {
	Name string `json:"name"`
	// IntegrationTypes the scope may be used with ("maskinporten", "idporten", …).
	IntegrationTypes []string `json:"integration_types"`
	// AccessAll means every organisation may use it; otherwise Access lists the orgs.
	AccessAll bool     `json:"access_all"`
	Access    []string `json:"access,omitempty"`
	// AtMaxAge caps the token lifetime in seconds (0: no cap).
	AtMaxAge int `json:"at_max_age,omitempty"`
	// Delegable scopes may be delegated in Altinn (consumer_org).
	Delegable bool `json:"delegable,omitempty"`
}

func (s *Scope) Allows(org string) bool {
	if s.AccessAll {
		return true
	}
	for _, o := range s.Access {
		if o == org {
			return true
		}
	}
	return false
}

func (s *Scope) AllowsIntegration(t string) bool {
	for _, it := range s.IntegrationTypes {
		if it == t {
			return true
		}
	}
	return false
}

// Bootstrap records the vendor identity created on first start.
type Bootstrap struct {
	VendorOrg     string   `json:"vendor_org"`
	ClientID      string   `json:"client_id"`
	Kid           string   `json:"kid"`
	KeyFile       string   `json:"key_file"`
	Scopes        []string `json:"scopes"`
	AdminClientID string   `json:"admin_client_id"`
	AdminKid      string   `json:"admin_kid"`
	AdminKeyFile  string   `json:"admin_key_file"`
	AdminScopes   []string `json:"admin_scopes"`
}

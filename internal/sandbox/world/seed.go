package world

import (
	"crypto/rsa"
	"fmt"
	"path/filepath"
	"time"

	"github.com/google/uuid"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/safefile"
)

// DefaultVendorOrg is the vendor the sandbox creates on first start: the org number of the
// seed page's example system.
const DefaultVendorOrg = "974761076"

// Scope names the sandbox seeds. Skatteetaten's scopes are samples of the real ones.
const (
	ScopeSystemRegisterWrite = "altinn:authentication/systemregister.write"
	ScopeRequestRead         = "altinn:authentication/systemuser.request.read"
	ScopeRequestWrite        = "altinn:authentication/systemuser.request.write"
	ScopeDialogporten        = "digdir:dialogporten"
	ScopeSkeBoligselskap     = "skatteetaten:innrapporteringboligselskap"
	ScopeSkeAksjonaer        = "skatteetaten:innrapporteringaksjonaerregisteroppgave"
	ScopeDCRRead             = "idporten:dcr.read"
	ScopeDCRWrite            = "idporten:dcr.write"
	ScopeDCRModify           = "idporten:dcr.modify"
	// ScopeSkeRestricted is a Skatteetaten scope no organisation has been granted (MP-250).
	ScopeSkeRestricted = "skatteetaten:restricted-sample"
	// ScopeOpenID belongs to ID-porten logins, not Maskinporten (MP-201).
	ScopeOpenID = "openid"
)

// VendorScopes are the scopes a vendor's integration needs for the whole onboarding.
var VendorScopes = []string{ScopeSystemRegisterWrite, ScopeRequestRead, ScopeRequestWrite, ScopeDialogporten, ScopeSkeBoligselskap, ScopeSkeAksjonaer}

// AdminScopes are the self-service API scopes of the vendor's admin client.
var AdminScopes = []string{ScopeDCRRead, ScopeDCRWrite, ScopeDCRModify}

// SeedOrgs is the Enhetsregisteret stand-in: synthetic organisations in the style of Tenor's
// test data. All numbers pass the MOD11 check.
var SeedOrgs = []Org{
	{OrgNo: DefaultVendorOrg, Name: "Sandkasse Systemleverandør AS"},
	{OrgNo: "313367002", Name: "Lystig Ærlig Tiger AS"},
	{OrgNo: "311000004", Name: "Rask Regnskap AS"},
	{OrgNo: "312000008", Name: "Fjellvåken Borettslag"},
	{OrgNo: "313000001", Name: "Kvikk Kald Katt AS"},
	{OrgNo: "314000005", Name: "Modig Mild Elg AS"},
	{OrgNo: "910000004", Name: "Snill Sky Revisjon AS"},
}

func seedScopes() map[string]*Scope {
	mpOnly := []string{"maskinporten"}
	scopes := map[string]*Scope{}
	add := func(s *Scope) { scopes[s.Name] = s }
	for _, n := range []string{ScopeSystemRegisterWrite, ScopeRequestRead, ScopeRequestWrite, ScopeDialogporten} {
		add(&Scope{Name: n, IntegrationTypes: mpOnly, AccessAll: true})
	}
	add(&Scope{Name: ScopeSkeBoligselskap, IntegrationTypes: mpOnly, AccessAll: true, Delegable: true})
	add(&Scope{Name: ScopeSkeAksjonaer, IntegrationTypes: mpOnly, AccessAll: true, Delegable: true})
	add(&Scope{Name: ScopeSkeRestricted, IntegrationTypes: mpOnly})
	add(&Scope{Name: ScopeOpenID, IntegrationTypes: []string{"idporten", "ansattporten"}, AccessAll: true})
	for _, n := range AdminScopes {
		add(&Scope{Name: n, IntegrationTypes: mpOnly, AccessAll: true})
	}
	add(&Scope{Name: "altinn:maskinporten/systemuser.read", IntegrationTypes: mpOnly})
	return scopes
}

// StateVersion is the world's layout version: seed writes it, and upgrade brings a sandbox
// seeded by an earlier sbs-tui to it, once.
const StateVersion = 2

// Upgrade brings a world seeded at an earlier stateVersion to this one. Version 1 lacked the
// client relations and the Altinn-app scopes on the vendor's client (a sandbox that had them
// already keeps what it has: a deleted relation stays deleted).
func Upgrade(st *State) error {
	if st.Version < 2 {
		if len(st.OrgRoles) == 0 {
			st.OrgRoles = defaultOrgRoles()
		}
		grantAppScopes(st)
	}
	st.Version = StateVersion
	return nil
}

// Seed fills an empty state: orgs, scopes, a signing key, the CA, and the vendor's two clients
// with keys written to dir. It returns an error only for I/O and key generation failures.
func Seed(st *State, dir, vendorOrg string, now time.Time, newKeys func(n int) ([]*rsa.PrivateKey, error)) error {
	st.Version = StateVersion
	for _, o := range SeedOrgs {
		st.Orgs[o.OrgNo] = o
	}
	if _, ok := st.Orgs[vendorOrg]; !ok {
		st.Orgs[vendorOrg] = Org{OrgNo: vendorOrg, Name: "Sandkasse Leverandør " + vendorOrg}
	}
	st.Scopes = seedScopes()
	for id, typ := range seedResources {
		st.Resources[id] = typ
	}
	st.OrgRoles = defaultOrgRoles()
	seedDocumented(st)
	// The four keys are generated at once (≈ 100 ms each); the business-certificate CA only
	// when a certificate is first issued.
	if newKeys == nil {
		newKeys = newRSAKeys
	}
	keys, err := newKeys(4)
	if err != nil {
		return fmt.Errorf("generate the sandbox's keys: %w", err)
	}
	addSigningKey(st, keys[0], now)
	ak, err := altinnSigningKey(keys[3], now)
	if err != nil {
		return fmt.Errorf("generate the sandbox's keys: %w", err)
	}
	st.AltinnSigningKeys = []SigningKey{ak}

	b := &Bootstrap{VendorOrg: vendorOrg, Scopes: VendorScopes, AdminScopes: AdminScopes}
	var errs error
	b.ClientID, b.Kid, b.KeyFile, errs = seedClient(st, dir, vendorOrg, "vendor", "SBS integration (sandbox)", vendorClientScopes(), keys[1], now)
	if errs != nil {
		return errs
	}
	b.AdminClientID, b.AdminKid, b.AdminKeyFile, errs = seedClient(st, dir, vendorOrg, "admin", "Self-service admin client (sandbox)", AdminScopes, keys[2], now)
	if errs != nil {
		return errs
	}
	st.Bootstrap = b
	return nil
}

func seedClient(st *State, dir, org, name, title string, scopes []string, key *rsa.PrivateKey, now time.Time) (clientID, kid, keyFile string, err error) {
	kid = fmt.Sprintf("sandbox-%s-%s", name, uuid.NewString()[:8])
	pub, err := publicJWK(&key.PublicKey, kid)
	if err != nil {
		return "", "", "", err
	}
	keyFile = filepath.Join(dir, name+"-key.pem")
	if err := safefile.Write(keyFile, []byte(encodeKeyPEM(key)), 0o600); err != nil {
		return "", "", "", err
	}
	c := NewMaskinportenClient(org, title, "Created by the sandbox on first start", scopes, now)
	c.JWKs = []StoredJWK{{JWK: pub, Exp: now.Add(mp.KeyLifetime), Created: now, LastUpdated: now}}
	st.Clients[c.ClientID] = c
	return c.ClientID, kid, keyFile, nil
}

func NewMaskinportenClient(org, name, description string, scopes []string, now time.Time) *MPClient {
	c := &MPClient{ClientFields: mp.NewMaskinportenClient(name, description, append([]string(nil), scopes...)),
		ClientID: uuid.NewString(), Active: true, Created: now, LastUpdated: now}
	c.ClientOrgNo = org
	return c
}

// RotateSigningKey adds a new active signing key and keeps only the previous one beside it,
// so tokens signed just before a rotation still verify.
func RotateSigningKey(st *State, now time.Time) error {
	key, err := newRSAKey()
	if err != nil {
		return fmt.Errorf("generate signing key: %w", err)
	}
	addSigningKey(st, key, now)
	return nil
}

func addSigningKey(st *State, key *rsa.PrivateKey, now time.Time) {
	st.SigningKeys = append(st.SigningKeys, SigningKey{Kid: thumbprintKid(&key.PublicKey), PEM: encodeKeyPEM(key), Created: now})
	if n := len(st.SigningKeys); n > 2 {
		st.SigningKeys = st.SigningKeys[n-2:]
	}
	st.Touch(&st.SigningKeys)
}

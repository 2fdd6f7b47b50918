package authentication

import (
	"net/http"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/refusal"
)

func (s SystemUsersHost) MountSystemUsers(mux *http.ServeMux) {
	base := env.AltinnPrefix + "authentication/api/v1/systemuser/"
	// The surprising scopes are the server's: listing needs systemregister.write, the byquery
	// GET needs request.write.
	mux.HandleFunc("GET "+base+"vendor/bysystem/{systemId}", s.altinnAuth([]string{world.ScopeSystemRegisterWrite, ScopeSystemRegisterAdmin}, s.listSystemUsers))
	mux.HandleFunc("GET "+base+"vendor/byquery", s.altinnAuth([]string{world.ScopeRequestWrite}, s.systemUserByQuery))
	mux.HandleFunc("GET "+base+"byExternalId", s.altinnAuth([]string{"altinn:maskinporten/systemuser.read"}, s.systemUserByExternalID))
}

func (s SystemUsersHost) systemUserDTO(st *world.State, su *world.SystemUser) altinn.SystemUser {
	sys := st.Systems[su.SystemID]
	typ := "standard"
	if su.Agent {
		typ = "agent"
	}
	// productName and supplierName stay "": the repository never reads them
	// (SystemUserRepository.cs:392-416, ConvertFromReaderToSystemUser); only byExternalId fills
	// productName (SystemUserController.cs:182).
	dto := altinn.SystemUser{ID: su.ID, IntegrationTitle: su.IntegrationTitle, SystemID: su.SystemID,
		ReporteeOrgNo: su.OwnerOrg, Created: pgTime(su.Created), ExternalRef: su.ExternalRef, UserType: typ}
	if sys != nil {
		dto.SupplierOrgno = sys.VendorOrg
	}
	return dto
}

func (s SystemUsersHost) listSystemUsers(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	sysID := r.PathValue("systemId")
	if c.OrgNo == "" { // Unauthorized() (SystemUserController.cs:292-294)
		s.writeStatusProblem(w, http.StatusUnauthorized)
		return
	}
	owned := false
	var items []altinn.SystemUser
	seqs := map[string]int64{}
	_ = s.Env.Store.View(func(st *world.State) error {
		// Deleted systems still list, and the admin scope does not bypass the vendor check
		// (SystemUserService.cs:292-301).
		sys := st.Systems[sysID]
		owned = sys != nil && sys.VendorOrg == c.OrgNo
		if !owned {
			return nil
		}
		for _, su := range st.SystemUsers {
			if su.SystemID == sysID && !su.Deleted {
				items = append(items, s.systemUserDTO(st, su))
				seqs[su.ID] = su.Seq
			}
		}
		return nil
	})
	if !owned {
		s.writeProblem(w, altinn.CodeSystemNotFound, nil)
		return
	}
	env.AltinnJSON(w, http.StatusOK, paginate(r, items, func(u altinn.SystemUser) int64 { return seqs[u.ID] }))
}

func (s SystemUsersHost) systemUserByQuery(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	if c.OrgNo == "" { // Unauthorized() (SystemUserController.cs:253-256)
		s.writeStatusProblem(w, http.StatusUnauthorized)
		return
	}
	q := r.URL.Query()
	sysID, org, ref := q.Get("system-id"), q.Get("orgno"), q.Get("external-ref")
	if ref == "" {
		ref = org
	}
	var dto *altinn.SystemUser
	_ = s.Env.Store.View(func(st *world.State) error {
		sys := st.Systems[sysID]
		if sys == nil || sys.VendorOrg != c.OrgNo {
			return nil
		}
		if su := world.ActiveSystemUser(st, sysID, org, ref); su != nil {
			d := s.systemUserDTO(st, su)
			dto = &d
		}
		return nil
	})
	s.writeSystemUser(w, dto)
}

// writeSystemUser answers with the system user found, or NotFound()
// (SystemUserController.cs:179,274).
func (s SystemUsersHost) writeSystemUser(w http.ResponseWriter, dto *altinn.SystemUser) {
	if dto == nil {
		s.writeStatusProblem(w, http.StatusNotFound)
		return
	}
	env.AltinnJSON(w, http.StatusOK, dto)
}

// systemUserByExternalID is what Maskinporten calls to resolve a system-user grant
// (SystemUserController.CheckIfPartyHasIntegration, SystemUserController.cs:149-185): clientId,
// systemProviderOrgNo and systemUserOwnerOrgNo are required (400), externalRef defaults to the
// owner; the answer is the whole SystemUserExternalDTO with productName = systemId.
func (s SystemUsersHost) systemUserByExternalID(w http.ResponseWriter, r *http.Request, _ *env.Caller) {
	q := r.URL.Query()
	if q.Get("clientId") == "" || q.Get("systemProviderOrgNo") == "" || q.Get("systemUserOwnerOrgNo") == "" {
		s.writeStatusProblem(w, http.StatusBadRequest)
		return
	}
	var dto *altinn.SystemUser
	_ = s.Env.Store.View(func(st *world.State) error {
		found, ok := world.LookupSystemUsers(st, q.Get("clientId"), q.Get("systemProviderOrgNo"), q.Get("systemUserOwnerOrgNo"), q.Get("externalRef"))
		if ok {
			if su := st.SystemUsers[found.SystemUserID[0]]; su != nil {
				d := s.systemUserDTO(st, su)
				d.ProductName = d.SystemID
				dto = &d
			}
		}
		return nil
	})
	s.writeSystemUser(w, dto)
}

func (s RegisterHost) MountAccessPackages(mux *http.ServeMux) {
	base := env.AltinnPrefix + "accessmanagement/api/v1/meta/info/accesspackages/"
	// The metadata API needs no authentication.
	mux.HandleFunc("GET "+base+"export", func(w http.ResponseWriter, r *http.Request) {
		env.AltinnJSON(w, http.StatusOK, s.Env.Catalog.Export())
	})
	mux.HandleFunc("GET "+base+"package/urn/{urn}", func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.Env.Catalog.Lookup(r.PathValue("urn"))
		if !ok {
			env.WriteEmpty(w, http.StatusNotFound)
			return
		}
		env.AltinnJSON(w, http.StatusOK, accesspackages.ExportPackage{ID: p.Code, Name: p.Label(), URN: p.URN, IsDelegable: p.IsDelegable, IsAssignable: p.IsAssignable})
	})
}

// AltinnTokenLifetime is JwtValidityMinutes' default.
const AltinnTokenLifetime = 30 * time.Minute

func (s TokensHost) MountExchange(mux *http.ServeMux) {
	mux.HandleFunc("GET "+env.AltinnPrefix+"authentication/api/v1/exchange/{provider}", s.exchange)
}

// exchange trades a Maskinporten token for an Altinn token: claims copied except aud, iss,
// client_amr and sid; Altinn's own claims added; plain-text body.
func (s TokensHost) exchange(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Altinn-EnterpriseUser-Authentication") != "" {
		s.render(w, refusal.StatusDetail(http.StatusGone, "Enterprise user authentication has been discontinued."))
		return
	}
	if !strings.EqualFold(r.PathValue("provider"), "maskinporten") {
		env.WriteText(w, http.StatusBadRequest, "Invalid token provider")
		return
	}
	c := env.Ring{Env: s.Env}.Authenticate(r, false)
	if c == nil {
		env.WriteEmpty(w, http.StatusUnauthorized)
		return
	}
	claims, err := env.Ring{Env: s.Env}.BearerClaims(r)
	if err != nil {
		env.WriteEmpty(w, http.StatusUnauthorized)
		return
	}
	for _, k := range []string{"aud", "iss", "client_amr", "sid"} {
		delete(claims, k)
	}
	now := s.Env.Opts.Now().Truncate(time.Second)
	claims["iss"] = env.AltinnIssuerOf(r)
	claims["sid"] = jose.RandomHex(16)
	claims["iat"] = now.Unix()
	claims["nbf"] = now.Unix()
	claims["exp"] = now.Add(AltinnTokenLifetime).Unix()
	claims["urn:altinn:orgNumber"] = c.OrgNo
	claims["urn:altinn:authenticatemethod"] = "maskinporten"
	claims["urn:altinn:authlevel"] = 3
	tok, err := env.Ring{Env: s.Env}.SignAltinnClaims(claims)
	if err != nil {
		s.Env.InternalError(w, err)
		return
	}
	env.WriteText(w, http.StatusOK, tok)
}

// SystemUsersHost is the vendor's system-user lookups.
type SystemUsersHost struct{ Base }

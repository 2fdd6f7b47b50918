package world

import (
	"slices"
	"sort"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
)

// System is a system in Altinn's system register.
type System struct {
	ID                  string              `json:"id"`
	InternalID          string              `json:"internal_id"`
	VendorOrg           string              `json:"vendor_org"`
	Name                map[string]string   `json:"name"`
	Description         map[string]string   `json:"description"`
	Rights              []altinn.Right      `json:"rights"`
	AccessPackages      []altinn.PackageRef `json:"access_packages"`
	ClientIDs           []string            `json:"client_ids"`
	IsVisible           bool                `json:"is_visible"`
	AllowedRedirectURLs []string            `json:"allowed_redirect_urls"`
	Deleted             bool                `json:"deleted,omitempty"`
	Created             time.Time           `json:"created"`
}

// Request is a system-user request.
type Request struct {
	ID               string              `json:"id"`
	Agent            bool                `json:"agent"`
	SystemID         string              `json:"system_id"`
	VendorOrg        string              `json:"vendor_org"`
	PartyOrgNo       string              `json:"party_orgno"`
	ExternalRef      string              `json:"external_ref"`
	IntegrationTitle string              `json:"integration_title"`
	Rights           []altinn.Right      `json:"rights"`
	AccessPackages   []altinn.PackageRef `json:"access_packages"`
	Status           string              `json:"status"`
	RedirectURL      string              `json:"redirect_url,omitempty"`
	Escalated        bool                `json:"escalated,omitempty"`
	Created          time.Time           `json:"created"`
	Deleted          bool                `json:"deleted,omitempty"`
	Seq              int64               `json:"seq"`
}

// SystemUser is an approved system user; its id is the approved request's id.
type SystemUser struct {
	ID               string    `json:"id"`
	SystemID         string    `json:"system_id"`
	OwnerOrg         string    `json:"owner_org"`
	ExternalRef      string    `json:"external_ref"`
	IntegrationTitle string    `json:"integration_title"`
	Agent            bool      `json:"agent"`
	Created          time.Time `json:"created"`
	Deleted          bool      `json:"deleted,omitempty"`
	Seq              int64     `json:"seq"`
	// Rights and AccessPackages are what the customer delegated to the system user: the
	// approved request's, changed by approved change requests.
	Rights         []altinn.Right      `json:"rights,omitempty"`
	AccessPackages []altinn.PackageRef `json:"access_packages,omitempty"`
}

// ChangeRequest asks the customer to change a standard system user's rights and packages.
type ChangeRequest struct {
	ID                     string              `json:"id"`
	SystemUserID           string              `json:"system_user_id"`
	SystemID               string              `json:"system_id"`
	VendorOrg              string              `json:"vendor_org"`
	PartyOrgNo             string              `json:"party_orgno"`
	ExternalRef            string              `json:"external_ref"`
	RequiredRights         []altinn.Right      `json:"required_rights"`
	UnwantedRights         []altinn.Right      `json:"unwanted_rights"`
	RequiredAccessPackages []altinn.PackageRef `json:"required_access_packages"`
	UnwantedAccessPackages []altinn.PackageRef `json:"unwanted_access_packages"`
	Status                 string              `json:"status"`
	RedirectURL            string              `json:"redirect_url,omitempty"`
	Created                time.Time           `json:"created"`
	Deleted                bool                `json:"deleted,omitempty"`
	Seq                    int64               `json:"seq"`
}

// ClientDelegation is one client a facilitator added to an agent system user.
type ClientDelegation struct {
	AgentID     string    `json:"agent_id"`
	ClientOrgNo string    `json:"client_orgno"`
	Facilitator string    `json:"facilitator"`
	Packages    []string  `json:"packages"`
	Created     time.Time `json:"created"`
}

// OrgRole is an Enhetsregisteret role: Holder has role Role for the organisation it is stored
// under (REGN: accountant, REVI: auditor, FFOR: business manager).
type OrgRole struct {
	Role   string `json:"role"`
	Holder string `json:"holder"`
}

// LookupSystemUsers is Maskinporten's call to Altinn's byExternalId: the system users of a
// system that lists clientID, whose vendor is vendorOrg, owned by ownerOrg, with externalRef
// (defaulting to ownerOrg). ok is false when none matches (MP-303).
func LookupSystemUsers(st *State, clientID, vendorOrg, ownerOrg, externalRef string) (mp.SystemUserToken, bool) {
	if externalRef == "" {
		externalRef = ownerOrg
	}
	var systemIDs []string
	for _, sys := range st.Systems {
		if !sys.Deleted && sys.VendorOrg == vendorOrg && slices.Contains(sys.ClientIDs, clientID) {
			systemIDs = append(systemIDs, sys.ID)
		}
	}
	sort.Strings(systemIDs)
	for _, sysID := range systemIDs {
		var ids []string
		for _, su := range st.SystemUsers {
			if !su.Deleted && su.SystemID == sysID && su.OwnerOrg == ownerOrg && su.ExternalRef == externalRef {
				ids = append(ids, su.ID)
			}
		}
		if len(ids) > 0 {
			sort.Strings(ids)
			return mp.SystemUserToken{
				Type:          mp.RARTypeSystemUser,
				SystemUserID:  ids,
				SystemUserOrg: mp.NewOrgID(ownerOrg),
				SystemID:      sysID,
			}, true
		}
	}
	return mp.SystemUserToken{}, false
}

// ActiveSystemUser finds the system user of a (system, owner, externalRef) triple.
func ActiveSystemUser(st *State, systemID, owner, ref string) *SystemUser {
	for _, su := range st.SystemUsers {
		if !su.Deleted && su.SystemID == systemID && su.OwnerOrg == owner && su.ExternalRef == ref {
			return su
		}
	}
	return nil
}

// RegistryView answers the validation rules' questions from the state.
type RegistryView struct{ State *State }

func (r RegistryView) SystemExists(id string) bool { _, ok := r.State.Systems[id]; return ok }

func (r RegistryView) ClientIDOwner(clientID string) (string, bool) {
	for _, s := range r.State.Systems {
		if !s.Deleted && slices.Contains(s.ClientIDs, clientID) {
			return s.ID, true
		}
	}
	return "", false
}

func (r RegistryView) Resource(id string) (string, bool) {
	t, ok := r.State.Resources[id]
	return t, ok
}

// seedResources is the Resource Registry stand-in: Skatteetaten's single-right resources and
// one of a type that cannot be delegated to system users.
var seedResources = map[string]string{
	"ske-innrapportering-boligselskap":               "GenericAccessResource",
	"ske-innrapportering-amelding":                   "GenericAccessResource",
	"ske-innrapportering-aksjonaerregisteroppgave":   "GenericAccessResource",
	"ske-innrapportering-internasjonal-rapportering": "GenericAccessResource",
	"ske-krav-og-betalinger":                         "GenericAccessResource",
	"app_skd_sample-app":                             "AltinnApp",
	"ske-maskinporten-schema-sample":                 "MaskinportenSchema",
}

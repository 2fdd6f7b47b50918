package sandbox

import (
	"sort"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
)

// System is a system in Altinn's system register.
type System struct {
	ID        string   `json:"id"`
	VendorOrg string   `json:"vendor_org"`
	ClientIDs []string `json:"client_ids"`
	Deleted   bool     `json:"deleted,omitempty"`
}

// SystemUser is an approved system user.
type SystemUser struct {
	ID          string `json:"id"`
	SystemID    string `json:"system_id"`
	OwnerOrg    string `json:"owner_org"`
	ExternalRef string `json:"external_ref"`
	Deleted     bool   `json:"deleted,omitempty"`
}

// lookupSystemUsers is Maskinporten's call to Altinn's byExternalId: the system user of a
// system that lists clientID, whose vendor is vendorOrg, owned by ownerOrg, with externalRef
// (defaulting to ownerOrg). ok is false when none matches (MP-303).
func lookupSystemUsers(st *State, clientID, vendorOrg, ownerOrg, externalRef string) (mp.SystemUserToken, bool) {
	if externalRef == "" {
		externalRef = ownerOrg
	}
	var systemIDs []string
	for _, sys := range st.Systems {
		if !sys.Deleted && sys.VendorOrg == vendorOrg && contains(sys.ClientIDs, clientID) {
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

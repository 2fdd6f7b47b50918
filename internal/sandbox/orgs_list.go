package sandbox

import (
	"sort"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// ListedOrg is one organisation of the Enhetsregisteret stand-in, with the roles other
// organisations hold for it (REGN: its accounting firm, REVI, FFOR).
type ListedOrg struct {
	OrgNo string          `json:"orgno"`
	Name  string          `json:"name"`
	Roles []world.OrgRole `json:"roles,omitempty"`
}

// ListOrgs returns the stand-in's organisations in number order.
func (s *Sandbox) ListOrgs() ([]ListedOrg, error) {
	var out []ListedOrg
	err := s.Store.View(func(st *world.State) error {
		for no, o := range st.Orgs {
			out = append(out, ListedOrg{OrgNo: no, Name: o.Name, Roles: append([]world.OrgRole(nil), st.OrgRoles[no]...)})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].OrgNo < out[j].OrgNo })
	return out, err
}

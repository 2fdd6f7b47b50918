package sandbox

import (
	"fmt"
	"slices"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// AddOrgsWithRole adds n synthetic organisations for which holder (a known organisation, e.g.
// an accounting firm) has the Enhetsregisteret role (REGN, REVI or FFOR): clients that
// holder's agent system users can be given.
func (s *Sandbox) AddOrgsWithRole(n int, role, holder string) ([]world.Org, error) {
	if !slices.Contains(altinn.ClientRoles(), role) {
		return nil, fmt.Errorf("role %q is none of %v", role, altinn.ClientRoles())
	}
	if n < 1 || n > MaxGeneratedOrgs {
		return nil, fmt.Errorf("count must be between 1 and %d, not %d", MaxGeneratedOrgs, n)
	}
	holder = orgno.Normalize(holder)
	var added []world.Org
	err := s.Store.Update(func(st *world.State) error {
		if _, ok := st.Orgs[holder]; !ok {
			return fmt.Errorf("the role holder %s is not one of the sandbox's organisations", holder)
		}
		var err error
		if added, err = addOrgs(st, n); err != nil {
			return err
		}
		for _, o := range added {
			st.OrgRoles[o.OrgNo] = append(st.OrgRoles[o.OrgNo], world.OrgRole{Role: role, Holder: holder})
			st.Touch(&st.OrgRoles, o.OrgNo)
		}
		return nil
	})
	return added, err
}

// AgentFacilitator is the owner (facilitator) of an agent system user, the roles that would
// give it the system user's packages for a client, and the packages no role gives (with one of
// those, no client can ever be added).
func (s *Sandbox) AgentFacilitator(agentID string) (owner string, roles, unreachable []string, err error) {
	var cerr *world.ClientError
	err = s.Store.View(func(st *world.State) error {
		su, e := world.AgentSystemUser(st, agentID)
		if e != nil {
			cerr = e
			return nil
		}
		owner = su.OwnerOrg
		codes := altinn.PackageCodes(su.AccessPackages)
		for _, role := range altinn.ClientRoles() {
			if slices.ContainsFunc(altinn.RolePackages(role), func(p string) bool { return slices.Contains(codes, p) }) {
				roles = append(roles, role)
			}
		}
		unreachable = altinn.PackagesNoRoleGives(codes)
		return nil
	})
	if cerr != nil {
		return "", nil, nil, cerr
	}
	return owner, roles, unreachable, err
}

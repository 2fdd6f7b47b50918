package world

import (
	"slices"
	"sort"

	"github.com/google/uuid"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/refusal"
)

// defaultOrgRoles are the sandbox's client relations: Rask Regnskap AS keeps the accounts of
// three companies and manages a housing co-operative; Snill Sky Revisjon AS audits one.
func defaultOrgRoles() map[string][]OrgRole {
	return map[string][]OrgRole{
		"313000001": {{Role: "REGN", Holder: "311000004"}, {Role: "REVI", Holder: "910000004"}},
		"314000005": {{Role: "REGN", Holder: "311000004"}},
		"313367002": {{Role: "REGN", Holder: "311000004"}},
		"312000008": {{Role: "FFOR", Holder: "311000004"}},
	}
}

// PartyUUID is the sandbox's stable party UUID of an organisation (Altinn identifies clients by
// party UUID, not organisation number).
func PartyUUID(orgNo string) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("sbs-tui-sandbox-party:"+orgNo)).String()
}

// ClientInfo is one client of an agent system user (ClientInfo.cs).
type ClientInfo struct {
	ClientID                 string `json:"clientId"`
	ClientOrganizationNumber string `json:"clientOrganizationNumber"`
	ClientOrganizationName   string `json:"clientOrganizationName"`
}

// clientPackages are the packages (codes) facilitator holds for client through roles.
func clientPackages(st *State, facilitator, client string) map[string]bool {
	out := map[string]bool{}
	for _, r := range st.OrgRoles[client] {
		if r.Holder == facilitator {
			for _, p := range altinn.RolePackages(r.Role) {
				out[p] = true
			}
		}
	}
	return out
}

// AvailableClients are the clients AddClient accepts for the agent system user: those for
// which the facilitator's roles give every one of its packages.
func AvailableClients(st *State, su *SystemUser) []ClientInfo {
	var out []ClientInfo
	codes := altinn.PackageCodes(su.AccessPackages)
	for client := range st.OrgRoles {
		has := clientPackages(st, su.OwnerOrg, client)
		if len(codes) > 0 && !slices.ContainsFunc(codes, func(p string) bool { return !has[p] }) {
			out = append(out, ClientInfo{ClientID: PartyUUID(client), ClientOrganizationNumber: client, ClientOrganizationName: st.Orgs[client].Name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ClientOrganizationNumber < out[j].ClientOrganizationNumber })
	return out
}

func DelegatedClients(st *State, agentID string) []ClientInfo {
	var out []ClientInfo
	for _, d := range st.ClientDelegations {
		if d.AgentID == agentID {
			out = append(out, ClientInfo{ClientID: PartyUUID(d.ClientOrgNo), ClientOrganizationNumber: d.ClientOrgNo, ClientOrganizationName: st.Orgs[d.ClientOrgNo].Name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ClientOrganizationNumber < out[j].ClientOrganizationNumber })
	return out
}

// ClientError is a refused client-delegation call: an AUTH code, or an AUTH.VLD code with the
// descriptor's own text (VLD-00014 has two).
type ClientError = refusal.Refusal

func VLDError(code altinn.Code, title, path string) *ClientError {
	return refusal.Entry(code, title, path)
}

func AuthError(code altinn.Code) *ClientError { return refusal.Problem(code, nil) }

// AgentSystemUser is ValidateSystemUser (SystemUserClientDelegationController.cs:330-360).
func AgentSystemUser(st *State, agentID string) (*SystemUser, *ClientError) {
	id, err := uuid.Parse(agentID)
	if err != nil || id == uuid.Nil {
		return nil, VLDError(altinn.CodeVldAgentInvalid, "The agent query parameter is missing or invalid", "?agent")
	}
	su := st.SystemUsers[id.String()]
	if su == nil || su.Deleted {
		return nil, VLDError(altinn.CodeVldAgentInvalid, "System user not found", "?agent")
	}
	if !su.Agent {
		return nil, VLDError(altinn.CodeVldNotAgent, "SystemUser is not a valid system user of type agent", "?agent")
	}
	return su, nil
}

// AddClient is DelegateToAgentSystemUser: the client must be among the facilitator's clients
// for the agent's packages (AUTH-00079), and its relation must give every package the agent
// system user holds (AUTH-00080).
func AddClient(st *State, su *SystemUser, clientOrg string, now func() ClientDelegation) *ClientError {
	if len(su.AccessPackages) == 0 {
		return AuthError(altinn.CodePackageNotOnSystem)
	}
	has := clientPackages(st, su.OwnerOrg, clientOrg)
	codes := altinn.PackageCodes(su.AccessPackages)
	any := false
	for _, p := range codes {
		any = any || has[p]
	}
	if !any {
		return AuthError(altinn.CodeClientNotFound)
	}
	for _, p := range codes {
		if !has[p] {
			return AuthError(altinn.CodeClientLacksPackages)
		}
	}
	d := now()
	d.AgentID, d.ClientOrgNo, d.Facilitator, d.Packages = su.ID, clientOrg, su.OwnerOrg, codes
	st.ClientDelegations[su.ID+"/"+clientOrg] = &d
	st.Touch(&st.ClientDelegations, su.ID+"/"+clientOrg)
	return nil
}

// OrgOfParty finds the organisation of a party UUID.
func OrgOfParty(st *State, party string) (string, bool) {
	for org := range st.Orgs {
		if PartyUUID(org) == party {
			return org, true
		}
	}
	return "", false
}

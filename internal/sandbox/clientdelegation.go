package sandbox

import (
	"net/http"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/refusal"
)

// Client delegation for agent system users: the facilitator (the accounting firm that owns the
// agent system user) adds clients to it, as SystemUserClientDelegationController
// (src/Authentication/Controllers/SystemUserClientDelegationController.cs) and
// SystemUserService.DelegateToAgentSystemUser (Services/SystemUserService.cs:831-940) do at
// ad4f6f3671c0ba40bf923003688f5949c6a89aa2. Which clients a facilitator has comes from
// Access Management, which derives it from Enhetsregisteret roles: the sandbox keeps those roles
// in State.OrgRoles.

// Client-delegation scopes (a client administrator's token).
const (
	ScopeClientDelegationsRead  = "altinn:clientdelegations.read"
	ScopeClientDelegationsWrite = "altinn:clientdelegations.write"
)

// RolePackages are the access packages an Enhetsregisteret role gives the role holder for the
// organisation (Access Management's IngestRolePackage): regnskapsfører, revisor, forretningsfører.
var RolePackages = map[string][]string{
	"REGN": {"regnskapsforer-med-signeringsrettighet", "regnskapsforer-uten-signeringsrettighet", "regnskapsforer-lonn"},
	"REVI": {"ansvarlig-revisor", "revisormedarbeider"},
	"FFOR": {"forretningsforer-eiendom"},
}

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

type clientInfoPage struct {
	Links                 altinn.Links `json:"links"`
	Data                  []ClientInfo `json:"data"`
	SystemUserInformation struct {
		SystemUserID       string `json:"systemUserId"`
		SystemUserOwnerOrg string `json:"systemUserOwnerOrg"`
	} `json:"systemUserInformation"`
}

// clientPackages are the packages (codes) facilitator holds for client through roles.
func clientPackages(st *State, facilitator, client string) map[string]bool {
	out := map[string]bool{}
	for _, r := range st.OrgRoles[client] {
		if r.Holder == facilitator {
			for _, p := range RolePackages[r.Role] {
				out[p] = true
			}
		}
	}
	return out
}

func packageCodes(pkgs []altinn.PackageRef) []string {
	var out []string
	for _, p := range pkgs {
		out = append(out, strings.TrimPrefix(p.URN, accesspackages.URNPrefix))
	}
	return out
}

// availableClients are the facilitator's clients with at least one of the agent's packages
// (GetClientsForFacilitator filters by the packages).
func availableClients(st *State, su *SystemUser) []ClientInfo {
	var out []ClientInfo
	for client := range st.OrgRoles {
		has := clientPackages(st, su.OwnerOrg, client)
		for _, p := range packageCodes(su.AccessPackages) {
			if has[p] {
				out = append(out, ClientInfo{ClientID: PartyUUID(client), ClientOrganizationNumber: client, ClientOrganizationName: st.Orgs[client].Name})
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ClientOrganizationNumber < out[j].ClientOrganizationNumber })
	return out
}

func delegatedClients(st *State, agentID string) []ClientInfo {
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

func vldError(code altinn.Code, title, path string) *ClientError {
	return refusal.Entry(code, title, path)
}

func authError(code altinn.Code) *ClientError { return refusal.Problem(code, nil) }

// agentSystemUser is ValidateSystemUser (SystemUserClientDelegationController.cs:330-360).
func agentSystemUser(st *State, agentID string) (*SystemUser, *ClientError) {
	id, err := uuid.Parse(agentID)
	if err != nil || id == uuid.Nil {
		return nil, vldError(altinn.CodeVldAgentInvalid, "The agent query parameter is missing or invalid", "?agent")
	}
	su := st.SystemUsers[id.String()]
	if su == nil || su.Deleted {
		return nil, vldError(altinn.CodeVldAgentInvalid, "System user not found", "?agent")
	}
	if !su.Agent {
		return nil, vldError(altinn.CodeVldNotAgent, "SystemUser is not a valid system user of type agent", "?agent")
	}
	return su, nil
}

// addClient is DelegateToAgentSystemUser: the client must be among the facilitator's clients
// for the agent's packages (AUTH-00079), and its relation must give every package the agent
// system user holds (AUTH-00080).
func addClient(st *State, su *SystemUser, clientOrg string, now func() ClientDelegation) *ClientError {
	if len(su.AccessPackages) == 0 {
		return authError(altinn.CodePackageNotOnSystem)
	}
	has := clientPackages(st, su.OwnerOrg, clientOrg)
	codes := packageCodes(su.AccessPackages)
	any := false
	for _, p := range codes {
		any = any || has[p]
	}
	if !any {
		return authError(altinn.CodeClientNotFound)
	}
	for _, p := range codes {
		if !has[p] {
			return authError(altinn.CodeClientLacksPackages)
		}
	}
	d := now()
	d.AgentID, d.ClientOrgNo, d.Facilitator, d.Packages = su.ID, clientOrg, su.OwnerOrg, codes
	st.ClientDelegations[su.ID+"/"+clientOrg] = &d
	return nil
}

// orgOfParty finds the organisation of a party UUID.
func orgOfParty(st *State, party string) (string, bool) {
	for org := range st.Orgs {
		if PartyUUID(org) == party {
			return org, true
		}
	}
	return "", false
}

// AvailableClients lists the clients a facilitator could add to an agent system user.
func (s *Sandbox) AvailableClients(agentID string) ([]ClientInfo, error) {
	var out []ClientInfo
	var cerr *ClientError
	err := s.store.view(func(st *State) error {
		su, e := agentSystemUser(st, agentID)
		if e != nil {
			cerr = e
			return nil
		}
		out = availableClients(st, su)
		return nil
	})
	if cerr != nil {
		return nil, cerr
	}
	return out, err
}

// Clients lists the clients added to an agent system user.
func (s *Sandbox) Clients(agentID string) ([]ClientInfo, error) {
	var out []ClientInfo
	var cerr *ClientError
	err := s.store.view(func(st *State) error {
		if _, e := agentSystemUser(st, agentID); e != nil {
			cerr = e
			return nil
		}
		out = delegatedClients(st, strings.ToLower(agentID))
		return nil
	})
	if cerr != nil {
		return nil, cerr
	}
	return out, err
}

// AddClient adds a client (by organisation number) to an agent system user, as the
// facilitator's client administrator does in Altinn.
func (s *Sandbox) AddClient(agentID, clientOrg string) error {
	return s.store.update(func(st *State) error {
		su, e := agentSystemUser(st, agentID)
		if e == nil {
			e = addClient(st, su, clientOrg, func() ClientDelegation { return ClientDelegation{Created: s.opts.Now()} })
		}
		if e != nil {
			return e
		}
		return nil
	})
}

// RemoveClient removes a client from an agent system user.
func (s *Sandbox) RemoveClient(agentID, clientOrg string) error {
	return s.store.update(func(st *State) error {
		su, e := agentSystemUser(st, agentID)
		if e != nil {
			return e
		}
		key := su.ID + "/" + clientOrg
		if st.ClientDelegations[key] == nil {
			return authError(altinn.CodeDelegationNotFound)
		}
		delete(st.ClientDelegations, key)
		return nil
	})
}

// The facilitator's HTTP API (altinn-api.md §6). The caller must be the facilitator: a token
// whose consumer is the agent system user's owner, with the client-delegation scope (Altinn
// asks its PDP whether the caller may administer clients for the owner; 403 otherwise).

func (s clientDelegationHost) mountClientDelegation(mux *http.ServeMux) {
	base := altinnPrefix + "authentication/api/v1/enduser/systemuser/"
	read := []string{ScopeClientDelegationsRead, ScopeClientDelegationsWrite}
	write := []string{ScopeClientDelegationsWrite}
	mux.HandleFunc("GET "+base+"clients/available", s.altinnAuth(read, func(w http.ResponseWriter, r *http.Request, c *caller) {
		s.clientList(w, r, c, availableClients)
	}))
	mux.HandleFunc("GET "+base+"clients", s.altinnAuth(read, func(w http.ResponseWriter, r *http.Request, c *caller) {
		s.clientList(w, r, c, func(st *State, su *SystemUser) []ClientInfo { return delegatedClients(st, su.ID) })
	}))
	mux.HandleFunc("POST "+base+"clients", s.altinnAuth(write, func(w http.ResponseWriter, r *http.Request, c *caller) { s.clientChange(w, r, c, true) }))
	mux.HandleFunc("DELETE "+base+"clients", s.altinnAuth(write, func(w http.ResponseWriter, r *http.Request, c *caller) { s.clientChange(w, r, c, false) }))
}

func (s clientDelegationHost) clientList(w http.ResponseWriter, r *http.Request, c *caller, list func(*State, *SystemUser) []ClientInfo) {
	var page clientInfoPage
	err := s.sb.store.view(func(st *State) error {
		su, e := agentSystemUser(st, r.URL.Query().Get("agent"))
		if e != nil {
			return e
		}
		if su.OwnerOrg != c.OrgNo {
			return refusal.Empty(http.StatusForbidden)
		}
		page.Data = nonNil(list(st, su))
		page.SystemUserInformation.SystemUserID = su.ID
		page.SystemUserInformation.SystemUserOwnerOrg = su.OwnerOrg
		return nil
	})
	if err != nil {
		s.render(w, err)
		return
	}
	altinnJSON(w, http.StatusOK, page)
}

func (s clientDelegationHost) clientChange(w http.ResponseWriter, r *http.Request, c *caller, add bool) {
	q := r.URL.Query()
	var agent, client string
	err := s.sb.store.update(func(st *State) error {
		su, e := agentSystemUser(st, q.Get("agent"))
		cid, perr := uuid.Parse(q.Get("client"))
		if e != nil {
			return e
		}
		if perr != nil || cid == uuid.Nil {
			return vldError(altinn.CodeVldClientInvalid, "The client query parameter is missing or invalid", "?client")
		}
		if su.OwnerOrg != c.OrgNo {
			return refusal.Empty(http.StatusForbidden)
		}
		agent, client = su.ID, cid.String()
		org, ok := orgOfParty(st, client)
		if !ok {
			return authError(altinn.CodeClientNotFound)
		}
		if add {
			e = addClient(st, su, org, func() ClientDelegation { return ClientDelegation{Created: s.sb.opts.Now()} })
		} else if st.ClientDelegations[su.ID+"/"+org] == nil {
			e = authError(altinn.CodeDelegationNotFound)
		} else {
			delete(st.ClientDelegations, su.ID+"/"+org)
		}
		if e != nil {
			return e
		}
		return nil
	})
	if err != nil {
		s.render(w, err)
		return
	}
	altinnJSON(w, http.StatusOK, map[string]string{"agent": agent, "client": client})
}

package authentication

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/refusal"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
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

type ClientInfoPage struct {
	Links                 altinn.Links       `json:"links"`
	Data                  []world.ClientInfo `json:"data"`
	SystemUserInformation struct {
		SystemUserID       string `json:"systemUserId"`
		SystemUserOwnerOrg string `json:"systemUserOwnerOrg"`
	} `json:"systemUserInformation"`
}

// The facilitator's HTTP API (altinn-api.md §6). The caller must be the facilitator: a token
// whose consumer is the agent system user's owner, with the client-delegation scope (Altinn
// asks its PDP whether the caller may administer clients for the owner; 403 otherwise).

func (s ClientDelegationHost) MountClientDelegation(mux *http.ServeMux) {
	base := env.AltinnPrefix + "authentication/api/v1/enduser/systemuser/"
	read := []string{ScopeClientDelegationsRead, ScopeClientDelegationsWrite}
	write := []string{ScopeClientDelegationsWrite}
	mux.HandleFunc("GET "+base+"clients/available", s.altinnAuth(read, func(w http.ResponseWriter, r *http.Request, c *env.Caller) {
		s.clientList(w, r, c, world.AvailableClients)
	}))
	mux.HandleFunc("GET "+base+"clients", s.altinnAuth(read, func(w http.ResponseWriter, r *http.Request, c *env.Caller) {
		s.clientList(w, r, c, func(st *world.State, su *world.SystemUser) []world.ClientInfo {
			return world.DelegatedClients(st, su.ID)
		})
	}))
	mux.HandleFunc("POST "+base+"clients", s.altinnAuth(write, func(w http.ResponseWriter, r *http.Request, c *env.Caller) { s.clientChange(w, r, c, true) }))
	mux.HandleFunc("DELETE "+base+"clients", s.altinnAuth(write, func(w http.ResponseWriter, r *http.Request, c *env.Caller) { s.clientChange(w, r, c, false) }))
}

func (s ClientDelegationHost) clientList(w http.ResponseWriter, r *http.Request, c *env.Caller, list func(*world.State, *world.SystemUser) []world.ClientInfo) {
	var page ClientInfoPage
	err := s.Env.Store.View(func(st *world.State) error {
		su, e := world.AgentSystemUser(st, r.URL.Query().Get("agent"))
		if e != nil {
			return e
		}
		if su.OwnerOrg != c.OrgNo {
			return refusal.Empty(http.StatusForbidden)
		}
		page.Data = world.NonNil(list(st, su))
		page.SystemUserInformation.SystemUserID = su.ID
		page.SystemUserInformation.SystemUserOwnerOrg = su.OwnerOrg
		return nil
	})
	if err != nil {
		s.render(w, err)
		return
	}
	env.AltinnJSON(w, http.StatusOK, page)
}

func (s ClientDelegationHost) clientChange(w http.ResponseWriter, r *http.Request, c *env.Caller, add bool) {
	q := r.URL.Query()
	var agent, client string
	err := s.Env.Store.Update(func(st *world.State) error {
		su, e := world.AgentSystemUser(st, q.Get("agent"))
		cid, perr := uuid.Parse(q.Get("client"))
		if e != nil {
			return e
		}
		if perr != nil || cid == uuid.Nil {
			return world.VLDError(altinn.CodeVldClientInvalid, "The client query parameter is missing or invalid", "?client")
		}
		if su.OwnerOrg != c.OrgNo {
			return refusal.Empty(http.StatusForbidden)
		}
		agent, client = su.ID, cid.String()
		org, ok := world.OrgOfParty(st, client)
		if !ok {
			return world.AuthError(altinn.CodeClientNotFound)
		}
		if add {
			e = world.AddClient(st, su, org, func() world.ClientDelegation { return world.ClientDelegation{Created: s.Env.Opts.Now()} })
		} else if st.ClientDelegations[su.ID+"/"+org] == nil {
			e = world.AuthError(altinn.CodeDelegationNotFound)
		} else {
			delete(st.ClientDelegations, su.ID+"/"+org)
			st.Touch(&st.ClientDelegations, su.ID+"/"+org)
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
	env.AltinnJSON(w, http.StatusOK, map[string]string{"agent": agent, "client": client})
}

// ClientDelegationHost is the facilitator's client-delegation API.
type ClientDelegationHost struct{ Base }

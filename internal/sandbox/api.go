package sandbox

import (
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// The Sandbox's public API that acts as a customer or a facilitator would, over the hosts.

// InjectFault validates and adds a fault rule, returning it with its id.
func (s *Sandbox) InjectFault(f world.Fault) (world.Fault, error) { return s.hosts.faults.Inject(f) }

// Faults lists the fault rules in the order they apply.
func (s *Sandbox) Faults() ([]world.Fault, error) { return s.hosts.faults.List() }

// ClearFaults removes every fault rule and says how many there were.
func (s *Sandbox) ClearFaults() (int, error) { return s.hosts.faults.Clear() }

// Approve approves a request as the customer would (the `sandbox approve` command).
func (s *Sandbox) Approve(id string) (*world.Request, error) {
	return s.hosts.requests.Decide(id, true)
}

// Reject rejects a request as the customer would.
func (s *Sandbox) Reject(id string) (*world.Request, error) {
	return s.hosts.requests.Decide(id, false)
}

// Escalate forwards a request to the customer's Tilgangsstyrer, as the approval page would
// for a person who lacks the rights; already reports one forwarded before.
func (s *Sandbox) Escalate(id string) (already bool, err error) {
	return s.hosts.requests.Escalate(id)
}

// ApproveChange approves a change request as the customer would.
func (s *Sandbox) ApproveChange(id string) (*world.ChangeRequest, error) {
	return s.hosts.changeRequests.DecideChangeErr(id, true)
}

// RejectChange rejects a change request as the customer would.
func (s *Sandbox) RejectChange(id string) (*world.ChangeRequest, error) {
	return s.hosts.changeRequests.DecideChangeErr(id, false)
}

// AvailableClients lists the clients a facilitator could add to an agent system user.
func (s *Sandbox) AvailableClients(agentID string) ([]world.ClientInfo, error) {
	var out []world.ClientInfo
	var cerr *world.ClientError
	err := s.Store.View(func(st *world.State) error {
		su, e := world.AgentSystemUser(st, agentID)
		if e != nil {
			cerr = e
			return nil
		}
		out = world.AvailableClients(st, su)
		return nil
	})
	if cerr != nil {
		return nil, cerr
	}
	return out, err
}

// Clients lists the clients added to an agent system user.
func (s *Sandbox) Clients(agentID string) ([]world.ClientInfo, error) {
	var out []world.ClientInfo
	var cerr *world.ClientError
	err := s.Store.View(func(st *world.State) error {
		if _, e := world.AgentSystemUser(st, agentID); e != nil {
			cerr = e
			return nil
		}
		out = world.DelegatedClients(st, strings.ToLower(agentID))
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
	return s.Store.Update(func(st *world.State) error {
		su, e := world.AgentSystemUser(st, agentID)
		if e == nil {
			e = world.AddClient(st, su, clientOrg, func() world.ClientDelegation { return world.ClientDelegation{Created: s.Opts.Now()} })
		}
		if e != nil {
			return e
		}
		return nil
	})
}

// RemoveClient removes a client from an agent system user.
func (s *Sandbox) RemoveClient(agentID, clientOrg string) error {
	return s.Store.Update(func(st *world.State) error {
		su, e := world.AgentSystemUser(st, agentID)
		if e != nil {
			return e
		}
		key := su.ID + "/" + clientOrg
		if st.ClientDelegations[key] == nil {
			return world.AuthError(altinn.CodeDelegationNotFound)
		}
		delete(st.ClientDelegations, key)
		st.Touch(&st.ClientDelegations, key)
		return nil
	})
}

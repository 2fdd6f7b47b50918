package sandbox

// The Sandbox's public API that acts as a customer or a facilitator would, over the hosts.

// InjectFault validates and adds a fault rule, returning it with its id.
func (s *Sandbox) InjectFault(f Fault) (Fault, error) { return s.hosts.faults.inject(f) }

// Faults lists the fault rules in the order they apply.
func (s *Sandbox) Faults() ([]Fault, error) { return s.hosts.faults.list() }

// ClearFaults removes every fault rule and says how many there were.
func (s *Sandbox) ClearFaults() (int, error) { return s.hosts.faults.clear() }

// Approve approves a request as the customer would (the `sandbox approve` command).
func (s *Sandbox) Approve(id string) (*Request, error) {
	return s.hosts.requests.decide(id, true)
}

// Reject rejects a request as the customer would.
func (s *Sandbox) Reject(id string) (*Request, error) {
	return s.hosts.requests.decide(id, false)
}

// ApproveChange approves a change request as the customer would.
func (s *Sandbox) ApproveChange(id string) (*ChangeRequest, error) {
	return s.hosts.changeRequests.decideChangeErr(id, true)
}

// RejectChange rejects a change request as the customer would.
func (s *Sandbox) RejectChange(id string) (*ChangeRequest, error) {
	return s.hosts.changeRequests.decideChangeErr(id, false)
}

package sandbox

import "github.com/sbs-tui/sbs-tui/internal/sandbox/env"

// The emulated services, each its own type over the one Sandbox world: the composition root
// (Sandbox.Handler) mounts them, and they meet only through the shared State.

// hosts are the emulated services, built once over one env by newHosts.
type hosts struct {
	maskinporten   maskinportenHost
	register       registerHost
	requests       requestsHost
	changeRequests changeRequestsHost
	clients        clientDelegationHost
	systemUsers    systemUsersHost
	altinnTokens   altinnTokensHost
	approval       approvalHost
	selfService    selfServiceHost
	skatteetaten   skatteetatenHost
	dialogporten   dialogportenHost
	accessMgmt     accessManagementHost
	faults         faultsHost
	brreg          brregHost
}

func newHosts(e *env.Env) hosts {
	altinn := altinnBase{e}
	return hosts{
		maskinporten:   maskinportenHost{e},
		register:       registerHost{altinn},
		requests:       requestsHost{altinn},
		changeRequests: changeRequestsHost{altinn},
		clients:        clientDelegationHost{altinn},
		systemUsers:    systemUsersHost{altinn},
		altinnTokens:   altinnTokensHost{altinn},
		approval:       approvalHost{e},
		selfService:    selfServiceHost{e},
		skatteetaten:   skatteetatenHost{e},
		dialogporten:   dialogportenHost{e},
		accessMgmt:     accessManagementHost{altinn},
		faults:         faultsHost{e},
		brreg:          brregHost{e},
	}
}

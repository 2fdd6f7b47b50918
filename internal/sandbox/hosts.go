package sandbox

import (
	"github.com/sbs-tui/sbs-tui/internal/sandbox/authentication"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
)

// The emulated services, each its own type over the one Sandbox world: the composition root
// (Sandbox.Handler) mounts them, and they meet only through the shared State.

// hosts are the emulated services, built once over one env by newHosts.
type hosts struct {
	maskinporten   maskinportenHost
	register       authentication.RegisterHost
	requests       authentication.RequestsHost
	changeRequests authentication.ChangeRequestsHost
	clients        authentication.ClientDelegationHost
	systemUsers    authentication.SystemUsersHost
	altinnTokens   authentication.TokensHost
	approval       approvalHost
	selfService    selfServiceHost
	skatteetaten   skatteetatenHost
	dialogporten   dialogportenHost
	accessMgmt     accessManagementHost
	faults         faultsHost
	brreg          brregHost
}

func newHosts(e *env.Env) hosts {
	altinn := authentication.Base{Env: e}
	return hosts{
		maskinporten:   maskinportenHost{e},
		register:       authentication.RegisterHost{Base: altinn},
		requests:       authentication.RequestsHost{Base: altinn},
		changeRequests: authentication.ChangeRequestsHost{Base: altinn},
		clients:        authentication.ClientDelegationHost{Base: altinn},
		systemUsers:    authentication.SystemUsersHost{Base: altinn},
		altinnTokens:   authentication.TokensHost{Base: altinn},
		approval:       approvalHost{e},
		selfService:    selfServiceHost{e},
		skatteetaten:   skatteetatenHost{e},
		dialogporten:   dialogportenHost{e},
		accessMgmt:     accessManagementHost{altinn},
		faults:         faultsHost{e},
		brreg:          brregHost{e},
	}
}

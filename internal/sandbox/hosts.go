package sandbox

import (
	"github.com/sbs-tui/sbs-tui/internal/sandbox/approval"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/authentication"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/dialogs"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/faults"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/maskinporten"
)

// The emulated services, each its own type over the one Sandbox world: the composition root
// (Sandbox.Handler) mounts them, and they meet only through the shared State.

// hosts are the emulated services, built once over one env by newHosts.
type hosts struct {
	maskinporten   maskinporten.Host
	register       authentication.RegisterHost
	requests       authentication.RequestsHost
	changeRequests authentication.ChangeRequestsHost
	clients        authentication.ClientDelegationHost
	systemUsers    authentication.SystemUsersHost
	altinnTokens   authentication.TokensHost
	approval       approval.Host
	selfService    selfServiceHost
	skatteetaten   skatteetatenHost
	dialogporten   dialogs.Host
	accessMgmt     accessManagementHost
	faults         faults.Host
	brreg          brregHost
}

func newHosts(e *env.Env) hosts {
	altinn := authentication.Base{Env: e}
	return hosts{
		maskinporten:   maskinporten.Host{Env: e},
		register:       authentication.RegisterHost{Base: altinn},
		requests:       authentication.RequestsHost{Base: altinn},
		changeRequests: authentication.ChangeRequestsHost{Base: altinn},
		clients:        authentication.ClientDelegationHost{Base: altinn},
		systemUsers:    authentication.SystemUsersHost{Base: altinn},
		altinnTokens:   authentication.TokensHost{Base: altinn},
		approval:       approval.Host{Env: e},
		selfService:    selfServiceHost{Env: e},
		skatteetaten:   skatteetatenHost{Env: e},
		dialogporten:   dialogs.Host{Env: e},
		accessMgmt:     accessManagementHost{altinn},
		faults:         faults.Host{Env: e},
		brreg:          brregHost{e},
	}
}

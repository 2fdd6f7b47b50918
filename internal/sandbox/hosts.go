package sandbox

// The emulated services, each its own type over the one Sandbox world: the composition root
// (Sandbox.Handler) mounts them, and they meet only through the shared State.

// altinnBase holds what every Altinn host shares: authentication, body binding and the ProblemDetails writers.
type altinnBase struct{ sb *env }

// maskinportenHost is Maskinporten: metadata, JWKS, the token endpoint and its grant checks.
type maskinportenHost struct{ sb *env }

// registerHost is the Altinn system register (systems, rights, access packages, change log).
type registerHost struct{ altinnBase }

// requestsHost is the Altinn system-user requests API (standard and agent).
type requestsHost struct{ altinnBase }

// changeRequestsHost is the Altinn change-request API.
type changeRequestsHost struct{ altinnBase }

// clientDelegationHost is the facilitator's client-delegation API.
type clientDelegationHost struct{ altinnBase }

// systemUsersHost is the vendor's system-user lookups.
type systemUsersHost struct{ altinnBase }

// altinnTokensHost is Altinn's token exchange and its OpenID metadata.
type altinnTokensHost struct{ altinnBase }

// approvalHost is the customer's approval pages.
type approvalHost struct{ sb *env }

// selfServiceHost is Digdir's self-service client API.
type selfServiceHost struct{ sb *env }

// skatteetatenHost is the sample Skatteetaten API.
type skatteetatenHost struct{ sb *env }

// dialogportenHost is Dialogporten's end-user dialog search.
type dialogportenHost struct{ sb *env }

// faultsHost is the fault middleware and its control API.
type faultsHost struct{ sb *env }

// joseRing signs with the sandbox's keys and authenticates callers by their tokens (shared JOSE).
type joseRing struct{ sb *env }

// brregHost is the Enhetsregisteret lookup.
type brregHost struct{ sb *env }

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
	faults         faultsHost
	brreg          brregHost
}

func newHosts(e *env) hosts {
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
		faults:         faultsHost{e},
		brreg:          brregHost{e},
	}
}

package sandbox

// The emulated services, each its own type over the one Sandbox world: the composition root
// (Sandbox.Handler) mounts them, and they meet only through the shared State.

// altinnBase holds what every Altinn host shares: authentication, body binding and the ProblemDetails writers.
type altinnBase struct{ sb *Sandbox }

// maskinportenHost is Maskinporten: metadata, JWKS, the token endpoint and its grant checks.
type maskinportenHost struct{ sb *Sandbox }

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
type approvalHost struct{ sb *Sandbox }

// selfServiceHost is Digdir's self-service client API.
type selfServiceHost struct{ sb *Sandbox }

// skatteetatenHost is the sample Skatteetaten API.
type skatteetatenHost struct{ sb *Sandbox }

// dialogportenHost is Dialogporten's end-user dialog search.
type dialogportenHost struct{ sb *Sandbox }

// faultsHost is the fault middleware and its control API.
type faultsHost struct{ sb *Sandbox }

// joseRing signs with the sandbox's keys and authenticates callers by their tokens (shared JOSE).
type joseRing struct{ sb *Sandbox }

// brregHost is the Enhetsregisteret lookup.
type brregHost struct{ sb *Sandbox }

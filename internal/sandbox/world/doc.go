// Package world is the sandbox's emulated world and its persistence: State (organisations,
// Maskinporten clients and scopes, the Altinn system register, requests, system users, change
// requests, client delegations, fault rules, signing keys), the SQLite store that keeps one
// table per State field, the JTI replay cache, the first-start seed, and the rules on *State
// that more than one emulated host needs (deciding a request, a facilitator's clients, the
// registry's documented resources and scopes). The hosts (internal/sandbox and its other
// sub-packages) read and change the world only through Store.View and Store.Update; this
// package holds no HTTP handlers.
package world

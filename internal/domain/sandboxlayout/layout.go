// Package sandboxlayout names the path prefixes under which the sandbox serves each emulated
// host. The sandbox mounts them and the configuration derives a sandbox environment's base
// URLs from them, so that the clients use the same code for sandbox and real hosts.
package sandboxlayout

import "strings"

const (
	// Maskinporten is the emulated Maskinporten host; its issuer is base + Maskinporten.
	Maskinporten = "/maskinporten/"
	// AltinnPlatform is the emulated https://platform.tt02.altinn.no/.
	AltinnPlatform = "/altinn/"
	// AltinnApprovalUI is the emulated customer-facing host (am.ui.tt02.altinn.no).
	AltinnApprovalUI = "/altinn-ui/"
	// SelfService is the emulated Digdir self-service API host (api.test.samarbeid.digdir.no).
	SelfService = "/selfservice/"
	// Skatteetaten is the sample Skatteetaten API host.
	Skatteetaten = "/skatteetaten/"
	// Brreg is the Enhetsregisteret stand-in (data.brreg.no).
	Brreg = "/brreg/"
	// Health answers 200 when the sandbox is up.
	Health = "/healthz"
)

// Join appends a prefix to a base URL without doubling the slash.
func Join(base, prefix string) string {
	return strings.TrimRight(base, "/") + prefix
}

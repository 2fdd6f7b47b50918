// Package sandboxcmd is `sbs-tui sandbox`: serving the built-in emulator of Maskinporten,
// Altinn and Skatteetaten, and acting on its data directory as Digdir, Altinn and the
// customers would (approving requests, adding clients, registries, faults, organisations).
package sandboxcmd

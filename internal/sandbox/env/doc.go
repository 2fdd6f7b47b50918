// Package env is what every emulated host of the sandbox shares: the Env (options, the
// world's store, parsed keys, the access-package catalogue), the JOSE Ring that signs and
// verifies tokens and authenticates callers, the base URLs every host's URLs derive from, and
// the JSON and text writers. The composition root (package sandbox) builds one Env and mounts
// the hosts over it.
package env

// Package josetest hands test sandboxes their seed keys. Generating a sandbox's four RSA keys
// was nine tenths of a test sandbox's cost (most of the sandbox package's CPU, more under
// -race), so the sandboxes of one test process share keys generated once. Each sandbox still
// has its own clients, kids and data; only tests that compare two sandboxes' signing keys
// would notice, and none does.
package josetest

import (
	"crypto/rsa"
	"sync"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose"
)

// SeedKeys is a sandbox seed's key source (env.Options.SeedKeys): the first n of the
// process's shared keys, made on first use.
func SeedKeys(n int) ([]*rsa.PrivateKey, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if len(shared.keys) < n {
		more, err := jose.NewRSAKeys(n - len(shared.keys))
		if err != nil {
			return nil, err
		}
		shared.keys = append(shared.keys, more...)
	}
	return append([]*rsa.PrivateKey(nil), shared.keys[:n]...), nil
}

// shared is the one cache of this package: keys only ever added, under mu.
var shared struct {
	mu   sync.Mutex
	keys []*rsa.PrivateKey
}

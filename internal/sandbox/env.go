package sandbox

import (
	"crypto/rsa"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
)

// env is what every emulated host receives instead of the whole Sandbox: the world's store,
// the options (clock, logger, fidelity switches), the parsed keys and the access-package
// catalogue. The Sandbox (the composition root) holds one and mounts the hosts over it.
type env struct {
	opts  Options
	store *store

	keyMu sync.Mutex
	keys  map[string]*rsa.PrivateKey // parsed signing keys by kid

	verifyKeys     sync.Map // client JWK JSON -> parsed public key
	verifyKeyCount atomic.Int64

	catalog *accesspackages.Catalog
}

// internalError logs err and answers a bare 500, as a host does when its own machinery fails.
func (e *env) internalError(w http.ResponseWriter, err error) {
	e.opts.Logger.Error("internal error", "error", err)
	http.Error(w, "Internal Server Error", http.StatusInternalServerError)
}

package env

import (
	"crypto/rsa"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Env is what every emulated host receives instead of the whole Sandbox: the world's store,
// the options (clock, logger, fidelity switches), the parsed keys and the access-package
// catalogue. The Sandbox (the composition root) holds one and mounts the hosts over it.
type Env struct {
	Opts  Options
	Store *world.Store

	keyMu sync.Mutex
	Keys  map[string]*rsa.PrivateKey // parsed signing keys by kid

	VerifyKeys     sync.Map // client JWK JSON -> parsed public key
	VerifyKeyCount atomic.Int64

	Catalog *accesspackages.Catalog
}

// InternalError logs err and answers a bare 500, as a host does when its own machinery fails.
func (e *Env) InternalError(w http.ResponseWriter, err error) {
	e.Opts.Logger.Error("internal error", "error", err)
	http.Error(w, "Internal Server Error", http.StatusInternalServerError)
}

// Options configure a sandbox.
type Options struct {
	// DataDir holds the persistent state and the seeded key files.
	DataDir string
	// VendorOrg is the vendor created on first start (DefaultVendorOrg if empty).
	VendorOrg string
	// Now is the sandbox's clock (time.Now if nil); tests inject one.
	Now func() time.Time
	// StrictClaims rejects grants with claims Maskinporten does not document (sub, nbf, …).
	// Digdir's docs say it does; working clients send sub and nbf, so it is off by default.
	StrictClaims bool
	// ProblemDetailsV4 makes the Altinn side answer in the ProblemDetails 4.x layout (text in
	// detail, HTTP reason in title) instead of 5.x, for testing clients against both.
	ProblemDetailsV4 bool
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// SeedKeys makes the first start's n keys (fresh ones, jose.NewRSAKeys, if nil); the test
	// fixtures share keys across their sandboxes (josetest.SeedKeys).
	SeedKeys func(n int) ([]*rsa.PrivateKey, error)
}

// Package sandboxtest is the one sandbox test fixture: a seeded sandbox in a temporary data
// directory, served on loopback, closed when the test ends, with the bootstrap's vendor and
// admin profiles. Tests across the repository build on it instead of opening sandboxes their
// own way.
package sandboxtest

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose/josetest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// World is an opened, seeded sandbox.
type World struct {
	SB   *sandbox.Sandbox
	Dir  string           // the data directory
	Boot world.Bootstrap  // what the seed created: vendor, clients, key files
	Srv  *httptest.Server // the handler on loopback; nil with Unserved
}

type settings struct {
	opts   sandbox.Options
	serve  bool
	closes bool
}

// Option changes how New opens the sandbox.
type Option func(*settings)

// Dir opens the sandbox in dir instead of a new temporary directory.
func Dir(dir string) Option { return func(s *settings) { s.opts.DataDir = dir } }

// Clock gives the sandbox a clock.
func Clock(now func() time.Time) Option { return func(s *settings) { s.opts.Now = now } }

// With edits the sandbox options.
func With(f func(*sandbox.Options)) Option { return func(s *settings) { f(&s.opts) } }

// Unserved opens and seeds the data directory without serving it (for tests that run the
// binary, or serve it themselves).
func Unserved() Option { return func(s *settings) { s.serve = false } }

// KeepOpen leaves the sandbox open at the end of the test (a world shared by several tests
// closes it itself).
func KeepOpen() Option { return func(s *settings) { s.closes = false } }

// New opens (and seeds) a sandbox and serves its handler on loopback until the test ends.
func New(t testing.TB, opts ...Option) *World {
	t.Helper()
	s := settings{serve: true, closes: true}
	for _, o := range opts {
		o(&s)
	}
	if s.opts.DataDir == "" {
		s.opts.DataDir = t.TempDir()
	}
	if s.opts.SeedKeys == nil {
		s.opts.SeedKeys = josetest.SeedKeys
	}
	sb, err := sandbox.Open(s.opts)
	if err != nil {
		t.Fatal(err)
	}
	w := &World{SB: sb, Dir: s.opts.DataDir}
	if s.closes {
		t.Cleanup(func() { _ = sb.Close() })
	}
	if w.Boot, err = sb.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if s.serve {
		w.Srv = httptest.NewServer(sb.Handler())
		t.Cleanup(w.Srv.Close) // runs before the close above: handlers stop first
	}
	return w
}

// URL is the served sandbox's base URL.
func (w *World) URL() string { return w.Srv.URL }

// Env is the sandbox environment at the served URL.
func (w *World) Env() config.Environment { return config.Sandbox(w.Srv.URL) }

// VendorProfile is the seeded vendor client, as `sandbox serve` writes it.
func (w *World) VendorProfile() *config.Profile {
	b := w.Boot
	return &config.Profile{Env: "sandbox", OrgNo: b.VendorOrg, ClientID: b.ClientID,
		Key: config.KeyRef{PEM: b.KeyFile, Kid: b.Kid}, Scopes: b.Scopes}
}

// AdminProfile is the seeded admin client (the self-service API's scopes).
func (w *World) AdminProfile() *config.Profile {
	b := w.Boot
	return &config.Profile{Env: "sandbox", OrgNo: b.VendorOrg, ClientID: b.AdminClientID,
		Key: config.KeyRef{PEM: b.AdminKeyFile, Kid: b.AdminKid}, Scopes: b.AdminScopes}
}

// VendorKey loads the vendor client's private key.
func (w *World) VendorKey(t testing.TB) *config.Key {
	t.Helper()
	k, err := config.LoadPEMKey(w.Boot.KeyFile, w.Boot.Kid)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// DemoSystem is a system of the seeded vendor on clientID, with the accountant and tax-base
// packages, not visible (the accountant package is client-only): what a test registers when
// it needs a system and the details do not matter. Its vendor carries the authority the
// server drops, so a comparison after registering sees the normalised form.
func DemoSystem(id, clientID string) altinn.SystemDefinition {
	visible := false
	return altinn.SystemDefinition{
		ID: id, Vendor: altinn.VendorRef{Authority: "iso6523-actorid-upis", ID: "0192:974761076"},
		Name: map[string]string{"nb": "Demo"}, Description: map[string]string{"nb": "Demo-system"},
		AccessPackages: []altinn.PackageRef{{URN: "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet"}, {URN: "urn:altinn:accesspackage:skattegrunnlag"}},
		ClientID:       []string{clientID}, IsVisible: &visible, AllowedRedirectURLs: []string{"https://vendor.example"},
	}
}

// Context bounds a test's calls to the sandbox: it ends after d, or when the test does.
func Context(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

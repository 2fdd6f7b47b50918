package sandbox

import (
	"net/http/httptest"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose/josetest"
)

// The in-package tests' sandbox fixture. Tests in other packages use sandboxtest, which these
// tests cannot import (it imports this package).

// openTest opens a seeded sandbox in a temporary directory.
func openTest(t testing.TB, opts ...func(*Options)) *Sandbox {
	t.Helper()
	o := Options{DataDir: t.TempDir(), SeedKeys: josetest.SeedKeys}
	for _, f := range opts {
		f(&o)
	}
	sb, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	return sb
}

// openDir opens the sandbox in dir as a process does (its own keys, not the seed's): the
// tests of what a second process, or a later start, finds on disk.
func openDir(t testing.TB, dir string) *Sandbox {
	t.Helper()
	sb, err := Open(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return sb
}

// serveTest is openTest served on loopback until the test ends.
func serveTest(t testing.TB, opts ...func(*Options)) (*Sandbox, *httptest.Server) {
	t.Helper()
	sb := openTest(t, opts...)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	return sb, srv
}

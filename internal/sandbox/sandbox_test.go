package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

func TestMetadataShape(t *testing.T) {
	t.Parallel()
	_, srv := serveTest(t)
	resp, err := http.Get(srv.URL + "/maskinporten/.well-known/oauth-authorization-server")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if raw["issuer"] != srv.URL+"/maskinporten/" || raw["token_endpoint"] != srv.URL+"/maskinporten/token" {
		t.Fatalf("metadata = %v", raw)
	}
	if _, ok := raw["authorization_endpoint"]; ok {
		t.Fatal("Maskinporten has no authorization_endpoint")
	}
	for _, k := range []string{"grant_types_supported", "token_endpoint_auth_methods_supported", "token_endpoint_auth_signing_alg_values_supported", "authorization_details_types_supported"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("metadata lacks %s", k)
		}
	}
	// The token endpoint takes POST only.
	r2, _ := http.Get(srv.URL + "/maskinporten/token")
	if r2.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET /token = %d", r2.StatusCode)
	}
}

func TestStateIsPrivateAndSharedBetweenInstances(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := openDir(t, dir)
	// A second instance on the same directory is what a second process sees: no re-seeding.
	b := openDir(t, dir)
	ba, _ := a.Bootstrap()
	bb, _ := b.Bootstrap()
	if ba.ClientID != bb.ClientID {
		t.Fatal("second instance re-seeded the world")
	}
	for _, f := range []string{world.DatabaseFile, world.DatabaseFile + "-wal", world.DatabaseFile + "-shm", "vendor-key.pem", "admin-key.pem"} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", f, st.Mode(), err)
		}
	}
	// Concurrent writers through both instances lose no update.
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			inst := a
			if i%2 == 1 {
				inst = b
			}
			err := inst.Update(func(st *world.State) error {
				st.Orgs[strings.Repeat("9", 8)+string(rune('0'+i%10))+string(rune('a'+i))] = world.Org{Name: "x"}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	var n int
	_ = a.View(func(st *world.State) error {
		for k := range st.Orgs {
			if strings.HasPrefix(k, "99999999") {
				n++
			}
		}
		return nil
	})
	if n != 40 {
		t.Fatalf("%d of 40 concurrent updates survived", n)
	}
	// A corrupt database is reported, not silently replaced.
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, world.DatabaseFile), []byte(strings.Repeat("not a database ", 512)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Options{DataDir: bad}); err == nil || !strings.Contains(err.Error(), "corrupt") || !strings.Contains(err.Error(), world.DatabaseFile) {
		t.Fatalf("corrupt database: %v", err)
	}
}

func FuzzTokenEndpoint(f *testing.F) {
	h := openDir(f, f.TempDir()).Handler()
	f.Add("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.AAAA")
	f.Add("eyJhbGciOiJSUzI1NiIsIng1YyI6WyJBQUFBIl19.e30.")
	f.Add("..")
	f.Fuzz(func(t *testing.T, assertion string) {
		form := url.Values{"grant_type": {mp.GrantTypeJWTBearer}, "assertion": {assertion}}
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/maskinporten/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 400 && rec.Code != 403 {
			t.Fatalf("status %d for %q: %s", rec.Code, assertion, rec.Body)
		}
		var body mp.ErrorBody
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error == "" || !strings.Contains(body.ErrorDescription, "trace_id") {
			t.Fatalf("error body %q", rec.Body)
		}
	})
}

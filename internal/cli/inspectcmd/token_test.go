package inspectcmd_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

func TestTokenOutputRefusesAMalformedToken(t *testing.T) {
	clitest.Isolate(t)
	sw := sandboxtest.New(t, sandboxtest.Unserved())
	dir, sb := sw.Dir, sw.SB
	inner := sb.Handler()
	for _, bad := range []string{"eyJhbGciOiJSUzI1NiJ9.e30.\u009b]2;pwned\u0007", "not-a-jwt", "e30.e30.sig\n", "W10.e30.c2ln"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/maskinporten/token") {
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(map[string]any{"access_token": bad, "token_type": "Bearer", "expires_in": 120, "scope": world.ScopeDialogporten})
				return
			}
			inner.ServeHTTP(w, r)
		}))
		boot, _ := sb.Bootstrap()
		cfg := filepath.Join(dir, "sbs-tui.yaml")
		if err := cli.WriteSandboxConfig(cfg, boot); err != nil {
			t.Fatal(err)
		}
		pointProfileAt(t, cfg, srv.URL)
		for _, args := range [][]string{{"token"}, {"token", "--json"}} {
			r := clitest.Run(t, "", append([]string{"--config", cfg}, append(args, "--scope", world.ScopeDialogporten)...)...)
			if r.Code != 1 || strings.Contains(r.Stdout+r.Stderr, bad) {
				t.Errorf("%v with access_token %q: %+v", args, bad, r)
			}
		}
		srv.Close()
	}
}

// pointProfileAt sends the config's default sandbox profile to url instead of the data
// directory's own address (here: a server that answers with a hostile token).
func pointProfileAt(t *testing.T, cfg, url string) {
	t.Helper()
	f, err := config.Load(cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	f.Profiles["sandbox"].SandboxURL = url
	f.Profiles["sandbox"].SandboxData = "" // a data directory would win over the URL
	if err := f.Save(cfg); err != nil {
		t.Fatal(err)
	}
}

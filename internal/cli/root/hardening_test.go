package root_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// rawControls are characters a terminal acts on that must never reach it raw.
var rawControls = []string{"\u009b", "\u202e", "\x7f", "\x1b"}

func TestJSONOutputEscapesTerminalControls(t *testing.T) {
	clitest.Isolate(t)
	cfg, sb := clitest.StartSandbox(t)
	hostile := "Evil\u009b31m\u202eSystem\x7f"
	err := sb.Update(func(st *world.State) error {
		st.Systems["974761076_evil"] = &world.System{ID: "974761076_evil", InternalID: "5b0f7f3e-0000-4000-8000-000000000001", VendorOrg: "974761076",
			Name: map[string]string{"nb": hostile, "en": hostile, "nn": hostile}, Description: map[string]string{"nb": hostile, "en": "d", "nn": "d"},
			Created: time.Now()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, "", "--config", cfg, "system", "get", "974761076_evil", "--json")
	if r.Code != 0 {
		t.Fatalf("system get: %+v", r)
	}
	for _, c := range rawControls {
		if strings.Contains(r.Stdout, c) {
			t.Errorf("--json output carries %q raw", c)
		}
	}
	var obj struct {
		System struct {
			Name map[string]string `json:"name"`
		} `json:"system"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &obj); err != nil || obj.System.Name["nb"] != hostile {
		t.Fatalf("escaped output must decode to the same value: %v %q\n%s", err, obj.System.Name["nb"], r.Stdout)
	}
}

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

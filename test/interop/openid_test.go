package interop

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// TestOpenIDClient drives the sandbox with Node's openid-client (discovery, jwt-bearer grant)
// and jose (grant signing, token verification against the JWKS), pinned in openid/package-lock.json.
// .ci/run installs them with npm ci; locally the test skips when node or the packages are absent.
func TestOpenIDClient(t *testing.T) {
	t.Parallel()
	inCI := os.Getenv("CI") != ""
	node, err := exec.LookPath("node")
	if err != nil {
		if inCI {
			t.Fatal("node is required in CI (.ci/run runs npm ci in test/interop/openid)")
		}
		t.Skip("node is not installed: the openid-client interop test needs Node 20+")
	}
	if _, err := os.Stat(filepath.Join("openid", "node_modules", "openid-client")); err != nil {
		if inCI {
			t.Fatal("test/interop/openid/node_modules is missing: .ci/run must run npm ci there")
		}
		t.Skip("openid-client is not installed: run npm ci in test/interop/openid")
	}
	w := newWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "interop.mjs")
	cmd.Dir = "openid"
	cmd.Env = append(os.Environ(), "ISSUER="+w.issuer, "CLIENT_ID="+w.boot.ClientID, "KID="+w.boot.Kid,
		"KEY_FILE="+w.boot.KeyFile, "SCOPE="+sbworld.ScopeDialogporten)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("openid-client: %v\n%s%s", err, out, stderr)
	}
	var got struct {
		TokenType string         `json:"token_type"`
		ExpiresIn int            `json:"expires_in"`
		Scope     string         `json:"scope"`
		ClientID  string         `json:"client_id"`
		Iss       string         `json:"iss"`
		Consumer  map[string]any `json:"consumer"`
		Replay    *struct {
			Error       string `json:"error"`
			Description string `json:"description"`
		} `json:"replay"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("openid-client's report: %v\n%s", err, out)
	}
	if !strings.EqualFold(got.TokenType, "bearer") || got.ExpiresIn <= 0 || got.Scope != sbworld.ScopeDialogporten ||
		got.ClientID != w.boot.ClientID || got.Iss != w.issuer || got.Consumer["ID"] != "0192:"+w.boot.VendorOrg {
		t.Fatalf("token as openid-client and jose saw it: %s", out)
	}
	if got.Replay == nil || got.Replay.Error != "invalid_grant" || !strings.Contains(got.Replay.Description, "trace_id") {
		t.Fatalf("replayed assertion: %s", out)
	}
}

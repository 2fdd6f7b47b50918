package sandboxcmd_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/domain/sandboxlayout"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// `sandbox terms ORG --unsigned` puts an organisation where Digdir's onboarding leaves one that
// has not signed the terms of use: client creation answers 428 PRECONDITION_REQUIRED, and
// `explain` explains that body (and the old /clients path's 404) with what to do.
func TestSelfServiceTermsFromTheCommandLine(t *testing.T) {
	v := clitest.NewVendor(t)
	env := config.Sandbox(clitest.ReadConfigURL(t, v.Cfg))
	if r := clitest.Run(t, "", "--config", v.Cfg, "sandbox", "terms", world.DefaultVendorOrg, "--unsigned"); r.Code != 0 || !strings.Contains(r.Stdout, "428") {
		t.Fatalf("sandbox terms --unsigned: %+v", r)
	}
	if r := clitest.Run(t, "", "--config", v.Cfg, "sandbox", "terms", "12345"); r.Code != cli.ExitUsage {
		t.Fatalf("sandbox terms with a bad number: %+v", r)
	}
	tok := clitest.Run(t, "", "--config", v.Cfg, "--profile", "sandbox-admin", "token", "--scope", "idporten:dcr.write")
	if tok.Code != 0 {
		t.Fatalf("admin token: %+v", tok)
	}
	post := func(url string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"client_name":"x","description":"y","integration_type":"maskinporten","grant_types":["`+mp.GrantTypeJWTBearer+`"],"scopes":[]}`))
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(tok.Stdout))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := post(env.SelfService)
	if status != http.StatusPreconditionRequired {
		t.Fatalf("create with unsigned terms: HTTP %d %s", status, body)
	}
	r := clitest.Run(t, body, "explain", "-")
	if r.Code != 0 || !strings.Contains(r.Stdout, "PRECONDITION_REQUIRED") || !strings.Contains(r.Stdout, "bruksvilkår") ||
		!strings.Contains(r.Stdout, "HTTP 428") {
		t.Fatalf("explain the 428 body %s: %+v", body, r)
	}
	status, body = post(sandboxlayout.Join(clitest.ReadConfigURL(t, v.Cfg), sandboxlayout.SelfService) + mp.SelfServiceLegacyClientsPath)
	if status != http.StatusNotFound {
		t.Fatalf("old path: HTTP %d %s", status, body)
	}
	if r := clitest.Run(t, body, "explain", "-"); r.Code != 0 || !strings.Contains(r.Stdout, "/api/v1/clients") {
		t.Fatalf("explain the old path's 404 %s: %+v", body, r)
	}
	if r := clitest.Run(t, "", "--config", v.Cfg, "sandbox", "terms", world.DefaultVendorOrg); r.Code != 0 {
		t.Fatalf("sandbox terms: %+v", r)
	}
	if status, body := post(env.SelfService); status != http.StatusCreated {
		t.Fatalf("create after signing: HTTP %d %s", status, body)
	}
}

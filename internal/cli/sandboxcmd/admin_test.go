package sandboxcmd_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

func TestSandboxResourceAndScopeCommands(t *testing.T) {
	clitest.Isolate(t)
	dir := t.TempDir()
	var out struct {
		OK        bool                 `json:"ok"`
		Resources []world.ResourceInfo `json:"resources"`
		Scopes    []world.ScopeInfo    `json:"scopes"`
	}
	decodeOK := func(r clitest.Result) {
		t.Helper()
		out.Resources, out.Scopes = nil, nil
		if r.Code != 0 || json.Unmarshal([]byte(r.Stdout), &out) != nil || !out.OK {
			t.Fatalf("%+v", r)
		}
	}
	decodeOK(clitest.Run(t, "", "sandbox", "resource", "add", "acme-resource", "ske-krav-og-betalinger", "--title", "Acme", "--data", dir, "--json"))
	if len(out.Resources) != 2 || !out.Resources[0].Added || out.Resources[1].Added {
		t.Fatalf("add: %+v (the documented resource is seeded, so re-adding it reports added=false)", out.Resources)
	}
	decodeOK(clitest.Run(t, "", "sandbox", "resource", "add", "acme-resource", "--data", dir, "--json"))
	if out.Resources[0].Added || out.Resources[0].Title != "Acme" {
		t.Fatalf("re-add: %+v", out.Resources)
	}
	decodeOK(clitest.Run(t, "", "sandbox", "resource", "list", "--data", dir, "--json"))
	found := map[string]bool{}
	for _, r := range out.Resources {
		found[r.ID] = true
	}
	for _, want := range []string{"acme-resource", "ske-innrapportering-amelding", "app_ttd_endring-av-navn-v2"} {
		if !found[want] {
			t.Errorf("resource list lacks %s", want)
		}
	}
	if r := clitest.Run(t, "", "sandbox", "resource", "remove", "acme-resource", "no-such", "--data", dir); r.Code != 1 {
		t.Fatalf("remove with an unknown id: %+v", r)
	}
	decodeOK(clitest.Run(t, "", "sandbox", "resource", "remove", "acme-resource", "--data", dir, "--json"))
	if r := clitest.Run(t, "", "sandbox", "resource", "add", "bad id", "--data", dir); r.Code != 2 {
		t.Fatalf("invalid id: %+v", r)
	}
	decodeOK(clitest.Run(t, "", "sandbox", "scope", "add", "altinn:instances.read", "acme:widgets.write", "--data", dir, "--json"))
	if out.Scopes[0].Added || !out.Scopes[1].Added {
		t.Fatalf("scope add: %+v", out.Scopes)
	}
	decodeOK(clitest.Run(t, "", "sandbox", "scope", "list", "--data", dir, "--json"))
	names := map[string]bool{}
	for _, s := range out.Scopes {
		names[s.Name] = true
	}
	if !names["acme:widgets.write"] || !names["altinn:instances.write"] || !names["skatteetaten:kravogbetalinger"] {
		t.Fatalf("scope list: %v", names)
	}
	decodeOK(clitest.Run(t, "", "sandbox", "scope", "remove", "acme:widgets.write", "--data", dir, "--json"))
	if r := clitest.Run(t, "", "sandbox", "scope", "add", "noprefix", "--data", dir); r.Code != 2 {
		t.Fatalf("scope without prefix: %+v", r)
	}
}

func TestSandboxFaultsReachAServedSandbox(t *testing.T) {
	clitest.Isolate(t)
	sw := sandboxtest.New(t, sandboxtest.Unserved())
	dir, sb := sw.Dir, sw.SB
	running, err := sb.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close(context.Background())
	if r := clitest.Run(t, "", "sandbox", "faults", "add", "--kind", "throttle", "--path", "/healthz", "--retry-after", "3", "--data", dir); r.Code != 0 {
		t.Fatalf("faults add: %+v", r)
	}
	resp, err := http.Get(running.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3" {
		t.Fatalf("the served sandbox did not apply the rule: %d", resp.StatusCode)
	}
	for _, bad := range [][]string{{"--kind", "explode"}, {"--kind", "latency"}, {"--kind", "error", "--delay", "2s"}, {"--kind", "error", "--path", "x"}} {
		if r := clitest.Run(t, "", append([]string{"sandbox", "faults", "add", "--data", dir}, bad...)...); r.Code != 2 {
			t.Errorf("faults add %v: %+v", bad, r)
		}
	}
	clitest.Run(t, "", "sandbox", "faults", "add", "--kind", "error", "--path", "/nowhere", "--data", dir)
	var list struct {
		Faults []world.Fault `json:"faults"`
	}
	r := clitest.Run(t, "", "sandbox", "faults", "list", "--json", "--data", dir)
	if json.Unmarshal([]byte(r.Stdout), &list) != nil || len(list.Faults) != 1 {
		t.Fatalf("faults list: %+v", r)
	}
	if r := clitest.Run(t, "", "sandbox", "faults", "clear", "--data", dir); r.Code != 0 {
		t.Fatalf("clear: %+v", r)
	}
	if rules, _ := sb.Faults(); len(rules) != 0 {
		t.Fatalf("after clear: %v", rules)
	}
}

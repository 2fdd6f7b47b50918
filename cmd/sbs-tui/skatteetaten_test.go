package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/ske"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
)

// A real Skatteetaten error body is explained, not refused as "not an error body"
// (real-services.md §2): the sample API's own refusal, Skatteetaten's documented example, a code
// alone in either spelling, and `call` shows the explanation under the answer.
func TestExplainSkatteetatenBodies(t *testing.T) {
	isolate(t)
	cfgPath, sb := startSandbox(t)
	env := config.Sandbox(readConfigURL(t, cfgPath))
	resp, err := http.Get(env.Skatteetaten + sandbox.SampleAPIPath)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := runCLI(t, string(body), "explain", "-")
	if resp.StatusCode != 401 || r.code != 0 || !strings.Contains(r.stdout, "Skatteetaten error") || !strings.Contains(r.stdout, ske.CodeGLDAuthn) ||
		!strings.Contains(r.stdout, "Korrelasjonsid") {
		t.Fatalf("sample API body %s: %+v", body, r)
	}
	doc := `{"kode":"DAS-008","melding":"Du er ikke autorisert for tilgang til den forespurte ressursen.","korrelasjonsid":"13a865f5-28f9-47db-9abd-ab78977c79fe"}`
	r = runCLI(t, "", "explain", doc, "--json")
	var out struct {
		Body struct {
			Kind    string
			TraceID string `json:"trace_id"`
			Entries []struct{ Code string }
		}
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &out) != nil || out.Body.Kind != "skatteetaten" || len(out.Body.Entries) != 1 ||
		out.Body.Entries[0].Code != "DAS-008" || out.Body.TraceID != "13a865f5-28f9-47db-9abd-ab78977c79fe" {
		t.Fatalf("documented body: %+v", r)
	}
	for _, q := range []string{"GLD_005", "gld-005", "KB-005"} {
		if r := runCLI(t, "", "explain", q); r.code != 0 || !strings.Contains(r.stdout, "Skatteetaten") {
			t.Errorf("explain %s: %+v", q, r)
		}
	}
	if r := runCLI(t, `{"kode":"XYZ-1","melding":"m","korrelasjonsid":"c"}`, "explain", "-"); r.code != 0 || !strings.Contains(r.stdout, "XYZ-1 is not in the catalogue") {
		t.Fatalf("unknown code: %+v", r)
	}
	// call: the refusal is decoded and explained under the body.
	boot, _ := sb.Bootstrap()
	cmd := func(args ...string) []string { return append([]string{"--config", cfgPath}, args...) }
	if r := runCLI(t, "", cmd("system", "register", "--file", seedPageSystem(t, boot.ClientID))...); r.code != 0 {
		t.Fatalf("register: %+v", r)
	}
	var req struct{ ID string }
	decode(t, runCLI(t, "", cmd("request", "create", "--system", "974761076_skatt_demo_system", "--org", "313367002", "--agent",
		"--package", "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet", "--json")...), &req)
	if r := runCLI(t, "", cmd("sandbox", "approve", req.ID)...); r.code != 0 {
		t.Fatalf("approve: %+v", r)
	}
	c := runCLI(t, "", cmd("call", env.Skatteetaten+"api/sample/v1/nope", "--systemuser-org", "313367002")...)
	if c.code == 0 || !strings.Contains(c.stdout, "Skatteetaten DAS-002 (HTTP 404)") || !strings.Contains(c.stdout, "Next:") {
		t.Fatalf("call: %+v", c)
	}
}

package inspectcmd_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/ske"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
)

// A real Skatteetaten error body is explained, not refused as "not an error body"
// (real-services.md §2): the sample API's own refusal, Skatteetaten's documented example, a code
// alone in either spelling, and `call` shows the explanation under the answer.
func TestExplainSkatteetatenBodies(t *testing.T) {
	v := clitest.NewVendor(t)
	env := config.Sandbox(clitest.ReadConfigURL(t, v.Cfg))
	resp, err := http.Get(env.Skatteetaten + sandbox.SampleAPIPath)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := clitest.Run(t, string(body), "explain", "-")
	if resp.StatusCode != 401 || r.Code != 0 || !strings.Contains(r.Stdout, "Skatteetaten error") || !strings.Contains(r.Stdout, ske.CodeGLDAuthn) ||
		!strings.Contains(r.Stdout, "Korrelasjonsid") {
		t.Fatalf("sample API body %s: %+v", body, r)
	}
	doc := `{"kode":"DAS-008","melding":"Du er ikke autorisert for tilgang til den forespurte ressursen.","korrelasjonsid":"13a865f5-28f9-47db-9abd-ab78977c79fe"}`
	r = clitest.Run(t, "", "explain", doc, "--json")
	var out struct {
		Body struct {
			Kind    string
			TraceID string `json:"trace_id"`
			Entries []struct{ Code string }
		}
	}
	if r.Code != 0 || json.Unmarshal([]byte(r.Stdout), &out) != nil || out.Body.Kind != "skatteetaten" || len(out.Body.Entries) != 1 ||
		out.Body.Entries[0].Code != "DAS-008" || out.Body.TraceID != "13a865f5-28f9-47db-9abd-ab78977c79fe" {
		t.Fatalf("documented body: %+v", r)
	}
	for _, q := range []string{"GLD_005", "gld-005", "KB-005"} {
		if r := clitest.Run(t, "", "explain", q); r.Code != 0 || !strings.Contains(r.Stdout, "Skatteetaten") {
			t.Errorf("explain %s: %+v", q, r)
		}
	}
	if r := clitest.Run(t, `{"kode":"XYZ-1","melding":"m","korrelasjonsid":"c"}`, "explain", "-"); r.Code != 0 || !strings.Contains(r.Stdout, "XYZ-1 is not in the catalogue") {
		t.Fatalf("unknown code: %+v", r)
	}
	// call: the refusal is decoded and explained under the body.
	cmd := v.Args
	if r := clitest.Run(t, "", cmd("system", "register", "--file", clitest.SeedPageSystem(t, v.ClientID))...); r.Code != 0 {
		t.Fatalf("register: %+v", r)
	}
	var req struct{ ID string }
	clitest.Decode(t, clitest.Run(t, "", cmd("request", "create", "--system", "974761076_skatt_demo_system", "--org", "313367002", "--agent",
		"--package", "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet", "--json")...), &req)
	if r := clitest.Run(t, "", cmd("sandbox", "approve", req.ID)...); r.Code != 0 {
		t.Fatalf("approve: %+v", r)
	}
	c := clitest.Run(t, "", cmd("call", env.Skatteetaten+"api/sample/v1/nope", "--systemuser-org", "313367002")...)
	if c.Code == 0 || !strings.Contains(c.Stdout, "Skatteetaten DAS-002 (HTTP 404)") || !strings.Contains(c.Stdout, "Next:") {
		t.Fatalf("call: %+v", c)
	}
}

// A real MP-200 body (as observed, maskinporten.md §3.3) is explained with the refused scope
// and who grants it.
func TestExplainNamesTheRefusedScope(t *testing.T) {
	clitest.Isolate(t)
	body := `{"error":"invalid_scope","error_description":"Token request contains invalid scopes for client, altinn:serviceowners/read (trace_id: 3b1b2e0f2a9d4c6e8f0a1b2c3d4e5f60)","error_uri":"https://test.maskinporten.no/errors/MP-200"}`
	r := clitest.Run(t, body, "explain", "-")
	if r.Code != 0 || !strings.Contains(r.Stdout, "Likely: The scope altinn:serviceowners/read is not on this client") || !strings.Contains(r.Stdout, "MP-200") {
		t.Fatalf("%+v", r)
	}
}

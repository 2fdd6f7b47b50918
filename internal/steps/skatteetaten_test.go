package steps

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/ske"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Step 8's default outside the sandbox is the own host of the API the profile's scope names
// (real-services.md §1 row 15): the shared api-test.sits.no / api.skatteetaten.no hosts were
// retired on 2024-10-17.
func TestStep8DefaultsToThePerAPIHost(t *testing.T) {
	t.Parallel()
	cases := []struct {
		env    string
		scopes []string
		want   string
	}{
		{config.EnvTest, []string{"digdir:dialogporten", "skatteetaten:innrapporteringboligselskap"}, "https://innrapporteringboligselskap.api.skatteetaten-test.no/v1/"},
		{config.EnvProd, []string{"skatteetaten:innrapporteringboligselskap"}, "https://innrapporteringboligselskap.api.skatteetaten.no/v1/"},
		{config.EnvTest, []string{"skatteetaten:kravogbetalinger"}, "https://kravogbetalinger.api.skatteetaten-test.no/v1/"},
		{config.EnvTest, []string{"skatteetaten:innrapporteringaksjonaerregisteroppgave"}, "https://innrapporteringaksjonaerregisteroppgave.api.skatteetaten-test.no/api/aksjonaerregister/1086/v1/"},
		{config.EnvProd, nil, "https://kravogbetalinger.api.skatteetaten.no/v1/"},
	}
	for _, c := range cases {
		e, err := config.Builtin(c.env)
		if err != nil {
			t.Fatal(err)
		}
		s := NewSession(e, &config.File{}, "p", &config.Profile{Env: c.env, Scopes: c.scopes}, http.DefaultClient, time.Now, nil)
		if got := DefaultAPIURL(s, sandbox.SampleAPIPath); got != c.want {
			t.Errorf("%s %v: step 8 default %q, want %q", c.env, c.scopes, got, c.want)
		}
		for _, u := range e.SkatteetatenAPIs {
			if strings.Contains(u, "sits.no") || strings.HasPrefix(u, "https://api.skatteetaten.no") {
				t.Errorf("%s: retired host %s", c.env, u)
			}
		}
	}
	// An override of the retired host is warned about, and wins over the built-in hosts.
	e, _ := config.Builtin(config.EnvTest)
	e, warnings := e.ApplyOverrides(config.URLOverrides{Skatteetaten: "https://api-test.sits.no/"})
	if len(warnings) != 1 || !strings.Contains(warnings[0].Error(), "own host") || e.SkatteetatenAPI([]string{"skatteetaten:kravogbetalinger"}) != "https://api-test.sits.no/" {
		t.Fatalf("override: %v %q", warnings, e.SkatteetatenAPI(nil))
	}
}

// The sample API refuses as Skatteetaten's APIs do, with {kode, melding, korrelasjonsid}
// (real-services.md §2, "Skatteetaten error bodies"): step 8 decodes the body and explains the
// code with what to do.
func TestSampleAPIAnswersSkatteetatenErrors(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := w.registered(t, "974761076_demo")
	r := w.approved(t, RequestParams{SystemID: d.ID, OrgNo: "313367002", Packages: []string{"skattegrunnlag"}})
	base := w.vendor.Env.Skatteetaten
	cases := []struct {
		name, url string
		scopes    []string
		status    int
		kode      string
		fix       string
	}{
		{"another party", base + "api/sample/v1/parties/311000004/status", nil, 403, ske.CodeNotAuthorize, "systemuser_org"},
		{"no skatteetaten scope", base + sandbox.SampleAPIPath, []string{sbworld.ScopeDialogporten}, 403, ske.CodeGLDAuthz, "skatteetaten:innrapporteringboligselskap"},
		{"no such endpoint", base + "api/sample/v1/nope", nil, 404, ske.CodeNoEndpoint, "own host"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := CallAPI(testCtx(t), w.vendor, CallParams{URL: c.url, SystemUserOrg: "313367002", Scopes: c.scopes})
			if err != nil {
				t.Fatal(err)
			}
			b := res.Skatteetaten
			if res.Status != c.status || b == nil || b.Kode != c.kode || b.Melding == "" || len(b.Korrelasjonsid) != 36 {
				t.Fatalf("HTTP %d, body %s, decoded %+v", res.Status, res.Body, b)
			}
			ex := ExplainCall(w.vendor, res, CallSubject{Facilitator: "313367002", SystemUserID: r.Request.ID})
			if !strings.Contains(ex, c.kode) || !strings.Contains(ex, "Next:") || !strings.Contains(ex, c.fix) || !strings.Contains(ex, b.Korrelasjonsid) {
				t.Fatalf("explanation: %s", ex)
			}
		})
	}
	// No token at all: 401 in the same shape.
	resp, err := w.srv.Client().Get(base + sandbox.SampleAPIPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body [1024]byte
	n, _ := resp.Body.Read(body[:])
	if b, ok := ske.ParseBody(body[:n]); resp.StatusCode != 401 || !ok || b.Kode != ske.CodeGLDAuthn {
		t.Fatalf("no token: HTTP %d %s", resp.StatusCode, body[:n])
	}
}

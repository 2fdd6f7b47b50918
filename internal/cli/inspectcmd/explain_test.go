package inspectcmd_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/domain/ske"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Every code of the catalogues is explained by the command, with the catalogue's meaning and
// every fix; uncoded Maskinporten errors are found by their key, the approval page's errors
// by their AMUI code with both of the page's texts.
func TestExplainCoversEveryCatalogueCode(t *testing.T) {
	clitest.Isolate(t)
	seen := 0
	// explained runs `explain query` and wants every text in its answer.
	explained := func(query, meaning string, fixes []string, also ...string) {
		t.Helper()
		r := clitest.Run(t, "", "explain", query)
		if r.Code != 0 || !strings.Contains(r.Stdout, meaning) {
			t.Errorf("explain %s: %+v", query, r)
		}
		for _, f := range append(fixes, also...) {
			if !strings.Contains(r.Stdout, f) {
				t.Errorf("explain %s lacks %q", query, f)
			}
		}
		seen++
	}
	for _, p := range mp.Problems() {
		q := p.Code
		if q == "" {
			q = string(p.Key)
		}
		explained(q, p.Meaning, p.Fixes)
	}
	for _, p := range mp.SelfServiceProblems() {
		explained(string(p.Code), p.Meaning, p.Fixes, "self-service")
	}
	for _, p := range ske.Problems() {
		explained(strings.ToLower(p.Code), p.Meaning, p.Fixes, "Skatteetaten")
	}
	for _, p := range altinn.PageProblems() {
		explained(p.Code, p.Meaning, p.Fixes, "approval page", p.TextNB, p.TextEN)
	}
	for _, p := range altinn.Problems() {
		r := clitest.Run(t, "", "explain", strings.ToLower(string(p.Code)))
		if r.Code != 0 || !strings.Contains(r.Stdout, p.Meaning) || !strings.Contains(r.Stdout, p.Fix) || !strings.Contains(r.Stdout, string(p.Code)) {
			t.Errorf("explain %s: %+v", p.Code, r)
		}
		seen++
	}
	// --list names every entry once.
	r := clitest.Run(t, "", "explain", "--list", "--json")
	var out struct {
		Entries []struct {
			Code, Key string
		}
	}
	if r.Code != 0 || json.Unmarshal([]byte(r.Stdout), &out) != nil || len(out.Entries) != seen {
		t.Fatalf("explain --list --json: %d entries, want %d: %+v", len(out.Entries), seen, r)
	}
	text := clitest.Run(t, "", "explain", "--list")
	for _, p := range altinn.Problems() {
		if !strings.Contains(text.Stdout, string(p.Code)) {
			t.Errorf("--list lacks %s", p.Code)
		}
	}
}

// The customer reads out what Altinn's approval page said, not a code: support finds the
// entry from a piece of the text, in bokmål or English, in any case.
func TestExplainFindsTheApprovalPageByItsText(t *testing.T) {
	clitest.Isolate(t)
	for q, code := range map[string]string{
		"Du mangler fullmakt til nødvendige tilgangspakker":                 "AMUI-00068",
		"din rolle har ikke fullmakt til å delegere tjenester":              "AMUI-00016",
		"The resource is not delegable because it is a Maskinporten schema": "AMUI-00071",
		"amui-00053": "AMUI-00053",
	} {
		r := clitest.Run(t, "", "explain", q)
		if r.Code != 0 || !strings.HasPrefix(r.Stdout, code+"  (Altinn approval page") || !strings.Contains(r.Stdout, "Next") && !strings.Contains(r.Stdout, "next steps") {
			t.Errorf("explain %q: want %s: %+v", q, code, r)
		}
	}
	// A short or unknown text is not guessed.
	if r := clitest.Run(t, "", "explain", "fullmakt"); r.Code != cli.ExitUsage {
		t.Errorf("explain fullmakt: %+v", r)
	}
}

func TestExplainUnknownCodeIsUsageError(t *testing.T) {
	clitest.Isolate(t)
	r := clitest.Run(t, "", "explain", "MP-999")
	if r.Code != cli.ExitUsage || !strings.Contains(r.Stderr, "explain --list") {
		t.Fatalf("%+v", r)
	}
	if r := clitest.Run(t, "", "explain"); r.Code != cli.ExitUsage {
		t.Fatalf("no args: %+v", r)
	}
}

// Bodies the sandbox really answers are explained: a Maskinporten error JSON (coded and
// uncoded), an Altinn problem and a validation problem.
func TestExplainPastedBodiesFromTheSandbox(t *testing.T) {
	v := clitest.NewVendor(t)
	file, err := config.Load(v.Cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	prof, _, _, _ := file.Profile("")
	env := config.Sandbox(clitest.ReadConfigURL(t, v.Cfg))

	post := func(form url.Values) []byte {
		resp, err := http.PostForm(env.MaskinportenToken, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return b
	}
	// MP-011: an assertion that is not a JWT.
	body := post(url.Values{"grant_type": {mp.GrantTypeJWTBearer}, "assertion": {"not-a-jwt"}})
	r := clitest.Run(t, string(body), "explain", "-")
	if r.Code != 0 || !strings.Contains(r.Stdout, "MP-011") || !strings.Contains(r.Stdout, "Trace id") {
		t.Fatalf("MP-011 body %s: %+v", body, r)
	}
	// An uncoded error, recognised by its description.
	body = post(url.Values{"grant_type": {"client_credentials"}, "assertion": {"x"}})
	r = clitest.Run(t, string(body), "explain", "-", "--json")
	if r.Code != 0 || !strings.Contains(r.Stdout, `"key": "grant-type"`) {
		t.Fatalf("grant type body %s: %+v", body, r)
	}

	// Altinn: a validation problem for a system with a bad id, sent with a real token.
	tok := clitest.Run(t, "", "--config", v.Cfg, "token", "--scope", world.ScopeSystemRegisterWrite)
	if tok.Code != 0 {
		t.Fatalf("token: %+v", tok)
	}
	req, _ := http.NewRequest(http.MethodPost, env.AltinnPlatform+"authentication/api/v1/systemregister/vendor",
		strings.NewReader(`{"id":"bad id","vendor":{"authority":"iso6523-actorid-upis","ID":"0192:`+prof.OrgNo+`"},"name":{"nb":"x"},"description":{"nb":"x"},"clientId":["c"],"rights":[],"isVisible":true}`))
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(tok.Stdout))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	vb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r = clitest.Run(t, string(vb), "explain", "-")
	if r.Code != 0 || !strings.Contains(r.Stdout, "AUTH.VLD-") || !strings.Contains(r.Stdout, "validation problem") {
		t.Fatalf("validation body %s (HTTP %d): %+v", vb, resp.StatusCode, r)
	}
	// Altinn problem: a request id that does not exist.
	tok = clitest.Run(t, "", "--config", v.Cfg, "token", "--scope", world.ScopeRequestRead)
	req, _ = http.NewRequest(http.MethodGet, env.AltinnPlatform+"authentication/api/v1/systemuser/request/vendor/00000000-0000-0000-0000-000000000001", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(tok.Stdout))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r = clitest.Run(t, "", "explain", string(pb))
	if r.Code != 0 || !strings.Contains(r.Stdout, "AUTH-00010") {
		t.Fatalf("problem body %s (HTTP %d): %+v", pb, resp.StatusCode, r)
	}
	// Not an error body.
	if r := clitest.Run(t, "hello", "explain", "-"); r.Code != cli.ExitFailure || !strings.Contains(r.Stderr, "not an error body") {
		t.Fatalf("garbage: %+v", r)
	}
}

// explain speaks the global --lang: MP-303's meaning and fixes in bokmål and nynorsk from the
// catalogue, the server's text as the server said it; an unknown language is a usage error.
func TestExplainInBokmaalAndNynorsk(t *testing.T) {
	clitest.Isolate(t)
	var p mp.Problem
	for _, q := range mp.Problems() {
		if q.Code == "MP-303" {
			p = q
		}
	}
	if p.Code == "" {
		t.Fatal("MP-303 is not in the catalogue")
	}
	for lang, want := range map[string][]string{
		"nb": {"Betydning:", "Altinn fant ingen godkjent systembruker for denne klienten, leverandøren og kunden.",
			"Vanlige årsaker og neste steg:", "1. Kunden har ikke godkjent forespørselen om systemtilgang ennå (sjekk med `sbs-tui request status`).",
			"4. Systemet i Altinns systemregister har ikke denne klient-id-en: legg den til i clientId.", "Tjeneren sier: " + p.Description},
		"nn": {"Tyding:", "Altinn fann ingen godkjend systembrukar for denne klienten, leverandøren og kunden.",
			"Vanlege årsaker og neste steg:", "1. Kunden har ikkje godkjent førespurnaden om systemtilgang enno (sjekk med `sbs-tui request status`).",
			"Tenaren seier: " + p.Description},
	} {
		r := clitest.Run(t, "", "explain", "MP-303", "--lang", lang)
		if r.Code != 0 {
			t.Fatalf("explain MP-303 --lang %s: %+v", lang, r)
		}
		for _, w := range want {
			if !strings.Contains(r.Stdout, w) {
				t.Errorf("explain MP-303 --lang %s lacks %q:\n%s", lang, w, r.Stdout)
			}
		}
		if strings.Contains(r.Stdout, p.Meaning) {
			t.Errorf("explain MP-303 --lang %s still has the English meaning", lang)
		}
	}
	// --json stays English whatever the language.
	r := clitest.Run(t, "", "explain", "MP-303", "--lang", "nb", "--json")
	if r.Code != 0 || !strings.Contains(r.Stdout, p.Meaning) {
		t.Errorf("explain MP-303 --lang nb --json: %+v", r)
	}
	r = clitest.Run(t, "", "explain", "MP-303", "--lang", "de")
	if r.Code != 2 || !strings.Contains(r.Stderr, "--lang") {
		t.Errorf("explain MP-303 --lang de: want exit 2 naming --lang: %+v", r)
	}
	r = clitest.Run(t, "", "explain", "XX-1", "--lang", "nn")
	if r.Code != 2 || !strings.Contains(r.Stderr, "finst ikkje i katalogen") {
		t.Errorf("explain XX-1 --lang nn: %+v", r)
	}
}

package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/domain/sandboxlayout"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// testBase is the host the hardening tests address the handler as.
const testBase = "http://127.0.0.1"

// bearer mints a sandbox Maskinporten token for org with scopes, signed with the sandbox's
// key, as if the token endpoint had issued it.
func bearer(t testing.TB, sb *Sandbox, org string, scopes ...string) string {
	t.Helper()
	iss := env.IssuerOf(httptest.NewRequest(http.MethodGet, testBase+"/", nil))
	tok, err := env.Ring{Env: sb.Env}.SignClaims(map[string]any{
		"iss": iss, "exp": sb.Opts.Now().Add(time.Minute).Unix(), "scope": strings.Join(scopes, " "),
		"client_id": "test-client", "consumer": mp.NewOrgID(org),
	})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// do serves one request through the sandbox's handler and returns the answer.
func do(h http.Handler, method, path, token, contentType, body string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, testBase+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func clientKids(t testing.TB, sb *Sandbox, id string) []string {
	t.Helper()
	var kids []string
	_ = sb.View(func(st *world.State) error {
		for _, k := range st.Clients[id].JWKs {
			kids = append(kids, k.Kid())
		}
		return nil
	})
	return kids
}

// A malformed key upload must never replace the client's keys with nothing.
func TestJWKSUploadRefusesMalformedBodies(t *testing.T) {
	t.Parallel()
	sb := openTest(t)
	h := sb.Handler()
	boot, _ := sb.Bootstrap()
	tok := bearer(t, sb, boot.VendorOrg, world.AdminScopes...)
	path := sandboxlayout.SelfService + mp.SelfServiceClientsPath + "/" + boot.ClientID + "/jwks"
	before := clientKids(t, sb, boot.ClientID)
	if len(before) != 1 {
		t.Fatalf("seeded keys = %v", before)
	}
	cases := []struct{ name, ctype, body string }{
		{"empty object", "application/json", `{}`},
		{"null", "application/json", `null`},
		{"keys null", "application/json", `{"keys":null}`},
		{"explicit empty set", "application/json", `{"keys":[]}`},
		{"null key", "application/json", `{"keys":[null]}`},
		{"bare array", "application/json", `[]`},
		{"text/plain", "text/plain", `{"keys":[]}`},
		{"no content type", "", `{}`},
		{"invalid UTF-8", "application/json", "{\"keys\":[],\"x\":\"\xff\xfe\"}"},
		{"empty body", "application/json", ``},
	}
	for _, c := range cases {
		for _, method := range []string{http.MethodPut, http.MethodPost} {
			rec := do(h, method, path, tok, c.ctype, c.body)
			if rec.Code != http.StatusBadRequest {
				t.Errorf("%s %s: status %d, want 400: %s", method, c.name, rec.Code, rec.Body)
				continue
			}
			var e mp.ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" || e.ErrorDescription == "" {
				t.Errorf("%s %s: not the self-service error shape: %s", method, c.name, rec.Body)
			}
		}
	}
	if after := clientKids(t, sb, boot.ClientID); len(after) != 1 || after[0] != before[0] {
		t.Fatalf("keys changed by refused uploads: %v -> %v", before, after)
	}
	// Removing every key is an explicit DELETE.
	if rec := do(h, http.MethodDelete, path, tok, "", ""); rec.Code != http.StatusNoContent {
		t.Fatalf("DELETE jwks = %d %s", rec.Code, rec.Body)
	}
	if after := clientKids(t, sb, boot.ClientID); len(after) != 0 {
		t.Fatalf("keys after DELETE: %v", after)
	}
}

func readAll(r io.Reader) string { b, _ := io.ReadAll(r); return string(b) }

func addTestRequests(t testing.TB, sb *Sandbox) {
	t.Helper()
	err := sb.Update(func(st *world.State) error {
		st.Systems["974761076_demo"] = &world.System{ID: "974761076_demo", VendorOrg: "974761076", Name: map[string]string{"nb": "Demo"}, Description: map[string]string{"nb": "D"}}
		for _, q := range []*world.Request{
			{ID: "std", SystemID: "974761076_demo", VendorOrg: "974761076", PartyOrgNo: "313367002", ExternalRef: "313367002", Status: altinn.StatusNew, Created: time.Now()},
			{ID: "agent", Agent: true, SystemID: "974761076_demo", VendorOrg: "974761076", PartyOrgNo: "313367002", ExternalRef: "x", Status: altinn.StatusNew, Created: time.Now()},
		} {
			st.Requests[q.ID] = q
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func requestStatus(sb *Sandbox, id string) string {
	var s string
	_ = sb.View(func(st *world.State) error {
		if q := st.Requests[id]; q != nil {
			s = q.Status
		}
		return nil
	})
	return s
}

func TestApprovalPageRefusesForgedDecisions(t *testing.T) {
	t.Parallel()
	sb := openTest(t)
	h := sb.Handler()
	addTestRequests(t, sb)
	const std = "/altinn-ui/accessmanagement/ui/systemuser/request?id=std"
	const agent = "/altinn-ui/accessmanagement/ui/systemuser/agentrequest?id=agent"
	const form = "application/x-www-form-urlencoded"
	cases := []struct {
		name, path, body string
		hdr              []string
		want             int
	}{
		{"cross-site fetch metadata", std, "decision=approve", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"foreign Origin", std, "decision=approve", []string{"Origin", "https://evil.example"}, 403},
		{"capitalised decision", std, "decision=Approve", nil, 400},
		{"unknown decision", std, "decision=maybe", nil, 400},
		{"empty decision", std, "decision=", nil, 400},
		{"no decision", std, "", nil, 400},
		{"two decisions", std, "decision=approve&decision=reject", nil, 400},
		{"agent request on the standard page", "/altinn-ui/accessmanagement/ui/systemuser/request?id=agent", "decision=reject", nil, 404},
		{"standard request on the agent page", "/altinn-ui/accessmanagement/ui/systemuser/agentrequest?id=std", "decision=reject", nil, 404},
	}
	for _, c := range cases {
		rec := do(h, http.MethodPost, c.path, "", form, c.body, c.hdr...)
		if rec.Code != c.want {
			t.Errorf("%s: status %d, want %d", c.name, rec.Code, c.want)
		}
		if got := rec.Header().Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("%s: X-Frame-Options %q", c.name, got)
		}
		if s1, s2 := requestStatus(sb, "std"), requestStatus(sb, "agent"); s1 != altinn.StatusNew || s2 != altinn.StatusNew {
			t.Fatalf("%s changed state: std=%s agent=%s", c.name, s1, s2)
		}
	}
	for _, p := range []string{std, agent, "/altinn-ui/accessmanagement/ui/systemuser/request?id=nope"} {
		rec := do(h, http.MethodGet, p, "", "", "")
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || rec.Header().Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s may be framed: CSP %q", p, csp)
		}
	}
	// The page's own form still works, from a browser (same-origin) and from a plain client.
	if rec := do(h, http.MethodPost, std, "", form, "decision=approve", "Sec-Fetch-Site", "same-origin", "Origin", testBase); rec.Code != 200 || requestStatus(sb, "std") != altinn.StatusAccepted {
		t.Fatalf("same-origin approval: %d %s", rec.Code, requestStatus(sb, "std"))
	}
	if rec := do(h, http.MethodPost, agent, "", form, "decision=reject"); rec.Code != 200 || requestStatus(sb, "agent") != altinn.StatusRejected {
		t.Fatalf("plain-client rejection: %d %s", rec.Code, requestStatus(sb, "agent"))
	}
}

func TestFaultControlValidates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sb := openDir(t, dir)
	h := sb.Handler()
	const js = "application/json"
	refused := []struct {
		name, ctype, body string
		hdr               []string
		want              int
	}{
		{"text/plain", "text/plain", `{"kind":"error"}`, nil, 415},
		{"cross-site", js, `{"kind":"error"}`, []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"unknown kind", js, `{"kind":"explode"}`, nil, 400},
		{"empty kind", js, `{"kind":""}`, nil, 400},
		{"no kind", js, `{"path_prefix":"/"}`, nil, 400},
		{"unknown field", js, `{"kind":"error","delay_ms":5}`, nil, 400},
		{"nanosecond delay", js, `{"kind":"latency","delay":2000000000}`, nil, 400},
		{"bad duration", js, `{"kind":"latency","delay":"soon"}`, nil, 400},
		{"latency without delay", js, `{"kind":"latency"}`, nil, 400},
		{"huge delay", js, `{"kind":"latency","delay":"2h"}`, nil, 400},
		{"delay on error", js, `{"kind":"error","delay":"2s"}`, nil, 400},
		{"negative times", js, `{"kind":"error","times":-1}`, nil, 400},
		{"bad method", js, `{"kind":"error","method":"GE T"}`, nil, 400},
		{"relative path", js, `{"kind":"error","path_prefix":"maskinporten"}`, nil, 400},
		{"two objects", js, `{"kind":"error"}{"kind":"error"}`, nil, 400},
		{"null", js, `null`, nil, 400},
	}
	for _, c := range refused {
		if rec := do(h, http.MethodPost, "/_sandbox/faults", "", c.ctype, c.body, c.hdr...); rec.Code != c.want {
			t.Errorf("%s: status %d, want %d: %s", c.name, rec.Code, c.want, rec.Body)
		}
	}
	if rules, _ := sb.Faults(); len(rules) != 0 {
		t.Fatalf("refused rules were stored: %+v", rules)
	}
	if rec := do(h, http.MethodGet, "/healthz", "", "", ""); rec.Code != 200 {
		t.Fatalf("a refused rule acts: /healthz = %d", rec.Code)
	}
	// Durations as strings; a rule added through one instance acts in another on the same
	// data directory (another process serving it).
	rec := do(h, http.MethodPost, "/_sandbox/faults", "", js, `{"kind":"throttle","path_prefix":"/healthz","retry_after":2,"times":2}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("valid rule: %d %s", rec.Code, rec.Body)
	}
	if _, err := sb.InjectFault(world.Fault{Kind: world.FaultLatency, PathPrefix: "/nowhere", Delay: 2 * time.Second}); err != nil {
		t.Fatal(err)
	}
	other := openDir(t, dir)
	if rec := do(other.Handler(), http.MethodGet, "/healthz", "", "", ""); rec.Code != 429 || rec.Header().Get("Retry-After") != "2" {
		t.Fatalf("rule from another instance: %d %v", rec.Code, rec.Header())
	}
	list := do(h, http.MethodGet, "/_sandbox/faults", "", "", "")
	if !strings.Contains(list.Body.String(), `"delay":"2s"`) || !strings.Contains(list.Body.String(), `"times":1`) {
		t.Fatalf("listing: %s", list.Body)
	}
	// The rule count is capped.
	n := 0
	for ; n < world.MaxFaultRules+5; n++ {
		if _, err := sb.InjectFault(world.Fault{Kind: world.FaultError, PathPrefix: "/nowhere"}); err != nil {
			if !errors.Is(err, world.ErrTooManyFaults) {
				t.Fatal(err)
			}
			break
		}
	}
	if rules, _ := sb.Faults(); len(rules) != world.MaxFaultRules {
		t.Fatalf("%d rules stored, cap %d", len(rules), world.MaxFaultRules)
	}
	if rec := do(h, http.MethodPost, "/_sandbox/faults", "", js, `{"kind":"error"}`); rec.Code != http.StatusConflict {
		t.Fatalf("over the cap: %d", rec.Code)
	}
	if rec := do(h, http.MethodDelete, "/_sandbox/faults", "", "", "", "Origin", "https://evil.example"); rec.Code != 403 {
		t.Fatalf("cross-site clear: %d", rec.Code)
	}
	if rec := do(h, http.MethodDelete, "/_sandbox/faults", "", "", ""); rec.Code != 204 {
		t.Fatalf("clear: %d", rec.Code)
	}
	if rules, _ := sb.Faults(); len(rules) != 0 {
		t.Fatalf("after clear: %d rules", len(rules))
	}
}

func TestNullBodyOnRightsAndPackagesIsRefused(t *testing.T) {
	t.Parallel()
	sb := openTest(t)
	h := sb.Handler()
	boot, _ := sb.Bootstrap()
	tok := bearer(t, sb, boot.VendorOrg, world.ScopeSystemRegisterWrite)
	rights := []altinn.Right{{Resource: []altinn.AttributePair{{ID: altinn.ResourceAttribute, Value: "ske-innrapportering-boligsameie"}}}}
	pkgs := []altinn.PackageRef{{URN: "urn:altinn:accesspackage:regnskapsforer-lonn"}}
	err := sb.Update(func(st *world.State) error {
		st.Systems["974761076_demo"] = &world.System{ID: "974761076_demo", VendorOrg: boot.VendorOrg, Name: map[string]string{"nb": "D"},
			Rights: rights, AccessPackages: pkgs}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	base := "/altinn/authentication/api/v1/systemregister/vendor/974761076_demo/"
	for _, sub := range []string{"rights", "accesspackages"} {
		for _, body := range []string{"null", " null\n", ""} {
			rec := do(h, http.MethodPut, base+sub, tok, "application/json", body)
			var p altinn.ProblemBody
			if rec.Code != http.StatusBadRequest || json.Unmarshal(rec.Body.Bytes(), &p) != nil || len(p.Errors[""]) != 1 || p.Errors[""][0] != "A non-empty request body is required." {
				t.Errorf("PUT %s %q: %d %s", sub, body, rec.Code, rec.Body)
			}
		}
	}
	_ = sb.View(func(st *world.State) error {
		if sys := st.Systems["974761076_demo"]; len(sys.Rights) != 1 || len(sys.AccessPackages) != 1 {
			t.Fatalf("a refused body cleared the system: %+v %+v", sys.Rights, sys.AccessPackages)
		}
		return nil
	})
}

func TestBrregNotFoundBodyIsEncoded(t *testing.T) {
	t.Parallel()
	h := openTest(t).Handler()
	for _, orgNo := range []string{`x","navn":"Injected AS`, `x\`, "x\u2028", `<script>`} {
		rec := do(h, http.MethodGet, "/brreg/enhetsregisteret/api/enheter/"+url.PathEscape(orgNo), "", "", "")
		var body map[string]any
		if rec.Code != 404 || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
			t.Fatalf("%q: %d %s", orgNo, rec.Code, rec.Body)
		}
		if len(body) != 1 || !strings.Contains(body["feilmelding"].(string), orgNo) {
			t.Fatalf("%q: fields %v", orgNo, body)
		}
	}
}

func TestSystemIDWithInvalidUTF8IsRefused(t *testing.T) {
	t.Parallel()
	sb := openTest(t)
	h := sb.Handler()
	boot, _ := sb.Bootstrap()
	tok := bearer(t, sb, boot.VendorOrg, world.ScopeSystemRegisterWrite)
	def := map[string]any{
		"id": "974761076_bad\xff\xfe", "vendor": map[string]string{"authority": "iso6523-actorid-upis", "ID": "0192:974761076"},
		"name": map[string]string{"nb": "n", "en": "n", "nn": "n"}, "description": map[string]string{"nb": "d", "en": "d", "nn": "d"},
		"clientId": []string{boot.ClientID}, "isVisible": false, "accessPackages": []map[string]string{{"urn": "urn:altinn:accesspackage:regnskapsforer-lonn"}},
	}
	// json.Marshal would coerce the bytes to U+FFFD; build the body by hand as a raw client would.
	b, _ := json.Marshal(def)
	body := strings.Replace(string(b), `974761076_bad\ufffd\ufffd`, "974761076_bad\xff\xfe", 1)
	if !strings.Contains(body, "\xff") {
		t.Fatal("test body lacks the invalid bytes")
	}
	rec := do(h, http.MethodPost, "/altinn/authentication/api/v1/systemregister/vendor", tok, "application/json", body)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("invalid UTF-8 id: %d %s", rec.Code, rec.Body)
	}
	_ = sb.View(func(st *world.State) error {
		for id := range st.Systems {
			t.Errorf("stored system %q", id)
		}
		return nil
	})
	if vs := altinn.ValidateSystemID("974761076_bad\xff", "974761076"); len(vs) == 0 {
		t.Fatal("the domain rule accepts an id that is not UTF-8")
	}
}

func TestDiscoveryAtTheRFC8414Locations(t *testing.T) {
	t.Parallel()
	h := openTest(t).Handler()
	for _, p := range []string{
		"/maskinporten/.well-known/oauth-authorization-server",
		"/.well-known/oauth-authorization-server/maskinporten",
		"/.well-known/oauth-authorization-server/maskinporten/",
	} {
		rec := do(h, http.MethodGet, p, "", "", "")
		var m mp.Metadata
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &m) != nil || m.Issuer != testBase+"/maskinporten/" {
			t.Errorf("GET %s: %d %s", p, rec.Code, rec.Body)
		}
	}
	if rec := do(h, http.MethodGet, "/.well-known/oauth-authorization-server/maskinporten/token", "", "", ""); rec.Code != 404 {
		t.Errorf("a path below the metadata answers %d", rec.Code)
	}
}

func TestAltinnExchangeIsAnIssuerOfItsOwn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sb := openDir(t, dir)
	h := sb.Handler()
	boot, _ := sb.Bootstrap()
	altinnIss := testBase + "/altinn/authentication/api/v1/openid/"
	rec := do(h, http.MethodGet, "/altinn/authentication/api/v1/openid/.well-known/openid-configuration", "", "", "")
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &disc) != nil || disc.Issuer != altinnIss || !strings.HasPrefix(disc.JWKSURI, altinnIss) {
		t.Fatalf("discovery: %d %s", rec.Code, rec.Body)
	}
	altinnSet, err := jwk.Parse(do(h, http.MethodGet, strings.TrimPrefix(disc.JWKSURI, testBase), "", "", "").Body.Bytes())
	if err != nil || altinnSet.Len() != 1 {
		t.Fatalf("Altinn JWKS: %v", err)
	}
	mpSet, _ := jwk.Parse(do(h, http.MethodGet, "/maskinporten/jwk", "", "", "").Body.Bytes())
	altinnKey, _ := altinnSet.Key(0)
	if _, clash := mpSet.LookupKeyID(altinnKey.KeyID()); clash {
		t.Fatal("Altinn publishes Maskinporten's key")
	}
	mpTok := bearer(t, sb, boot.VendorOrg, world.ScopeSystemRegisterWrite)
	ex := do(h, http.MethodGet, "/altinn/authentication/api/v1/exchange/maskinporten", mpTok, "", "")
	if ex.Code != 200 {
		t.Fatalf("exchange: %d %s", ex.Code, ex.Body)
	}
	exchanged := ex.Body.String()
	msg, err := jws.Parse([]byte(exchanged))
	if err != nil || msg.Signatures()[0].ProtectedHeaders().KeyID() != altinnKey.KeyID() {
		t.Fatalf("exchanged token is not signed with the Altinn key: %v", err)
	}
	if _, err := jws.Verify([]byte(exchanged), jws.WithKeySet(altinnSet, jws.WithInferAlgorithmFromKey(true))); err != nil {
		t.Fatalf("exchanged token does not verify against Altinn's JWKS: %v", err)
	}
	if _, err := jws.Verify([]byte(exchanged), jws.WithKeySet(mpSet)); err == nil {
		t.Fatal("exchanged token verifies against Maskinporten's JWKS")
	}
	list := "/altinn/authentication/api/v1/systemregister/vendor"
	if rec := do(h, http.MethodGet, list, exchanged, "", ""); rec.Code != 200 {
		t.Fatalf("the exchanged token is refused: %d", rec.Code)
	}
	// A token claiming Altinn as issuer but signed with Maskinporten's key is forged.
	forged, _ := env.Ring{Env: sb.Env}.SignClaims(map[string]any{"iss": altinnIss, "exp": time.Now().Add(time.Minute).Unix(), "scope": world.ScopeSystemRegisterWrite,
		"consumer": mp.NewOrgID(boot.VendorOrg)})
	if rec := do(h, http.MethodGet, list, forged, "", ""); rec.Code != 401 {
		t.Fatalf("Altinn-issued claim signed by Maskinporten's key: %d", rec.Code)
	}
	// The Altinn key persists like the Maskinporten key.
	again := openDir(t, dir)
	set2, _ := jwk.Parse(do(again.Handler(), http.MethodGet, "/altinn/authentication/api/v1/openid/.well-known/openid-configuration/jwks", "", "", "").Body.Bytes())
	if k2, _ := set2.Key(0); k2 == nil || k2.KeyID() != altinnKey.KeyID() {
		t.Fatal("the Altinn key changed between processes")
	}
}

// Altinn's timestamps come from PostgreSQL: at most six fractional digits.
func TestAltinnTimestampsHaveMicroseconds(t *testing.T) {
	t.Parallel()
	ns := time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC)
	sb := openTest(t, func(o *Options) { o.Now = func() time.Time { return ns } })
	h := sb.Handler()
	boot, _ := sb.Bootstrap()
	addTestRequests(t, sb)
	_ = sb.Update(func(st *world.State) error {
		st.Systems["974761076_demo"].VendorOrg = boot.VendorOrg
		q := *st.Requests["std"]
		q.ID, q.Created = "0b6a4f2e-1c1d-4e5f-9a8b-7c6d5e4f3a2b", ns
		st.Requests[q.ID] = &q
		st.SystemUsers["su1"] = &world.SystemUser{ID: "su1", SystemID: "974761076_demo", OwnerOrg: "313367002", ExternalRef: "313367002", Created: ns, Seq: st.NextSeq()}
		return nil
	})
	tok := bearer(t, sb, boot.VendorOrg, world.ScopeSystemRegisterWrite, world.ScopeRequestRead)
	micro := regexp.MustCompile(`"created":\s*"2026-03-04T05:06:07\.123456Z"`)
	for _, p := range []string{
		"/altinn/authentication/api/v1/systemuser/vendor/bysystem/974761076_demo",
		"/altinn/authentication/api/v1/systemuser/request/vendor/0b6a4f2e-1c1d-4e5f-9a8b-7c6d5e4f3a2b",
	} {
		rec := do(h, http.MethodGet, p, tok, "", "")
		if rec.Code != 200 || !micro.MatchString(rec.Body.String()) {
			t.Errorf("GET %s: %d %s", p, rec.Code, rec.Body)
		}
	}
}

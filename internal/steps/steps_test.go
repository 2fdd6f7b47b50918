package steps

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/clients/selfservice"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

type world struct {
	sb     *sandbox.Sandbox
	srv    *httptest.Server
	boot   sbworld.Bootstrap
	vendor *Session
	admin  *Session
}

func newWorld(t testing.TB) *world {
	t.Helper()
	sw := sandboxtest.New(t)
	w := &world{sb: sw.SB, srv: sw.Srv, boot: sw.Boot}
	w.vendor = w.session(sw.VendorProfile(), time.Now)
	w.admin = w.session(sw.AdminProfile(), time.Now)
	return w
}

func (w *world) session(p *config.Profile, now func() time.Time) *Session {
	return NewSession(config.Sandbox(w.srv.URL), &config.File{}, "test", p, w.srv.Client(), now, nil)
}

func testCtx(t testing.TB) context.Context { return sandboxtest.Context(t, 20*time.Second) }

func TestDoctorPassesOnTheSeededVendor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r := Doctor(testCtx(t), w.vendor)
	if !r.OK() || len(r.Scopes) != len(sbworld.VendorScopes) {
		b, _ := json.MarshalIndent(r, "", " ")
		t.Fatalf("doctor failed:\n%s", b)
	}
	for _, c := range r.Config {
		if c.Verdict != Pass {
			t.Fatalf("config check %+v", c)
		}
	}
}

func TestDoctorGradesEachScopeAndTheClock(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := *w.vendor.Profile
	p.Scopes = []string{sbworld.ScopeDialogporten, "skatteetaten:does-not-exist", sbworld.ScopeSkeRestricted}
	// Our clock 7 s behind the sandbox's: a warning, not yet a failure.
	s := w.session(&p, func() time.Time { return time.Now().Add(-7 * time.Second) })
	r := Doctor(testCtx(t), s)
	if r.OK() {
		t.Fatal("doctor passed with a bad scope")
	}
	want := map[string]string{sbworld.ScopeDialogporten: "", "skatteetaten:does-not-exist": "MP-200", sbworld.ScopeSkeRestricted: "MP-200"}
	for _, v := range r.Scopes {
		code, ok := want[v.Scope]
		if !ok || v.Code != code || (code == "") != (v.Verdict == Pass) {
			t.Errorf("scope %s: %+v", v.Scope, v)
		}
		if code != "" && v.Fix == "" {
			t.Errorf("scope %s has no fix", v.Scope)
		}
		if code != "" && !strings.Contains(v.Fix, "The scope "+v.Scope+" is not on this client") {
			t.Errorf("scope %s: the fix does not name it: %s", v.Scope, v.Fix)
		}
	}
	var clock *Check
	for i := range r.Environment.Checks {
		if r.Environment.Checks[i].Name == "clock" {
			clock = &r.Environment.Checks[i]
		}
	}
	if clock == nil || clock.Verdict != Warn || !strings.Contains(clock.Detail, "behind") {
		t.Fatalf("clock check = %+v", clock)
	}
	// Missing Altinn scopes are pointed out.
	found := false
	for _, c := range r.Config {
		found = found || (c.Verdict == Warn && strings.Contains(c.Detail, "systemregister.write"))
	}
	if !found {
		t.Fatalf("no warning about missing Altinn scopes: %+v", r.Config)
	}
}

func TestDoctorReportsAnUnreadableKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := *w.vendor.Profile
	p.Key = config.KeyRef{PEM: "/nonexistent/key.pem", Kid: "k"}
	r := Doctor(testCtx(t), w.session(&p, time.Now))
	if r.OK() || r.Key.Checks[len(r.Key.Checks)-1].Verdict != Fail || r.Scopes[0].Verdict != Skip {
		t.Fatalf("report = %+v", r)
	}
}

func TestProvisionClientThenUseIt(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	key, err := config.GenerateKey("", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p, err := ProvisionClient(testCtx(t), w.admin, "Regnskap SBS", "Test integration", []string{sbworld.ScopeDialogporten}, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Keys) != 1 || p.Keys[0].Kid != key.Kid {
		t.Fatalf("keys = %+v", p.Keys)
	}
	if exp := p.Keys[0].Expires(); exp.Before(time.Now().Add(364*24*time.Hour)) || exp.After(time.Now().Add(366*24*time.Hour)) {
		t.Fatalf("key expiry %v is not a year out", exp)
	}
	s := w.session(&config.Profile{Env: "sandbox", ClientID: p.Client.ClientID, Scopes: []string{sbworld.ScopeDialogporten}}, time.Now)
	s.key = key
	if _, _, err := s.Token(testCtx(t), maskinporten.TokenRequest{}); err != nil {
		t.Fatalf("token with the provisioned client: %v", err)
	}
	// Deactivated clients are unknown to Maskinporten.
	if err := SelfService(w.admin).Deactivate(testCtx(t), p.Client.ClientID); err != nil {
		t.Fatal(err)
	}
	s.Tokens = maskinporten.NewCache(s.MP)
	_, _, err = s.Token(testCtx(t), maskinporten.TokenRequest{})
	var mpErr *maskinporten.Error
	if !errors.As(err, &mpErr) || mpErr.Code() != "MP-100" {
		t.Fatalf("token after deactivation: %v", err)
	}
}

func TestSelfServiceRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	api := SelfService(w.admin)
	cases := []struct {
		name   string
		status int
		call   func() error
	}{
		{"vendor token lacks dcr scopes", 403, func() error {
			vendorToken := func(ctx context.Context) (string, error) {
				tok, _, err := w.vendor.Token(ctx, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeDialogporten}})
				if err != nil {
					return "", err
				}
				return tok.AccessToken, nil
			}
			_, err := selfservice.New(w.vendor.Env.SelfService, w.srv.Client(), vendorToken).List(testCtx(t))
			return err
		}},
		{"scope not granted to the org", 400, func() error {
			_, err := api.Create(testCtx(t), selfservice.MaskinportenClient("x", "y", []string{sbworld.ScopeSkeRestricted}))
			return err
		}},
		{"no client name", 400, func() error {
			_, err := api.Create(testCtx(t), selfservice.MaskinportenClient("", "y", nil))
			return err
		}},
		{"six keys", 400, func() error {
			key, _ := config.GenerateKey("k0", time.Now())
			var keys []json.RawMessage
			for i := 0; i < 6; i++ {
				k := *key
				k.Kid = "k" + string(rune('0'+i))
				pub, _ := k.PublicJWK("RS256")
				b, _ := json.Marshal(pub)
				keys = append(keys, b)
			}
			_, err := api.ReplaceKeys(testCtx(t), w.boot.AdminClientID, keys)
			return err
		}},
		{"private key uploaded", 400, func() error {
			b, _ := json.Marshal(map[string]any{"kty": "RSA", "kid": "k0", "alg": "RS256", "use": "sig", "n": "AQAB", "e": "AQAB", "d": "AQAB"})
			_, err := api.ReplaceKeys(testCtx(t), w.boot.AdminClientID, []json.RawMessage{b})
			return err
		}},
		{"another org's client", 404, func() error {
			_, err := api.Get(testCtx(t), "00000000-0000-0000-0000-000000000000")
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			var se *selfservice.Error
			if !errors.As(err, &se) || se.Status != c.status || !strings.Contains(se.Error(), "Next:") {
				t.Fatalf("err = %v, want HTTP %d", err, c.status)
			}
		})
	}
}

func TestInspectVerifiesAgainstTheSession(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, _, err := w.vendor.Token(testCtx(t), maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeDialogporten}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := Inspect(testCtx(t), "Bearer "+tok.AccessToken, time.Now(), w.vendor)
	if err != nil || !in.Verified || in.Report.IssuerEnv != "sandbox" {
		t.Fatalf("inspection = %+v, %v", in, err)
	}
	offline, err := Inspect(testCtx(t), tok.AccessToken, time.Now(), nil)
	if err != nil || offline.Verified || offline.VerifyError != nil {
		t.Fatalf("offline inspection = %+v, %v", offline, err)
	}
}

// Checking step 1 again fetches the metadata again (and so measures the clock again): a
// newcomer's walk found "Checked again" with no request sent, the cached copy reused.
func TestCheckEnvironmentLooksAgain(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var fetched atomic.Int32
	h := w.sb.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/.well-known/oauth-authorization-server") {
			fetched.Add(1)
		}
		h.ServeHTTP(rw, r)
	}))
	t.Cleanup(srv.Close)
	s := NewSession(config.Sandbox(srv.URL), &config.File{}, "test", w.vendor.Profile, srv.Client(), time.Now, nil)
	for i := 1; i <= 2; i++ {
		if r := CheckEnvironment(testCtx(t), s); r.Issuer == "" || fetched.Load() != int32(i) {
			t.Fatalf("check %d: issuer %q, %d metadata fetches", i, r.Issuer, fetched.Load())
		}
	}
}

// registered registers the demo system id for the seeded vendor.
func (w *world) registered(t testing.TB, id string) altinn.SystemDefinition {
	t.Helper()
	d := sandboxtest.DemoSystem(id, w.boot.ClientID)
	if _, err := RegisterSystem(testCtx(t), w.vendor, d, false); err != nil {
		t.Fatal(err)
	}
	return d
}

// approved creates the request and approves it as the customer would on its page.
func (w *world) approved(t testing.TB, p RequestParams) *RequestResult {
	t.Helper()
	r, err := CreateRequest(testCtx(t), w.vendor, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.sb.Approve(r.Request.ID); err != nil {
		t.Fatal(err)
	}
	return r
}

// accountingFirm is the seeded facilitator (regnskapsfører) that agent system users belong to.
const accountingFirm = "311000004"

// approvedAgent registers the demo agent system and approves an agent system user for the
// accounting firm with the accountant package: the start of every client-list test.
func (w *world) approvedAgent(t testing.TB) *RequestResult {
	t.Helper()
	d := w.registered(t, "974761076_agent")
	return w.approved(t, RequestParams{SystemID: d.ID, OrgNo: accountingFirm, Agent: true, Packages: []string{"regnskapsforer-med-signeringsrettighet"}})
}

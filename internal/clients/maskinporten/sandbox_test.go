package maskinporten_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// clock is a settable clock shared by sandbox and client.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

type world struct {
	sb     *sandbox.Sandbox
	srv    *httptest.Server
	env    config.Environment
	boot   sbworld.Bootstrap
	creds  maskinporten.Credentials
	client *maskinporten.Client
	clock  *clock
}

func newWorld(t testing.TB, opts ...func(*sandbox.Options)) *world {
	t.Helper()
	clk := &clock{t: time.Now()}
	sw := sandboxtest.New(t, sandboxtest.Clock(clk.Now), sandboxtest.With(func(o *sandbox.Options) {
		for _, f := range opts {
			f(o)
		}
	}))
	sb, srv, boot, key, env := sw.SB, sw.Srv, sw.Boot, sw.VendorKey(t), sw.Env()
	w := &world{sb: sb, srv: srv, env: env, boot: boot, clock: clk,
		creds: maskinporten.Credentials{ClientID: boot.ClientID, Key: key.Private, Kid: key.Kid}}
	w.client = w.newClient(clk.Now)
	return w
}

func (w *world) newClient(now func() time.Time) *maskinporten.Client {
	return maskinporten.New(maskinporten.Endpoints{
		Issuer: w.env.MaskinportenIssuer, Metadata: w.env.MaskinportenMetadata,
		Token: w.env.MaskinportenToken, JWKS: w.env.MaskinportenJWKS,
	}, maskinporten.WithHTTPClient(w.srv.Client()), maskinporten.WithClock(now))
}

func ctx(t testing.TB) context.Context { return sandboxtest.Context(t, 10*time.Second) }

func TestTokenRoundTripAndVerify(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, err := w.client.RequestToken(ctx(t), w.creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeSystemRegisterWrite}})
	if err != nil {
		t.Fatal(err)
	}
	if tok.TokenType != "Bearer" || tok.ExpiresIn != 120 || tok.Scope != sbworld.ScopeSystemRegisterWrite {
		t.Fatalf("token = %+v", tok)
	}
	v, err := w.client.Verify(ctx(t), tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if v.Issuer != w.env.MaskinportenIssuer || v.Alg != "RS256" {
		t.Fatalf("verification = %+v", v)
	}
	parts := strings.Split(tok.AccessToken, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	consumer := claims["consumer"].(map[string]any)
	if consumer["ID"] != "0192:"+sbworld.DefaultVendorOrg || claims["client_id"] != w.boot.ClientID || claims["client_amr"] != "private_key_jwt" {
		t.Fatalf("claims = %v", claims)
	}
	if len(claims["jti"].(string)) != 43 {
		t.Fatalf("jti %q is not 43 characters like Maskinporten's", claims["jti"])
	}
}

func TestBusinessCertificateGrant(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	certClient := w.addCertClient(t)
	key, chain, err := w.sb.IssueBusinessCertificate(sbworld.DefaultVendorOrg, w.clock.Now().Add(-time.Hour), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	creds := maskinporten.Credentials{ClientID: certClient, Key: key, Chain: chain, Alg: "RS512"}
	tok, err := w.client.RequestToken(ctx(t), creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeDialogporten}})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok.AccessToken, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if !strings.Contains(string(payload), `"client_amr":"virksomhetssertifikat"`) {
		t.Fatalf("claims = %s", payload)
	}
}

// VerifyGrant accepts a grant made with the credentials it is given, by kid or by x5c, and
// refuses one whose header names another key or certificate, or whose signature was changed.
func TestVerifyGrantAgainstTheClientsKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	key, chain, err := w.sb.IssueBusinessCertificate(sbworld.DefaultVendorOrg, w.clock.Now().Add(-time.Hour), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	byKid := maskinporten.Credentials{ClientID: "c", Key: key, Kid: "k1"}
	byCert := maskinporten.Credentials{ClientID: "c", Key: key, Chain: chain}
	req := maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeDialogporten}}
	for name, creds := range map[string]maskinporten.Credentials{"kid": byKid, "x5c": byCert} {
		g, err := maskinporten.BuildGrant(creds, w.env.MaskinportenIssuer, req, w.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := maskinporten.VerifyGrant(g, creds); err != nil {
			t.Errorf("%s: own grant: %v", name, err)
		}
		parts := strings.Split(g, ".")
		forged := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
		if _, err := maskinporten.VerifyGrant(forged, creds); !maskinporten.IsVerifyError(err) {
			t.Errorf("%s: forged signature: %v", name, err)
		}
	}
	g, _ := maskinporten.BuildGrant(byKid, w.env.MaskinportenIssuer, req, w.clock.Now())
	other := byKid
	other.Kid = "k2"
	if _, err := maskinporten.VerifyGrant(g, other); err == nil || !strings.Contains(err.Error(), `kid "k1" is not your profile's key`) {
		t.Errorf("another kid: %v", err)
	}
	if _, err := maskinporten.VerifyGrant(g, byCert); err == nil || !strings.Contains(err.Error(), "x5c") {
		t.Errorf("a kid grant against a certificate: %v", err)
	}
}

func TestVerifyRejectsTamperingAndRefetchesAfterRotation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, err := w.client.RequestToken(ctx(t), w.creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeDialogporten}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.client.Verify(ctx(t), tok.AccessToken); err != nil {
		t.Fatal(err)
	}
	// Tamper with the payload: the signature must fail.
	parts := strings.Split(tok.AccessToken, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forged := strings.Replace(string(payload), sbworld.DefaultVendorOrg, "313367002", 1)
	bad := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(forged)) + "." + parts[2]
	if _, err := w.client.Verify(ctx(t), bad); !maskinporten.IsVerifyError(err) || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("tampered token: err = %v", err)
	}
	// alg none is refused before any key is looked at.
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + "."
	if _, err := w.client.Verify(ctx(t), none); !maskinporten.IsVerifyError(err) {
		t.Fatalf("alg none: err = %v", err)
	}
	// Rotate: the cached JWKS lacks the new kid, so Verify must refetch once.
	if _, err := w.sb.RotateSigningKey(); err != nil {
		t.Fatal(err)
	}
	tok2, err := w.client.RequestToken(ctx(t), w.creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeDialogporten}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := w.client.Verify(ctx(t), tok2.AccessToken)
	if err != nil || !v.Refetched {
		t.Fatalf("after rotation: v = %+v, err = %v", v, err)
	}
	// The old token still verifies: the previous key stays published.
	if _, err := w.client.Verify(ctx(t), tok.AccessToken); err != nil {
		t.Fatalf("old token after rotation: %v", err)
	}
	// Expiry with 10 s leeway.
	w.clock.Add(121*time.Second + maskinporten.VerifyLeeway)
	if _, err := w.client.Verify(ctx(t), tok2.AccessToken); !maskinporten.IsVerifyError(err) || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("expired token: err = %v", err)
	}
}

func TestClockOffsetFromDateHeader(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// The client's clock runs 7 s behind the sandbox's.
	c := w.newClient(func() time.Time { return w.clock.Now().Add(-7 * time.Second) })
	if _, err := c.Metadata(ctx(t)); err != nil {
		t.Fatal(err)
	}
	off, ok := c.ClockOffset()
	if !ok || off < 6*time.Second || off > 8*time.Second {
		t.Fatalf("offset = %v, %v; want about +7s", off, ok)
	}
}

// signRaw signs arbitrary header and payload JSON with RS256, for grants the client would
// never build.
func signRaw(t testing.TB, key *rsa.PrivateKey, header, payload string) string {
	t.Helper()
	in := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload))
	sum := sha256.Sum256([]byte(in))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func (w *world) grantClaims(extra map[string]any) string {
	now := w.clock.Now().Unix()
	m := map[string]any{"aud": w.env.MaskinportenIssuer, "iss": w.boot.ClientID, "iat": now, "exp": now + 60,
		"jti": randomID(), "scope": sbworld.ScopeDialogporten}
	for k, v := range extra {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func randomID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func selfSignedCert(t testing.TB, key *rsa.PrivateKey, orgNo string) *x509.Certificate {
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "x", SerialNumber: orgNo},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c
}

// addCertClient registers a client for the vendor that authenticates with a business
// certificate only (no JWKs).
func (w *world) addCertClient(t testing.TB) string {
	id := "cert-client-" + randomID()
	err := w.sb.Update(func(st *sbworld.State) error {
		c := *st.Clients[w.boot.ClientID]
		c.ClientID, c.JWKs = id, nil
		st.Clients[id] = &c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestEveryMaskinportenErrorIsExplained(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	strict := newWorld(t, func(o *sandbox.Options) { o.StrictClaims = true })
	otherKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	certClient := w.addCertClient(t)
	// A client whose registered key is a year old.
	if err := w.sb.Update(func(st *sbworld.State) error {
		c := *st.Clients[w.boot.ClientID]
		c.ClientID = "aged-client"
		c.JWKs = append([]sbworld.StoredJWK(nil), c.JWKs...)
		c.JWKs[0].Exp = w.clock.Now().Add(-time.Hour)
		st.Clients["aged-client"] = &c
		// Scopes that exist but that this client should not get.
		st.Clients[w.boot.ClientID].Scopes = append(st.Clients[w.boot.ClientID].Scopes, sbworld.ScopeOpenID, sbworld.ScopeSkeRestricted)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	vendorKey := w.creds.Key
	kidHeader := `{"alg":"RS256","kid":"` + w.creds.Kid + `"}`

	type tc struct {
		name    string
		code    string // MP code, or the problem key for uncoded errors
		status  int
		request func() error
	}
	req := func(creds maskinporten.Credentials, r maskinporten.TokenRequest) func() error {
		return func() error { _, err := w.client.RequestToken(ctx(t), creds, r); return err }
	}
	exchange := func(grant string) func() error {
		return func() error { _, err := w.client.ExchangeGrant(ctx(t), w.env.MaskinportenToken, grant); return err }
	}
	postForm := func(form url.Values) func() error {
		return func() error {
			resp, err := w.srv.Client().PostForm(w.env.MaskinportenToken, form)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			var buf strings.Builder
			b := make([]byte, 4096)
			n, _ := resp.Body.Read(b)
			buf.Write(b[:n])
			return maskinporten.NewError(resp.StatusCode, []byte(buf.String()))
		}
	}
	dialog := maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeDialogporten}}
	withKid := func(key *rsa.PrivateKey, claims string) func() error {
		return exchange(signRaw(t, key, kidHeader, claims))
	}
	wrongClient := w.creds
	wrongClient.ClientID = "00000000-0000-0000-0000-000000000000"
	foreignSigner := w.creds
	foreignSigner.Key = otherKey
	agedCreds := w.creds
	agedCreds.ClientID = "aged-client"
	caKey, trusted, err := w.sb.IssueBusinessCertificate(sbworld.DefaultVendorOrg, w.clock.Now().Add(-time.Hour), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	otherOrgKey, otherOrgChain, err := w.sb.IssueBusinessCertificate("313367002", w.clock.Now().Add(-time.Hour), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	x5cCreds := func(clientID string, key *rsa.PrivateKey, chain []*x509.Certificate) maskinporten.Credentials {
		return maskinporten.Credentials{ClientID: clientID, Key: key, Chain: chain}
	}
	replayGrant, err := maskinporten.BuildGrant(w.creds, w.env.MaskinportenIssuer, dialog, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	slow := w.newClient(func() time.Time { return w.clock.Now().Add(-3 * time.Minute) })
	fast := w.newClient(func() time.Time { return w.clock.Now().Add(30 * time.Second) })

	cases := []tc{
		{"malformed JWT", "MP-011", 400, exchange("not-a-jwt")},
		{"HS256 grant", "MP-011", 400, exchange(signRaw(t, vendorKey, `{"alg":"HS256","kid":"`+w.creds.Kid+`"}`, w.grantClaims(nil)))},
		{"replayed jti", "MP-012", 400, func() error {
			if err := exchange(replayGrant)(); err != nil {
				return errors.New("first use failed: " + err.Error())
			}
			return exchange(replayGrant)()
		}},
		{"unknown client", "MP-100", 400, req(wrongClient, dialog)},
		{"token URL as aud", "MP-110", 400, withKid(vendorKey, w.grantClaims(map[string]any{"aud": w.env.MaskinportenToken}))},
		{"aud as array", "MP-110", 400, withKid(vendorKey, w.grantClaims(map[string]any{"aud": []string{w.env.MaskinportenIssuer}}))},
		{"untrusted certificate", "MP-120", 400, req(x5cCreds(certClient, otherKey, []*x509.Certificate{selfSignedCert(t, otherKey, sbworld.DefaultVendorOrg)}), dialog)},
		{"expired key", "MP-121", 400, req(agedCreds, dialog)},
		{"certificate of another org", "MP-122", 400, req(x5cCreds(certClient, otherOrgKey, otherOrgChain), dialog)},
		{"x5c as a string", "MP-123", 400, exchange(signRaw(t, caKey, `{"alg":"RS256","x5c":"`+base64.StdEncoding.EncodeToString(trusted[0].Raw)+`"}`,
			strings.Replace(w.grantClaims(nil), w.boot.ClientID, certClient, 1)))},
		{"wrong signing key", "MP-124", 400, req(foreignSigner, dialog)},
		{"grant too old", "MP-130", 400, func() error { _, err := slow.RequestToken(ctx(t), w.creds, dialog); return err }},
		{"grant lifetime over 120 s", "MP-130", 400, withKid(vendorKey, w.grantClaims(map[string]any{"exp": w.clock.Now().Unix() + 300}))},
		{"iat in the future", "iat-future", 400, func() error { _, err := fast.RequestToken(ctx(t), w.creds, dialog); return err }},
		{"scope not on client", "MP-200", 400, req(w.creds, maskinporten.TokenRequest{Scopes: []string{"altinn:serviceowner/instances.read"}})},
		{"ID-porten scope", "MP-201", 400, req(w.creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeOpenID}})},
		{"no access to scope", "MP-250", 403, req(w.creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeSkeRestricted}})},
		{"no delegation", "MP-251", 403, req(w.creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeSkeBoligselskap}, ConsumerOrg: "313367002"})},
		{"consumer_org is self", "consumer-org-self", 400, req(w.creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeSkeBoligselskap}, ConsumerOrg: sbworld.DefaultVendorOrg})},
		{"unknown RAR type", "MP-301", 400, withKid(vendorKey, w.grantClaims(map[string]any{"authorization_details": []map[string]any{{"type": "urn:altinn:unknown"}}}))},
		{"unknown RAR field", "MP-302", 400, withKid(vendorKey, w.grantClaims(map[string]any{"authorization_details": []map[string]any{{
			"type": "urn:altinn:systemuser", "systemuser_org": map[string]string{"authority": "iso6523-actorid-upis", "ID": "0192:313367002"}, "systemuser_id": "x"}}}))},
		{"no such system user", "MP-303", 400, req(w.creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeSkeBoligselskap}, SystemUser: &maskinporten.SystemUser{OrgNo: "313367002"}})},
		{"client with keys sends x5c", "kid-required", 400, req(x5cCreds(w.boot.ClientID, caKey, trusted), dialog)},
		{"wrong grant_type", "grant-type", 400, postForm(url.Values{"grant_type": {"client_credentials"}, "assertion": {"x"}})},
		{"no assertion", "missing-parameter", 400, postForm(url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}})},
		{"undocumented claim in strict mode", "unknown-claims", 400, func() error {
			c := strict.client
			_, err := c.RequestToken(ctx(t), strict.creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeDialogporten}, AddSub: true})
			return err
		}},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.request()
			var mpErr *maskinporten.Error
			if !errors.As(err, &mpErr) {
				t.Fatalf("err = %v (%T), want *maskinporten.Error", err, err)
			}
			if !mpErr.Known {
				t.Fatalf("error not recognised: %+v", mpErr)
			}
			got := mpErr.Problem.Code
			if got == "" {
				got = string(mpErr.Problem.Key)
			}
			if got != c.code || mpErr.Status != c.status {
				t.Fatalf("got %s/%d, want %s/%d: %v", got, mpErr.Status, c.code, c.status, err)
			}
			msg := mpErr.Error()
			if !strings.Contains(msg, mpErr.Problem.Meaning) || !strings.Contains(msg, "Next:") {
				t.Fatalf("message lacks meaning or next step: %s", msg)
			}
			if mpErr.TraceID == "" || !strings.Contains(mpErr.Explain(), mpErr.TraceID) {
				t.Fatalf("trace id missing: %q", mpErr.Explain())
			}
			if mpErr.Problem.Code != "" && !strings.HasSuffix(mpErr.Body.ErrorURI, "/errors/"+mpErr.Problem.Code) {
				t.Fatalf("error_uri = %q", mpErr.Body.ErrorURI)
			}
			seen[got] = true
		})
	}
	// The MP-303 explanation lists its four usual causes, externalRef among them.
	err = req(w.creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeSkeBoligselskap}, SystemUser: &maskinporten.SystemUser{OrgNo: "313367002"}})()
	var mpErr *maskinporten.Error
	if !errors.As(err, &mpErr) || strings.Count(mpErr.Explain(), "\n  ") != 4 || !strings.Contains(mpErr.Explain(), "externalRef") {
		t.Fatalf("MP-303 explanation: %v", err)
	}
}

func TestCacheReusesAndSharesOneRequest(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var posts int
	var mu sync.Mutex
	handler := w.sb.Handler()
	counting := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/token") {
			mu.Lock()
			posts++
			mu.Unlock()
			time.Sleep(50 * time.Millisecond) // let concurrent callers pile up
		}
		handler.ServeHTTP(rw, r)
	}))
	defer counting.Close()
	env := config.Sandbox(counting.URL)
	c := maskinporten.New(maskinporten.Endpoints{Issuer: env.MaskinportenIssuer, Metadata: env.MaskinportenMetadata, Token: env.MaskinportenToken},
		maskinporten.WithHTTPClient(counting.Client()), maskinporten.WithClock(w.clock.Now))
	cache := maskinporten.NewCache(c)
	req := maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeDialogporten}}
	var wg sync.WaitGroup
	tokens := make([]string, 8)
	for i := range tokens {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tok, _, err := cache.Token(ctx(t), w.creds, req)
			if err != nil {
				t.Error(err)
				return
			}
			tokens[i] = tok.AccessToken
		}(i)
	}
	wg.Wait()
	if posts != 1 {
		t.Fatalf("%d token requests for 8 concurrent callers, want 1", posts)
	}
	for _, tk := range tokens[1:] {
		if tk != tokens[0] {
			t.Fatal("callers got different tokens")
		}
	}
	_, reused, err := cache.Token(ctx(t), w.creds, req)
	if err != nil || !reused || posts != 1 {
		t.Fatalf("second call: reused=%v posts=%d err=%v", reused, posts, err)
	}
	// A different party is a different cache entry.
	other := maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeDialogporten, sbworld.ScopeRequestRead}}
	if _, reused, _ := cache.Token(ctx(t), w.creds, other); reused {
		t.Fatal("different scopes reused a token")
	}
	// Shortly before expiry the token is no longer reused.
	w.clock.Add(115 * time.Second)
	if _, reused, err := cache.Token(ctx(t), w.creds, req); err != nil || reused {
		t.Fatalf("near expiry: reused=%v err=%v", reused, err)
	}
}

package altinn_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	altinnclient "github.com/sbs-tui/sbs-tui/internal/clients/altinn"
	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/authentication"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

type world struct {
	sb     *sandbox.Sandbox
	srv    *httptest.Server
	boot   sbworld.Bootstrap
	client *altinnclient.Client
	tokens *tokenSource
	waits  *[]time.Duration
}

type tokenSource struct {
	mp    *maskinporten.Client
	cache *maskinporten.Cache
	creds maskinporten.Credentials
	// only, when set, restricts the scopes handed out (to provoke 403).
	only string
}

func (ts *tokenSource) get(ctx context.Context, scope string) (string, error) {
	if ts.only != "" {
		scope = ts.only
	}
	tok, _, err := ts.cache.Token(ctx, ts.creds, maskinporten.TokenRequest{Scopes: []string{scope}})
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

func newWorld(t testing.TB, opts ...func(*sandbox.Options)) *world {
	t.Helper()
	sw := sandboxtest.New(t, sandboxtest.With(func(o *sandbox.Options) {
		for _, f := range opts {
			f(o)
		}
	}))
	sb, srv, boot, key, env := sw.SB, sw.Srv, sw.Boot, sw.VendorKey(t), sw.Env()
	mpc := maskinporten.New(maskinporten.Endpoints{Issuer: env.MaskinportenIssuer, Metadata: env.MaskinportenMetadata, Token: env.MaskinportenToken},
		maskinporten.WithHTTPClient(srv.Client()))
	ts := &tokenSource{mp: mpc, cache: maskinporten.NewCache(mpc), creds: maskinporten.Credentials{ClientID: boot.ClientID, Key: key.Private, Kid: key.Kid}}
	var waits []time.Duration
	var mu sync.Mutex
	sleep := func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return nil
	}
	c := altinnclient.New(env.AltinnPlatform, srv.Client(), ts.get, altinnclient.WithSleep(sleep))
	return &world{sb: sb, srv: srv, boot: boot, client: c, tokens: ts, waits: &waits}
}

func ctx(t testing.TB) context.Context { return sandboxtest.Context(t, 20*time.Second) }

func f() *bool { b := false; return &b }

// demoSystem is the seed page's system, fixed: no trailing commas, isVisible false (its
// accountant package is client-only), and the vendor's own client id.
func (w *world) demoSystem() altinn.SystemDefinition {
	return altinn.SystemDefinition{
		ID: "974761076_skatt_demo_system", Vendor: altinn.VendorRef{ID: "0192:974761076"},
		Name: map[string]string{"nb": "Skatteetatens Test SBS"}, Description: map[string]string{"nb": "En beskrivelse av systemet"},
		AccessPackages: []altinn.PackageRef{{URN: "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet"}, {URN: "urn:altinn:accesspackage:skattegrunnlag"}},
		Rights:         []altinn.Right{altinn.NewResourceRight("ske-innrapportering-boligselskap")},
		ClientID:       []string{w.boot.ClientID}, IsVisible: f(), AllowedRedirectURLs: []string{"https://skatteetaten.no/sbs"},
	}
}

func (w *world) register(t testing.TB) altinn.SystemDefinition {
	d := w.demoSystem()
	if _, _, err := w.client.CreateSystem(ctx(t), d); err != nil {
		t.Fatal(err)
	}
	return d
}

// expectCodes asserts an *Error with exactly these codes, a meaning and a next step.
func expectCodes(t *testing.T, err error, status int, codes ...string) {
	t.Helper()
	e, ok := altinnclient.AsError(err)
	if !ok {
		t.Fatalf("err = %v (%T), want *altinn.Error", err, err)
	}
	if e.Status != status || strings.Join(e.Codes(), ",") != strings.Join(codes, ",") {
		t.Fatalf("got HTTP %d %v, want %d %v: %v", e.Status, e.Codes(), status, codes, err)
	}
	msg := e.Error()
	if !strings.Contains(msg, "Next:") {
		t.Fatalf("no next step: %s", msg)
	}
	for _, c := range codes {
		p, known := altinn.ProblemFor(c)
		if !known {
			t.Fatalf("code %s not in the catalogue", c)
		}
		if len(codes) == 1 && !strings.Contains(msg, p.Meaning) {
			t.Fatalf("message lacks the meaning of %s: %s", c, msg)
		}
		if len(codes) > 1 && !strings.Contains(e.Explain(), p.Fix) {
			t.Fatalf("explanation lacks the fix of %s: %s", c, e.Explain())
		}
	}
	if e.TraceID == "" || !strings.Contains(e.Explain(), e.TraceID) {
		t.Fatalf("trace id not kept: %q", e.Explain())
	}
}

func TestEveryValidationCode(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.register(t)
	base := w.demoSystem()
	mod := func(f func(d *altinn.SystemDefinition)) altinn.SystemDefinition {
		d := w.demoSystem()
		d.ID = "974761076_other"
		d.ClientID = nil
		f(&d)
		return d
	}
	create := func(d altinn.SystemDefinition) error { _, _, err := w.client.CreateSystem(ctx(t), d); return err }
	update := func(d altinn.SystemDefinition) error { return w.client.UpdateSystem(ctx(t), d) }
	tr := true
	cases := []struct {
		name  string
		call  func() error
		codes []string
	}{
		{"vendor prefix alone", func() error {
			return create(mod(func(d *altinn.SystemDefinition) { d.Vendor.ID = "9908:974761076"; d.ID = "x y" }))
		}, []string{"AUTH.VLD-00000"}},
		{"id prefix", func() error { return create(mod(func(d *altinn.SystemDefinition) { d.ID = "123456789_x" })) }, []string{"AUTH.VLD-00001"}},
		{"id exists", func() error { return create(mod(func(d *altinn.SystemDefinition) { d.ID = base.ID })) }, []string{"AUTH.VLD-00002"}},
		{"unknown resource", func() error {
			return create(mod(func(d *altinn.SystemDefinition) { d.Rights = []altinn.Right{altinn.NewResourceRight("no-such")} }))
		}, []string{"AUTH.VLD-00003"}},
		{"client id taken", func() error {
			return create(mod(func(d *altinn.SystemDefinition) { d.ClientID = []string{w.boot.ClientID} }))
		}, []string{"AUTH.VLD-00004"}},
		{"http redirect", func() error {
			return create(mod(func(d *altinn.SystemDefinition) { d.AllowedRedirectURLs = []string{"http://x.no"} }))
		}, []string{"AUTH.VLD-00005"}},
		{"duplicate rights", func() error {
			return create(mod(func(d *altinn.SystemDefinition) { d.Rights = append(d.Rights, d.Rights[0]) }))
		}, []string{"AUTH.VLD-00006"}},
		{"duplicate packages", func() error {
			return create(mod(func(d *altinn.SystemDefinition) { d.AccessPackages = append(d.AccessPackages, d.AccessPackages[1]) }))
		}, []string{"AUTH.VLD-00007"}},
		{"docs' misspelt package", func() error {
			return create(mod(func(d *altinn.SystemDefinition) {
				d.AccessPackages = []altinn.PackageRef{{URN: "urn:altinn:accesspackage:skattnaering"}}
			}))
		}, []string{"AUTH.VLD-00008"}},
		{"attribute id", func() error {
			return create(mod(func(d *altinn.SystemDefinition) {
				d.Rights = []altinn.Right{{Resource: []altinn.AttributePair{{ID: "urn:altinn:app", Value: "x"}}}}
			}))
		}, []string{"AUTH.VLD-00009"}},
		{"duplicate client ids on update", func() error {
			d := base
			d.ClientID = []string{w.boot.ClientID, strings.ToUpper(w.boot.ClientID)}
			return update(d)
		}, []string{"AUTH.VLD-00011"}},
		{"space in id", func() error { return create(mod(func(d *altinn.SystemDefinition) { d.ID = "974761076_a b" })) }, []string{"AUTH.VLD-00013"}},
		{"resource type", func() error {
			return create(mod(func(d *altinn.SystemDefinition) {
				d.Rights = []altinn.Right{altinn.NewResourceRight("ske-maskinporten-schema-sample")}
			}))
		}, []string{"AUTH.VLD-00017"}},
		{"visible with client-only package", func() error {
			return create(mod(func(d *altinn.SystemDefinition) { d.IsVisible = &tr }))
		}, []string{"AUTH.VLD-00018"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectCodes(t, c.call(), 400, c.codes...)
		})
	}
	// An update of a system that does not exist: the server's plain-text 404, explained by status.
	err := w.client.UpdateSystem(ctx(t), mod(func(d *altinn.SystemDefinition) {}))
	if e, ok := altinnclient.AsError(err); !ok || e.Status != 404 || !strings.Contains(e.Error(), "System with ID '974761076_other' not found") {
		t.Fatalf("update of an unknown system: %v", err)
	}
	// AUTH.VLD-00012 needs a body id that differs from the path, which the client never sends:
	// send it raw and read the answer with the client's parser.
	d := base
	d.ID = "974761076_renamed"
	expectCodes(t, w.raw(t, "PUT", "authentication/api/v1/systemregister/vendor/"+base.ID, sbworld.ScopeSystemRegisterWrite, d), 400, "AUTH.VLD-00012")
}

// raw sends a body the client would not, and parses the answer with the client's parser.
func (w *world) raw(t *testing.T, method, path, scope string, body any) error {
	t.Helper()
	tok, err := w.tokens.get(ctx(t), scope)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, config.Sandbox(w.srv.URL).AltinnPlatform+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode < 300 {
		return nil
	}
	return altinnclient.ParseError("send "+path, scope, resp.StatusCode, resp.Header.Get("Content-Type"), data)
}

func TestEveryRequestCode(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sys := w.register(t)
	req := func(org string, pkgs []string, rights []string, redirect string) altinn.CreateRequest {
		r := altinn.CreateRequest{SystemID: sys.ID, PartyOrgNo: org, RedirectURL: redirect}
		for _, p := range pkgs {
			r.AccessPackages = append(r.AccessPackages, altinn.PackageRef{URN: "urn:altinn:accesspackage:" + p})
		}
		for _, rt := range rights {
			r.Rights = append(r.Rights, altinn.NewResourceRight(rt))
		}
		return r
	}
	create := func(r altinn.CreateRequest, agent bool) error {
		_, _, err := w.client.CreateRequest(ctx(t), r, agent)
		return err
	}
	cases := []struct {
		name   string
		call   func() error
		status int
		code   string
	}{
		{"unknown customer", func() error { return create(req("999999999", []string{"skattegrunnlag"}, nil, ""), false) }, 400, "AUTH-00000"},
		{"right not on system", func() error { return create(req("313000001", nil, []string{"ske-krav-og-betalinger"}, ""), false) }, 400, "AUTH-00001"},
		{"unknown system", func() error {
			r := req("313000001", []string{"skattegrunnlag"}, nil, "")
			r.SystemID = "974761076_nope"
			return create(r, false)
		}, 404, "AUTH-00011"},
		// external_ref is varchar(255): the insert throws and the server answers 500, not
		// AUTH-00012 (RequestRepository.cs:102-106).
		{"value too long", func() error {
			r := req("313000001", []string{"skattegrunnlag"}, nil, "")
			r.ExternalRef = strings.Repeat("x", 300)
			return create(r, false)
		}, 500, ""},
		{"redirect not allowed", func() error {
			return create(req("313000001", []string{"skattegrunnlag"}, nil, "https://evil.example/cb"), false)
		}, 400, "AUTH-00021"},
		// Only an empty list reaches AUTH-00058; a missing one is refused by [Required] binding.
		{"agent with empty packages", func() error {
			return w.raw(t, "POST", "authentication/api/v1/systemuser/request/vendor/agent", sbworld.ScopeRequestWrite,
				map[string]any{"systemId": sys.ID, "partyOrgNo": "313000001", "accessPackages": []any{}})
		}, 400, "AUTH-00058"},
		{"standard with neither", func() error { return create(req("313000001", nil, nil, ""), false) }, 400, "AUTH-00001"},
		{"standard with empty lists", func() error {
			return w.raw(t, "POST", "authentication/api/v1/systemuser/request/vendor", sbworld.ScopeRequestWrite,
				map[string]any{"systemId": sys.ID, "partyOrgNo": "313000001", "rights": []any{}, "accessPackages": []any{}})
		}, 400, "AUTH-00059"},
		{"package not on system", func() error { return create(req("313000001", []string{"a-ordning"}, nil, ""), true) }, 400, "AUTH-00063"},
		{"client-only on standard", func() error {
			return create(req("313000001", []string{"regnskapsforer-med-signeringsrettighet"}, nil, ""), false)
		}, 400, "AUTH-00064"},
		{"unknown request", func() error {
			_, err := w.client.GetRequest(ctx(t), "0b9f3a8e-4c1d-4b57-9a8e-2f1c9d7e6a11", false)
			return err
		}, 404, "AUTH-00010"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.code == "" {
				expectCodes(t, c.call(), c.status)
				return
			}
			expectCodes(t, c.call(), c.status, c.code)
		})
	}

	// AUTH-00065: a system with a standard-only package, asked for by an agent request.
	other := w.demoSystem()
	other.ID, other.ClientID = "974761076_admin_tool", nil
	other.AccessPackages = []altinn.PackageRef{{URN: "urn:altinn:accesspackage:tilgangsstyrer"}}
	tr := true
	other.IsVisible = &tr
	if _, _, err := w.client.CreateSystem(ctx(t), other); err != nil {
		t.Fatal(err)
	}
	_, _, err := w.client.CreateRequest(ctx(t), altinn.CreateRequest{SystemID: other.ID, PartyOrgNo: "313000001",
		AccessPackages: other.AccessPackages}, true)
	expectCodes(t, err, 400, "AUTH-00065")
	// AUTH-00026: a redirect URL to a system with none.
	other.AllowedRedirectURLs = nil
	if err := w.client.UpdateSystem(ctx(t), other); err != nil {
		t.Fatal(err)
	}
	_, _, err = w.client.CreateRequest(ctx(t), altinn.CreateRequest{SystemID: other.ID, PartyOrgNo: "313000001",
		AccessPackages: other.AccessPackages, RedirectURL: "https://x.no/"}, false)
	expectCodes(t, err, 400, "AUTH-00026")

	// 200 on an existing triple, AUTH-00004 after approval, AUTH-00013 on a second decision.
	r := req("313367002", []string{"regnskapsforer-med-signeringsrettighet"}, nil, "")
	first, created, err := w.client.CreateRequest(ctx(t), r, true)
	if err != nil || !created || first.Status != altinn.StatusNew {
		t.Fatalf("first: %+v %v %v", first, created, err)
	}
	again, created, err := w.client.CreateRequest(ctx(t), req("313367002", []string{"skattegrunnlag"}, nil, ""), true)
	if err != nil || created || again.ID != first.ID {
		t.Fatalf("existing triple: %+v created=%v %v", again, created, err)
	}
	if _, err := w.sb.Approve(first.ID); err != nil {
		t.Fatal(err)
	}
	var de *authentication.DecisionError
	if _, err := w.sb.Approve(first.ID); !errors.As(err, &de) || de.Code != "AUTH-00013" {
		t.Fatalf("second approval: %v", err)
	}
	// Altinn refuses a request for an approved triple (AUTH-00004); CreateRequest answers
	// with the approved request instead, as it does with one still waiting.
	expectCodes(t, w.raw(t, "POST", "authentication/api/v1/systemuser/request/vendor/agent", sbworld.ScopeRequestWrite, r), 400, "AUTH-00004")
	approved, created, err := w.client.CreateRequest(ctx(t), r, true)
	if err != nil || created || approved.ID != first.ID || approved.Status != altinn.StatusAccepted {
		t.Fatalf("approved triple: %+v created=%v %v", approved, created, err)
	}
	// The approved request's id is the system user's.
	u, err := w.client.FindSystemUser(ctx(t), sys.ID, "313367002", "")
	if err != nil || u.ID != first.ID || u.UserType != "agent" || u.SupplierOrgno != "974761076" {
		t.Fatalf("system user: %+v %v", u, err)
	}
}

func TestScopesAndTokens(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.register(t)
	// A token without the scope the endpoint needs: 403 with an empty body.
	w.tokens.only = sbworld.ScopeDialogporten
	_, err := w.client.GetSystem(ctx(t), "974761076_skatt_demo_system")
	e, ok := altinnclient.AsError(err)
	if !ok || e.Status != 403 || !strings.Contains(e.Error(), altinnclient.ScopeSystemRegisterWrite) {
		t.Fatalf("403: %v", err)
	}
	// Surprising scopes: listing system users needs systemregister.write; byquery needs request.write.
	w.tokens.only = sbworld.ScopeRequestRead
	if _, err := w.client.ListSystemUsers(ctx(t), "974761076_skatt_demo_system"); !isStatus(err, 403) {
		t.Fatalf("list users with request.read: %v", err)
	}
	w.tokens.only = sbworld.ScopeSystemRegisterWrite
	if _, err := w.client.ListSystemUsers(ctx(t), "974761076_skatt_demo_system"); err != nil {
		t.Fatalf("list users with systemregister.write: %v", err)
	}
	// A garbage token: 401.
	bad := altinnclient.New(config.Sandbox(w.srv.URL).AltinnPlatform, w.srv.Client(), func(context.Context, string) (string, error) { return "x.y.z", nil })
	if _, err := bad.ListSystems(ctx(t)); !isStatus(err, 401) {
		t.Fatalf("401: %v", err)
	}
}

func isStatus(err error, status int) bool {
	e, ok := altinnclient.AsError(err)
	return ok && e.Status == status
}

func TestExchangeAndCatalog(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	mpTok, _ := w.tokens.get(ctx(t), sbworld.ScopeSystemRegisterWrite)
	at, err := w.client.Exchange(ctx(t), mpTok)
	if err != nil || strings.Count(at, ".") != 2 || at == mpTok {
		t.Fatalf("exchange: %q %v", at, err)
	}
	// The exchanged token works on the vendor API.
	ex := altinnclient.New(config.Sandbox(w.srv.URL).AltinnPlatform, w.srv.Client(), func(context.Context, string) (string, error) { return at, nil })
	if _, err := ex.ListSystems(ctx(t)); err != nil {
		t.Fatalf("with an exchanged token: %v", err)
	}
	cat, err := w.client.FetchCatalog(ctx(t))
	if err != nil || cat.Len() != 147 || !strings.HasSuffix(cat.Source, "/export") {
		t.Fatalf("catalog: %v", err)
	}
}

func TestPaginationFollowsNextAndDeduplicates(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sys := w.register(t)
	// 120 requests for 120 external references: three pages.
	for i := 0; i < 120; i++ {
		_, _, err := w.client.CreateRequest(ctx(t), altinn.CreateRequest{SystemID: sys.ID, PartyOrgNo: "313000001", ExternalRef: fmt.Sprintf("kunde-%03d", i),
			AccessPackages: []altinn.PackageRef{{URN: "urn:altinn:accesspackage:skattegrunnlag"}}}, false)
		if err != nil {
			t.Fatal(err)
		}
	}
	// Altinn's standard list pages "id > token" where the token is the first item of the next
	// page (RequestRepository.cs:541-545, Page.cs:40-47): the item at each of the two page
	// boundaries is never listed by the server. The client reads those two by the id in the
	// token, so the list is whole.
	list, err := w.client.ListRequests(ctx(t), sys.ID, false)
	if err != nil || len(list) != 120 {
		t.Fatalf("%d requests, %v", len(list), err)
	}
	seen := map[string]bool{}
	for _, r := range list {
		if seen[r.ID] {
			t.Fatal("duplicate")
		}
		seen[r.ID] = true
		if _, err := w.sb.Approve(r.ID); err != nil {
			t.Fatal(err)
		}
	}
	users, err := w.client.ListSystemUsers(ctx(t), sys.ID)
	if err != nil || len(users) != 120 {
		t.Fatalf("%d users, %v", len(users), err)
	}
}

func TestProblemDetailsV4Layout(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(o *sandbox.Options) { o.ProblemDetailsV4 = true })
	_, err := w.client.GetRequest(ctx(t), "0b9f3a8e-4c1d-4b57-9a8e-2f1c9d7e6a11", true)
	expectCodes(t, err, 404, "AUTH-00010")
	e, _ := altinnclient.AsError(err)
	if !strings.Contains(e.Text, "does not refer to a Request") {
		t.Fatalf("4.x detail not read: %q", e.Text)
	}
	d := w.demoSystem()
	d.ID = "x y"
	_, _, err = w.client.CreateSystem(ctx(t), d)
	expectCodes(t, err, 400, "AUTH.VLD-00013", "AUTH.VLD-00001")
}

// A 404 with the server's own "Not Found" is said once: the generic meaning "Not found." only
// repeated it ("(HTTP 404): Not Found. Not found.").
func TestNotFoundIsSaidOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	_, err := w.client.GetSystem(ctx(t), "974761076_nosuch")
	if err == nil {
		t.Fatal("no error for an unknown system")
	}
	if msg := err.Error(); strings.Count(strings.ToLower(msg), "not found") != 1 {
		t.Fatalf("said %d times: %s", strings.Count(strings.ToLower(msg), "not found"), msg)
	}
}

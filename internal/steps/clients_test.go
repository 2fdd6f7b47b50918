package steps

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/clients/accessmanagement"
	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
)

// The vendor lists an agent system user's clients through the sandbox's Access Management
// (authorized parties, exchanged token): empty before the facilitator adds any, the added
// clients with the packages delegated for them after, and a standard system user's own
// organisation.
func TestListClientsThroughAuthorizedParties(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const firm = accountingFirm
	r := w.approvedAgent(t)
	l, err := ListClients(testCtx(t), w.vendor, firm, "")
	if err != nil || len(l.Clients) != 0 || !strings.Contains(l.Hint, "No clients yet") || !strings.Contains(l.Hint, "sandbox clients list --agent") {
		t.Fatalf("before any client: %+v %v", l, err)
	}
	for _, c := range []string{"314000005", "313000001"} {
		if err := w.sb.AddClient(r.Request.ID, c); err != nil {
			t.Fatal(err)
		}
	}
	l, err = ListClients(testCtx(t), w.vendor, firm, "")
	if err != nil || len(l.Clients) != 2 {
		t.Fatalf("with clients: %+v %v", l, err)
	}
	if c := l.Clients[0]; c.OrgNo != "313000001" || c.Name == "" || c.PartyUUID == "" || !slices.Equal(c.Packages, []string{"regnskapsforer-med-signeringsrettighet"}) {
		t.Fatalf("first client: %+v", c)
	}
	if l.Clients[1].OrgNo != "314000005" || l.Hint != "2 client(s) in Altinn." {
		t.Fatalf("second client: %+v", l)
	}
	// A removed client is gone from the list.
	if err := w.sb.RemoveClient(r.Request.ID, "313000001"); err != nil {
		t.Fatal(err)
	}
	if l, err = ListClients(testCtx(t), w.vendor, firm, ""); err != nil || len(l.Clients) != 1 || l.Clients[0].OrgNo != "314000005" {
		t.Fatalf("after removing: %+v %v", l, err)
	}

	// A standard system user acts for its own organisation only.
	w.approved(t, RequestParams{SystemID: r.Request.SystemID, OrgNo: "313367002", Packages: []string{"skattegrunnlag"}})
	l, err = ListClients(testCtx(t), w.vendor, "313367002", "")
	if err != nil || len(l.Clients) != 1 || l.Clients[0].OrgNo != "313367002" || !slices.Equal(l.Clients[0].Packages, []string{"skattegrunnlag"}) ||
		!strings.Contains(l.Hint, "only for its own organisation") {
		t.Fatalf("standard system user: %+v %v", l, err)
	}
}

// The refusals, with real tokens: a token without the scope is a bare 403, a raw Maskinporten
// token 401 (Access Management takes Altinn tokens), a token without a system user 401
// "Unknown user type"; each explained with what to do.
func TestAuthorizedPartiesRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const firm = accountingFirm
	w.approvedAgent(t)
	ctx := testCtx(t)
	platform := w.vendor.Env.AltinnPlatform
	token := func(scope string, su bool) string {
		req := maskinporten.TokenRequest{Scopes: []string{scope}}
		if su {
			req.SystemUser = &maskinporten.SystemUser{OrgNo: firm}
		}
		tok, _, err := w.vendor.Token(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return tok.AccessToken
	}
	exchange := func(tok string) string {
		at, err := w.vendor.Altinn().Exchange(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	refused := func(name, tok string, status int, says string) {
		t.Helper()
		_, err := accessmanagement.List(ctx, w.vendor.HTTP, platform, tok)
		var e *accessmanagement.Error
		if !errors.As(err, &e) || e.Status != status || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v", name, err)
		}
	}
	refused("without the scope", exchange(token("skatteetaten:innrapporteringboligselskap", true)), http.StatusForbidden, "lacks the scope altinn:accessmanagement/authorizedparties")
	refused("raw Maskinporten token", token(accessmanagement.Scope, true), http.StatusUnauthorized, "exchange the system user's Maskinporten token")
	refused("no system user", exchange(token(accessmanagement.Scope, false)), http.StatusUnauthorized, "names no system user")
	refused("no token", "", http.StatusUnauthorized, "takes only Altinn tokens")
	// The step's own error for a token Maskinporten refuses: no system user for that organisation.
	if _, err := ListClients(ctx, w.vendor, "314000005", ""); err == nil || !strings.Contains(err.Error(), "MP-303") {
		t.Errorf("no system user: %v", err)
	}
}

// The wire shape as Access Management writes it: PaginatedResult {"links":{"next":null},"data":[…]},
// camelCase AuthorizedPartyDto with type "Organization"; the package list filled only when
// includeAccessPackages=true; a flag that is not a bool is a 400 validation problem.
func TestAuthorizedPartiesWireShape(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const firm = accountingFirm
	r := w.approvedAgent(t)
	if err := w.sb.AddClient(r.Request.ID, "313367002"); err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	tok, _, err := w.vendor.Token(ctx, maskinporten.TokenRequest{Scopes: []string{accessmanagement.Scope}, SystemUser: &maskinporten.SystemUser{OrgNo: firm}})
	if err != nil {
		t.Fatal(err)
	}
	at, err := w.vendor.Altinn().Exchange(ctx, tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	get := func(query string) (int, string, string) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, w.srv.URL+"/altinn/accessmanagement/api/v1/enduser/authorizedparties"+query, nil)
		req.Header.Set("Authorization", "Bearer "+at)
		resp, err := w.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), b.String()
	}
	status, ctype, body := get("")
	if status != 200 || !strings.HasPrefix(ctype, "application/json") {
		t.Fatalf("%d %s %s", status, ctype, body)
	}
	for _, want := range []string{`{"links":{"next":null},"data":[{`, `"partyUuid":"`, `"organizationNumber":"313367002"`, `"type":"Organization"`,
		`"authorizedAccessPackages":[]`, `"subunits":[]`, `"isDeleted":false`, `"onlyHierarchyElementWithNoAccess":false`, `"personId":null`} {
		if !strings.Contains(body, want) {
			t.Errorf("default flags: lacks %s in %s", want, body)
		}
	}
	if _, _, body = get("?includeAccessPackages=true"); !strings.Contains(body, `"authorizedAccessPackages":["regnskapsforer-med-signeringsrettighet"]`) {
		t.Errorf("includeAccessPackages: %s", body)
	}
	if status, _, body = get("?includeAccessPackages=yes"); status != 400 || !strings.Contains(body, "includeAccessPackages") {
		t.Errorf("bad flag: %d %s", status, body)
	}
	// partyFilter keeps only the parties named.
	if _, _, body = get("?partyFilter=00000000-0000-4000-8000-000000000000"); !strings.Contains(body, `"data":[]`) {
		t.Errorf("partyFilter: %s", body)
	}
}

package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/dialogporten"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/dialogs"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// dpToken is a sandbox Maskinporten token for system user id of owner (no system user when id is "").
func (w *fidWorld) dpToken(id, owner string, scopes ...string) string {
	w.t.Helper()
	claims := map[string]any{"iss": w.srv.URL + "/maskinporten/", "exp": time.Now().Add(time.Minute).Unix(),
		"scope": strings.Join(scopes, " "), "client_id": "test-client", "consumer": mp.NewOrgID(fidVendor)}
	if id != "" {
		claims["authorization_details"] = []mp.SystemUserToken{{Type: mp.RARTypeSystemUser, SystemUserID: []string{id}, SystemUserOrg: mp.NewOrgID(owner), SystemID: fidSystem}}
	}
	tok, err := env.Ring{Env: w.sb.Env}.SignClaims(claims)
	if err != nil {
		w.t.Fatal(err)
	}
	return tok
}

func (w *fidWorld) putSystemUser(id, owner string, agent bool, rights []altinn.Right, pkgs []altinn.PackageRef) {
	w.t.Helper()
	if err := w.sb.Update(func(st *world.State) error {
		st.SystemUsers[id] = &world.SystemUser{ID: id, SystemID: fidSystem, OwnerOrg: owner, Agent: agent, Rights: rights, AccessPackages: pkgs, Created: time.Now()}
		return nil
	}); err != nil {
		w.t.Fatal(err)
	}
}

func (w *fidWorld) dialogs(tok string, query url.Values) (fidResp, http.Header) {
	w.t.Helper()
	req, _ := http.NewRequest("GET", w.srv.URL+"/altinn/dialogporten/api/v1/enduser/dialogs?"+query.Encode(), nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return fidResp{resp.StatusCode, resp.Header.Get("Content-Type"), body}, resp.Header
}

func partyQuery(org string) url.Values {
	return url.Values{"party": {dialogporten.PartyOrgPrefix + org}}
}

// The end-user dialog search: 200 with the dialogs whose resource the system user holds, 200
// empty when nothing is delegated, 401/403/400 as Dialogporten (743f07f) answers them.
func TestDialogportenSearch(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	const withRight, withNothing, agent = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333"
	w.putSystemUser(withRight, dialogs.SeedCustomer, false, []altinn.Right{altinn.NewResourceRight("ske-innrapportering-boligselskap")}, nil)
	w.putSystemUser(withNothing, dialogs.SeedCustomer, false, []altinn.Right{altinn.NewResourceRight("ske-innrapportering-amelding")}, nil)

	r, _ := w.dialogs(w.dpToken(withRight, dialogs.SeedCustomer, dialogporten.Scope), partyQuery(dialogs.SeedCustomer))
	var list dialogporten.List
	if r.status != 200 || json.Unmarshal(r.body, &list) != nil {
		t.Fatalf("search: %d %s", r.status, r.body)
	}
	if len(list.Items) != 1 || list.Items[0].ServiceResource != "urn:altinn:resource:ske-innrapportering-boligselskap" ||
		list.Items[0].Party != dialogporten.PartyOrgPrefix+dialogs.SeedCustomer || list.HasNextPage || list.ContinuationToken != nil {
		t.Fatalf("list: %s", r.body)
	}
	for _, field := range []string{`"items":[`, `"hasNextPage":false`, `"continuationToken":null`, `"serviceResourceType":"GenericAccessResource"`, `"status":"RequiresAttention"`, `"languageCode":"nb"`} {
		if !strings.Contains(string(r.body), field) {
			t.Errorf("answer lacks %s: %s", field, r.body)
		}
	}
	// Another party's dialogs are not the system user's.
	if r, _ := w.dialogs(w.dpToken(withRight, dialogs.SeedCustomer, dialogporten.Scope), partyQuery("312000008")); r.status != 200 || !strings.Contains(string(r.body), `"items":[]`) {
		t.Fatalf("other party: %d %s", r.status, r.body)
	}
	// Nothing delegated that a dialog needs: 200 with an empty list.
	r, _ = w.dialogs(w.dpToken(withNothing, dialogs.SeedCustomer, dialogporten.Scope), partyQuery(dialogs.SeedCustomer))
	if r.status != 200 || !strings.Contains(string(r.body), `"items":[]`) {
		t.Fatalf("nothing delegated: %d %s", r.status, r.body)
	}
	// An agent system user sees a client's dialogs once the facilitator added the client.
	w.putSystemUser(agent, "311000004", true, nil, []altinn.PackageRef{{URN: "urn:altinn:accesspackage:skattegrunnlag"}})
	agentTok := w.dpToken(agent, "311000004", dialogporten.Scope)
	if r, _ := w.dialogs(agentTok, partyQuery(dialogs.SeedCustomer)); r.status != 200 || !strings.Contains(string(r.body), `"items":[]`) {
		t.Fatalf("agent without the client: %d %s", r.status, r.body)
	}
	_ = w.sb.Update(func(st *world.State) error {
		st.ClientDelegations[agent+"/"+dialogs.SeedCustomer] = &world.ClientDelegation{AgentID: agent, ClientOrgNo: dialogs.SeedCustomer}
		return nil
	})
	r, _ = w.dialogs(agentTok, partyQuery(dialogs.SeedCustomer))
	if err := json.Unmarshal(r.body, &list); r.status != 200 || err != nil || len(list.Items) != 2 {
		t.Fatalf("agent with the client: %d %s", r.status, r.body)
	}
	// Paging: limit 1 gives a continuation token that fetches the second.
	q := partyQuery(dialogs.SeedCustomer)
	q.Set("limit", "1")
	r, _ = w.dialogs(agentTok, q)
	if err := json.Unmarshal(r.body, &list); err != nil || !list.HasNextPage || list.ContinuationToken == nil || len(list.Items) != 1 {
		t.Fatalf("page 1: %s", r.body)
	}
	first := list.Items[0].ID
	q.Set("continuationToken", *list.ContinuationToken)
	r, _ = w.dialogs(agentTok, q)
	if err := json.Unmarshal(r.body, &list); err != nil || list.HasNextPage || len(list.Items) != 1 || list.Items[0].ID == first {
		t.Fatalf("page 2: %s", r.body)
	}

	// No token: 401 with a bare challenge; a forged one: invalid_token.
	r, h := w.dialogs("", partyQuery(dialogs.SeedCustomer))
	if r.status != 401 || len(r.body) != 0 || h.Get("WWW-Authenticate") != "Bearer" {
		t.Fatalf("no token: %d %q %q", r.status, h.Get("WWW-Authenticate"), r.body)
	}
	r, h = w.dialogs("eyJhbGciOiJSUzI1NiJ9.e30.AAAA", partyQuery(dialogs.SeedCustomer))
	if r.status != 401 || !strings.Contains(h.Get("WWW-Authenticate"), "invalid_token") {
		t.Fatalf("bad token: %d %q", r.status, h.Get("WWW-Authenticate"))
	}
	// The scope missing: the EndUser policy's bare 403.
	r, _ = w.dialogs(w.dpToken(withRight, dialogs.SeedCustomer, world.ScopeSkeBoligselskap), partyQuery(dialogs.SeedCustomer))
	if r.status != 403 || len(r.body) != 0 {
		t.Fatalf("no scope: %d %s", r.status, r.body)
	}
	// A Maskinporten token without a system user is no end user: 403 problem details.
	r, _ = w.dialogs(w.dpToken("", "", dialogporten.Scope), partyQuery(dialogs.SeedCustomer))
	if r.status != 403 || !strings.HasPrefix(r.ctype, "application/problem+json") || !strings.Contains(string(r.body), `"title":"Forbidden."`) ||
		!strings.Contains(string(r.body), "Valid user types for this endpoint are: Person, SystemUser") {
		t.Fatalf("no system user: %d %s %s", r.status, r.ctype, r.body)
	}
	// Neither party nor serviceResource, or a malformed party: 400 validation problem.
	r, _ = w.dialogs(w.dpToken(withRight, dialogs.SeedCustomer, dialogporten.Scope), url.Values{})
	if r.status != 400 || !strings.Contains(string(r.body), "Either ServiceResource or Party must be specified.") {
		t.Fatalf("no filter: %d %s", r.status, r.body)
	}
	r, _ = w.dialogs(w.dpToken(withRight, dialogs.SeedCustomer, dialogporten.Scope), url.Values{"party": {dialogs.SeedCustomer}})
	if r.status != 400 || !strings.Contains(string(r.body), `"Party[0]"`) {
		t.Fatalf("bare org number as party: %d %s", r.status, r.body)
	}
}

// A sandbox seeded before the Altinn-app scopes existed gets them on its vendor client at the
// next start (Wenche's login against an existing sandbox); a client that kept some is left alone.
func TestAppScopesGrantedToAnOlderSandbox(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sb := openDir(t, dir)
	boot, _ := sb.Bootstrap()
	if err := sb.Update(func(st *world.State) error {
		// A sandbox of layout version 1, from before the Altinn-app scopes.
		st.Clients[boot.ClientID].Scopes = append([]string(nil), world.VendorScopes...)
		delete(st.Scopes, "altinn:correspondence.read")
		st.Version = 1
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sb.Close()
	sb = openDir(t, dir)
	var scopes []string
	_ = sb.Update(func(st *world.State) error {
		scopes = st.Clients[boot.ClientID].Scopes
		if st.Scopes["altinn:correspondence.read"] == nil {
			t.Error("the registry lacks altinn:correspondence.read")
		}
		st.Clients[boot.ClientID].Scopes = append(append([]string(nil), world.VendorScopes...), "altinn:instances.read")
		return nil
	})
	for _, sc := range world.AppClientScopes {
		if !slices.Contains(scopes, sc) {
			t.Fatalf("vendor client scopes after restart: %v", scopes)
		}
	}
	sb.Close()
	sb = openDir(t, dir)
	defer sb.Close()
	_ = sb.Update(func(st *world.State) error {
		if slices.Contains(st.Clients[boot.ClientID].Scopes, "altinn:instances.write") {
			t.Errorf("a client that kept some app scopes got the others back: %v", st.Clients[boot.ClientID].Scopes)
		}
		return nil
	})
}

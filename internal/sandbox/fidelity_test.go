package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/authentication"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Each test here mirrors Altinn/altinn-authentication at
// ad4f6f3671c0ba40bf923003688f5949c6a89aa2; its name or comment gives the file and line, and the
// row of ../shared/spec/altinn-fidelity.md.

type fidWorld struct {
	t   *testing.T
	sb  *Sandbox
	srv *httptest.Server
}

const (
	fidVendor = world.DefaultVendorOrg
	fidSystem = world.DefaultVendorOrg + "_fidelity"
	fidParty  = "313000001"
	urnSkatt  = "urn:altinn:accesspackage:skattegrunnlag"
	urnRegn   = "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet"
)

func newFidWorld(t *testing.T) *fidWorld {
	t.Helper()
	sb, srv := serveTest(t)
	w := &fidWorld{t: t, sb: sb, srv: srv}
	w.putSystem(fidSystem, true, []altinn.PackageRef{{URN: urnSkatt}}, []altinn.Right{altinn.NewResourceRight("ske-innrapportering-boligselskap")})
	return w
}

// putSystem stores a system directly, as a registered one.
func (w *fidWorld) putSystem(id string, visible bool, pkgs []altinn.PackageRef, rights []altinn.Right) {
	w.t.Helper()
	err := w.sb.Update(func(st *world.State) error {
		st.Systems[id] = &world.System{ID: id, InternalID: "00000000-0000-4000-8000-000000000001", VendorOrg: fidVendor,
			Name: map[string]string{"nb": "Fidelity"}, Description: map[string]string{"nb": "Test"}, Rights: world.NonNil(rights),
			AccessPackages: world.NonNil(pkgs), ClientIDs: []string{}, IsVisible: visible, AllowedRedirectURLs: []string{"https://vendor.example/cb"}, Created: time.Now()}
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

// token is a sandbox Maskinporten token of the vendor with the given scopes.
func (w *fidWorld) token(org string, scopes ...string) string {
	w.t.Helper()
	tok, err := env.Ring{Env: w.sb.Env}.SignClaims(map[string]any{"iss": w.srv.URL + "/maskinporten/", "exp": time.Now().Add(time.Minute).Unix(),
		"scope": strings.Join(scopes, " "), "client_id": "test-client", "consumer": mp.NewOrgID(org)})
	if err != nil {
		w.t.Fatal(err)
	}
	return tok
}

type fidResp struct {
	status int
	ctype  string
	body   []byte
}

func (r fidResp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.status, r.body)
	}
	return m
}

func (r fidResp) code() string {
	var m struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(r.body, &m)
	return m.Code
}

func (w *fidWorld) call(method, path, tok string, body any) fidResp {
	w.t.Helper()
	var rd io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			rd = strings.NewReader(s)
		} else {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
	}
	req, _ := http.NewRequest(method, w.srv.URL+"/altinn/"+path, rd)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return fidResp{resp.StatusCode, resp.Header.Get("Content-Type"), data}
}

func (w *fidWorld) request(agent bool, body map[string]any) fidResp {
	w.t.Helper()
	path := "authentication/api/v1/systemuser/request/vendor"
	if agent {
		path += "/agent"
	}
	return w.call("POST", path, w.token(fidVendor, world.ScopeRequestWrite), body)
}

func pkgs(urns ...string) []map[string]string {
	out := []map[string]string{}
	for _, u := range urns {
		out = append(out, map[string]string{"urn": u})
	}
	return out
}

func wantStatusCode(t *testing.T, r fidResp, status int, code string) {
	t.Helper()
	if r.status != status || r.code() != code {
		t.Fatalf("got %d %q, want %d %q: %s", r.status, r.code(), status, code, r.body)
	}
}

// Row 3: CreateAgentRequest runs ValidateExternalRequestId, which looks up standard requests
// only (RequestSystemUserService.cs:182 → 259-283; RequestRepository.cs:190-204), so an agent
// request for the triple of a pending standard request is AUTH-00007, a rejected one AUTH-00009.
func TestAgentRequestAfterStandardRequest_RequestSystemUserServiceCs259(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	std := w.request(false, map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "accessPackages": pkgs(urnSkatt)})
	if std.status != 201 {
		t.Fatalf("standard: %d %s", std.status, std.body)
	}
	agentBody := map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "accessPackages": pkgs(urnSkatt)}
	wantStatusCode(t, w.request(true, agentBody), 400, "AUTH-00007")
	id := std.json(t)["id"].(string)
	if _, err := w.sb.Reject(id); err != nil {
		t.Fatal(err)
	}
	wantStatusCode(t, w.request(true, agentBody), 400, "AUTH-00009")
	// Another vendor asking about the same triple meets the same check before the vendor check
	// (RequestSystemUserService.cs:66-76).
	other := w.call("POST", "authentication/api/v1/systemuser/request/vendor", w.token("314000005", world.ScopeRequestWrite),
		map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "accessPackages": pkgs(urnSkatt)})
	wantStatusCode(t, other, 400, "AUTH-00009")
}

// Row 4: RegisterSystemRequest's id, vendor, name and description are C# `required`
// (src/Core/Models/SystemRegisters/RegisterSystemRequest.cs:34,51,69,74), and the agent model's
// accessPackages is [Required] (CreateAgentRequestSystemUser.cs:48-50): ASP.NET's 400 `errors`.
func TestRequiredMembers_RegisterSystemRequestCs34_CreateAgentRequestSystemUserCs48(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	sys := map[string]any{"id": fidVendor + "_noname", "vendor": map[string]string{"ID": "0192:" + fidVendor}, "clientId": []string{"c-noname"}}
	r := w.call("POST", "authentication/api/v1/systemregister/vendor", w.token(fidVendor, world.ScopeSystemRegisterWrite), sys)
	if r.status != 400 || r.code() != "" {
		t.Fatalf("system without name: %d %s", r.status, r.body)
	}
	errs, _ := r.json(t)["errors"].(map[string]any)
	if !strings.Contains(asString(errs["$"]), "'name', 'description'") || errs["registerNewSystem"] == nil {
		t.Fatalf("errors = %v", errs)
	}
	ag := w.request(true, map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty})
	if ag.status != 400 || ag.code() != "" {
		t.Fatalf("agent without accessPackages: %d %s", ag.status, ag.body)
	}
	if errs, _ := ag.json(t)["errors"].(map[string]any); errs["AccessPackages"] == nil {
		t.Fatalf("errors = %s", ag.body)
	}
	// An empty list passes binding and meets AUTH-00058 (RequestSystemUserService.cs:222-225).
	wantStatusCode(t, w.request(true, map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "accessPackages": []any{}}), 400, "AUTH-00058")
}

func asString(v any) string { b, _ := json.Marshal(v); return string(b) }

// Row 5: request packages are compared as exact strings (SystemUserService.cs:691): a bare code
// is AUTH-00063, and nothing is rewritten on the way in.
func TestRequestPackageNotNormalised_SystemUserServiceCs691(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	r := w.request(false, map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "accessPackages": pkgs("skattegrunnlag")})
	wantStatusCode(t, r, 400, "AUTH-00063")
	if r.json(t)["NotFoundPackages"] != "skattegrunnlag" {
		t.Fatalf("extension: %s", r.body)
	}
}

// Row 6: a duplicate client id in a create body is not validated; the primary key of
// maskinporten_client refuses it and the controller answers 409 with a text body
// (SystemRegisterController.cs:326-327).
func TestDuplicateClientIDOnCreate409_SystemRegisterControllerCs326(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	id := fidVendor + "_dupclient"
	sys := map[string]any{"id": id, "vendor": map[string]string{"ID": "0192:" + fidVendor}, "name": map[string]string{"nb": "x"},
		"description": map[string]string{"nb": "y"}, "accessPackages": pkgs(urnSkatt), "clientId": []string{"c-dup", "c-dup"}}
	r := w.call("POST", "authentication/api/v1/systemregister/vendor", w.token(fidVendor, world.ScopeSystemRegisterWrite), sys)
	if r.status != 409 || !strings.HasPrefix(r.ctype, "text/plain") || string(r.body) != "The System already exist: "+id {
		t.Fatalf("%d %q %s", r.status, r.ctype, r.body)
	}
	_ = w.sb.View(func(st *world.State) error {
		if st.Systems[id] != nil {
			t.Error("the system was stored")
		}
		return nil
	})
}

// Row 7: redirect_urls is text since migration v0.27 (01-alter-redirect-urls-length.sql), and
// external_ref/integration_title are varchar(255), counted in characters; a longer value throws
// in RequestRepository.CreateRequest and is re-thrown (RequestRepository.cs:102-106) → 500.
func TestLengthLimits_RequestRepositoryCs102(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	longURL := "https://vendor.example/cb?state=" + strings.Repeat("s", 300)
	r := w.request(false, map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "externalRef": strings.Repeat("æ", 255),
		"accessPackages": pkgs(urnSkatt), "redirectUrl": longURL})
	if r.status != 201 {
		t.Fatalf("255 characters (510 bytes) and a long redirect URL: %d %s", r.status, r.body)
	}
	r = w.request(false, map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "externalRef": strings.Repeat("x", 256), "accessPackages": pkgs(urnSkatt)})
	if r.status != 500 || r.code() != "" || r.json(t)["title"] != "An error occurred while processing your request." {
		t.Fatalf("256 characters: %d %s", r.status, r.body)
	}
}

// Row 8: titles come verbatim from Problem.cs (e.g. AUTH-00011 at Problem.cs:47).
func TestProblemTitleOnTheWire_ProblemCs47(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	r := w.request(false, map[string]any{"systemId": fidVendor + "_nope", "partyOrgNo": fidParty, "accessPackages": pkgs(urnSkatt)})
	wantStatusCode(t, r, 404, "AUTH-00011")
	if r.json(t)["title"] != "The Id does not refer to a Registered System." {
		t.Fatalf("%s", r.body)
	}
}

// Row 9: GetRegisteredSystemById does not filter soft-deleted systems
// (SystemRegisterRepository.cs:245-263), so requests, request lists and the system-user list
// still work for them (RequestSystemUserService.cs:60-64,762-772; SystemUserService.cs:292-301).
func TestSoftDeletedSystemStillServes_SystemRegisterRepositoryCs245(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	_ = w.sb.Update(func(st *world.State) error { st.Systems[fidSystem].Deleted = true; return nil })
	r := w.request(false, map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "accessPackages": pkgs(urnSkatt)})
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if l := w.call("GET", "authentication/api/v1/systemuser/request/vendor/bysystem/"+fidSystem, w.token(fidVendor, world.ScopeRequestRead), nil); l.status != 200 {
		t.Fatalf("request list: %d %s", l.status, l.body)
	}
	if l := w.call("GET", "authentication/api/v1/systemuser/vendor/bysystem/"+fidSystem, w.token(fidVendor, world.ScopeSystemRegisterWrite), nil); l.status != 200 {
		t.Fatalf("system-user list: %d %s", l.status, l.body)
	}
}

// Row 10: rights are matched on resource attributes only; action and attribute order are
// ignored (SystemUserService.cs:643-679, 778-808).
func TestRightsIgnoreActionAndOrder_SystemUserServiceCs643(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	pair := []altinn.AttributePair{{ID: altinn.ResourceAttribute, Value: "ske-innrapportering-boligselskap"}, {ID: "urn:altinn:subresource", Value: "a"}}
	w.putSystem(fidSystem, true, nil, []altinn.Right{{Action: "read", Resource: pair}})
	right := map[string]any{"action": "write", "resource": []altinn.AttributePair{pair[1], pair[0]}}
	r := w.request(false, map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "rights": []any{right}})
	if r.status != 201 {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

// Row 11: externalRef "" (or blank, trimmed to "") is kept by `?? PartyOrgNo`
// (RequestSystemUserController.cs:111), skips the duplicate checks, and is stored as the
// party's org number (RequestSystemUserService.cs:135-138): a second request 201s.
func TestEmptyExternalRefDuplicates_RequestSystemUserControllerCs111(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	first := w.request(false, map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "accessPackages": pkgs(urnSkatt)})
	again := w.request(false, map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "externalRef": "  ", "accessPackages": pkgs(urnSkatt)})
	if first.status != 201 || again.status != 201 {
		t.Fatalf("%d / %d %s", first.status, again.status, again.body)
	}
	a, b := first.json(t), again.json(t)
	if a["id"] == b["id"] || b["externalRef"] != fidParty {
		t.Fatalf("first %v, again %v", a, b)
	}
}

// Row 12: the standard list is ORDER BY id with "id > token", the token being the first item of
// the next page (RequestRepository.cs:541-545; Page.cs:40-47): one request per page boundary is
// never listed.
func TestRequestListSkipsPageBoundary_RequestRepositoryCs541(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	err := w.sb.Update(func(st *world.State) error {
		for i := 0; i < 52; i++ {
			id := fmt.Sprintf("%08x-0000-4000-8000-000000000000", (i*7919)%1000)
			st.Requests[id] = &world.Request{ID: id, SystemID: fidSystem, VendorOrg: fidVendor, PartyOrgNo: fidParty, ExternalRef: id,
				Status: altinn.StatusNew, Created: time.Now(), Seq: st.NextSeq()}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tok := w.token(fidVendor, world.ScopeRequestRead)
	var page altinn.Page[altinn.Request]
	r := w.call("GET", "authentication/api/v1/systemuser/request/vendor/bysystem/"+fidSystem, tok, nil)
	_ = json.Unmarshal(r.body, &page)
	if len(page.Data) != 50 || page.Links.Next == "" {
		t.Fatalf("page 1: %d items, next %q", len(page.Data), page.Links.Next)
	}
	for i := 1; i < len(page.Data); i++ {
		if page.Data[i-1].ID >= page.Data[i].ID {
			t.Fatal("page 1 not ordered by id")
		}
	}
	next := strings.TrimPrefix(page.Links.Next, w.srv.URL+"/altinn/")
	r = w.call("GET", next, tok, nil)
	var page2 altinn.Page[altinn.Request]
	_ = json.Unmarshal(r.body, &page2)
	if len(page2.Data) != 1 || page2.Links.Next != "" {
		t.Fatalf("page 2: %d items (want 1: the 51st is skipped), next %q", len(page2.Data), page2.Links.Next)
	}
	// An unreadable token is a model-binding 400 (Opaque<Guid>), not page 1.
	if r := w.call("GET", "authentication/api/v1/systemuser/request/vendor/bysystem/"+fidSystem+"?token=zzz", tok, nil); r.status != 400 {
		t.Fatalf("bad token: %d", r.status)
	}
}

// Row 13: update adds one AUTH.VLD-00004 per conflicting client id
// (SystemRegisterController.cs:550-565); a package with neither flag on a visible system gives
// AUTH.VLD-00008 and AUTH.VLD-00018 (SystemRegisterService.cs:240-248).
func TestValidationEntries_SystemRegisterControllerCs550(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	_ = w.sb.Update(func(st *world.State) error {
		st.Systems[fidVendor+"_other"] = &world.System{ID: fidVendor + "_other", VendorOrg: fidVendor, ClientIDs: []string{"c1", "c2"}}
		return nil
	})
	tok := w.token(fidVendor, world.ScopeSystemRegisterWrite)
	upd := map[string]any{"id": fidSystem, "vendor": map[string]string{"ID": "0192:" + fidVendor}, "name": map[string]string{"nb": "x"},
		"description": map[string]string{"nb": "y"}, "accessPackages": pkgs(urnSkatt), "clientId": []string{"c1", "c2"}}
	r := w.call("PUT", "authentication/api/v1/systemregister/vendor/"+fidSystem, tok, upd)
	if got := validationCodes(t, r); got != "AUTH.VLD-00004,AUTH.VLD-00004" {
		t.Fatalf("update: %s", got)
	}
	sys := map[string]any{"id": fidVendor + "_eksplisitt", "vendor": map[string]string{"ID": "0192:" + fidVendor}, "name": map[string]string{"nb": "x"},
		"description": map[string]string{"nb": "y"}, "accessPackages": pkgs("urn:altinn:accesspackage:eksplisitt")}
	r = w.call("POST", "authentication/api/v1/systemregister/vendor", tok, sys)
	if got := validationCodes(t, r); got != "AUTH.VLD-00008,AUTH.VLD-00018" {
		t.Fatalf("create: %s", got)
	}
}

func validationCodes(t *testing.T, r fidResp) string {
	t.Helper()
	var p altinn.ProblemBody
	if err := json.Unmarshal(r.body, &p); err != nil || r.status != 400 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var codes []string
	for _, v := range p.ValidationErrors {
		codes = append(codes, v.Code)
	}
	return strings.Join(codes, ",")
}

// Rows 16 and 17: byExternalId answers the whole SystemUserExternalDTO with productName =
// systemId and 400 for a missing parameter (SystemUserController.cs:149-185); the vendor lists
// leave productName and supplierName "" (SystemUserRepository.cs:392-416).
func TestSystemUserDTOs_SystemUserControllerCs149(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	_ = w.sb.Update(func(st *world.State) error {
		st.Systems[fidSystem].ClientIDs = []string{"mp-client"}
		st.Scopes["altinn:maskinporten/systemuser.read"].AccessAll = true
		st.SystemUsers["su-1"] = &world.SystemUser{ID: "su-1", SystemID: fidSystem, OwnerOrg: fidParty, ExternalRef: fidParty, IntegrationTitle: "t", Created: time.Now(), Seq: st.NextSeq()}
		return nil
	})
	mpTok := w.token("991825827", "altinn:maskinporten/systemuser.read")
	r := w.call("GET", "authentication/api/v1/systemuser/byExternalId?clientId=mp-client&systemProviderOrgNo="+fidVendor+"&systemUserOwnerOrgNo="+fidParty, mpTok, nil)
	m := r.json(t)
	if r.status != 200 || m["productName"] != fidSystem || m["supplierOrgno"] != fidVendor || m["userType"] != "standard" || m["externalRef"] != fidParty {
		t.Fatalf("byExternalId: %d %v", r.status, m)
	}
	if r := w.call("GET", "authentication/api/v1/systemuser/byExternalId?clientId=mp-client", mpTok, nil); r.status != 400 {
		t.Fatalf("missing parameters: %d", r.status)
	}
	q := w.call("GET", "authentication/api/v1/systemuser/vendor/byquery?system-id="+fidSystem+"&orgno="+fidParty, w.token(fidVendor, world.ScopeRequestWrite), nil)
	if m := q.json(t); q.status != 200 || m["productName"] != "" || m["supplierName"] != "" || m["supplierOrgno"] != fidVendor {
		t.Fatalf("byquery: %d %v", q.status, m)
	}
}

// Row 18: GET vendor/{id} sends empty rights and packages as [] (only null is omitted).
func TestEmptyListsSent_RegisteredSystemResponse(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	w.putSystem(fidSystem, true, []altinn.PackageRef{{URN: urnSkatt}}, nil)
	r := w.call("GET", "authentication/api/v1/systemregister/vendor/"+fidSystem, w.token(fidVendor, world.ScopeSystemRegisterWrite), nil)
	if !strings.Contains(string(r.body), `"rights":[]`) {
		t.Fatalf("%s", r.body)
	}
}

// Row 23: integrationTitle "" is kept (IntegrationTitle?.Trim() ?? name,
// RequestSystemUserService.cs:145); only an absent title becomes the system's nb name.
func TestEmptyIntegrationTitleKept_RequestSystemUserServiceCs145(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	r := w.request(false, map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "integrationTitle": "", "accessPackages": pkgs(urnSkatt)})
	if m := r.json(t); r.status != 201 || m["integrationTitle"] != "" {
		t.Fatalf("%d %v", r.status, m)
	}
}

// Row 1: change requests as ChangeRequestSystemUserController.cs:82-166 answers them: a missing
// correlation-id is a text 400, one equal to the system user's id too; another vendor gets 401;
// an agent system user AUTH-00015 (ChangeRequestSystemUserService.cs:58-62); an empty body 200
// NoChangeNeeded, not stored; byexternalref leaves the package lists empty
// (ChangeRequestSystemUserService.cs:196-207).
func TestChangeRequestRules_ChangeRequestSystemUserControllerCs82(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	const suID, agentID = "11111111-0000-4000-8000-000000000001", "11111111-0000-4000-8000-000000000002"
	_ = w.sb.Update(func(st *world.State) error {
		st.SystemUsers[suID] = &world.SystemUser{ID: suID, SystemID: fidSystem, OwnerOrg: fidParty, ExternalRef: fidParty, Created: time.Now(), Seq: st.NextSeq()}
		st.SystemUsers[agentID] = &world.SystemUser{ID: agentID, SystemID: fidSystem, OwnerOrg: "311000004", ExternalRef: "311000004", Agent: true, Created: time.Now(), Seq: st.NextSeq()}
		return nil
	})
	tok := w.token(fidVendor, world.ScopeRequestWrite)
	path := func(corr, su string) string {
		return "authentication/api/v1/systemuser/changerequest/vendor?correlation-id=" + corr + "&system-user-id=" + su
	}
	add := map[string]any{"requiredAccessPackages": pkgs(urnSkatt)}
	if r := w.call("POST", "authentication/api/v1/systemuser/changerequest/vendor?system-user-id="+suID, tok, add); r.status != 400 || !strings.Contains(string(r.body), "correlation-id") {
		t.Fatalf("no correlation-id: %d %s", r.status, r.body)
	}
	if r := w.call("POST", path(suID, suID), tok, add); r.status != 400 || !strings.HasPrefix(r.ctype, "text/plain") {
		t.Fatalf("correlation = system user: %d %s", r.status, r.body)
	}
	corr := "22222222-0000-4000-8000-000000000001"
	if r := w.call("POST", path(corr, suID), w.token("314000005", world.ScopeRequestWrite), add); r.status != 401 {
		t.Fatalf("other vendor: %d", r.status)
	}
	wantStatusCode(t, w.call("POST", path(corr, agentID), tok, add), 404, "AUTH-00015")
	empty := w.call("POST", path(corr, suID), tok, map[string]any{})
	if m := empty.json(t); empty.status != 200 || m["status"] != "NoChangeNeeded" || m["confirmUrl"] != "" || m["created"] != "0001-01-01T00:00:00" {
		t.Fatalf("empty: %d %s", empty.status, empty.body)
	}
	created := w.call("POST", path(corr, suID), tok, add)
	if created.status != 201 || !strings.HasSuffix(created.json(t)["confirmUrl"].(string), "/changerequest?id="+corr+"&DONTCHOOSEREPORTEE=true") {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	byRef := w.call("GET", "authentication/api/v1/systemuser/changerequest/vendor/byexternalref/"+fidSystem+"/"+fidParty+"/"+fidParty, w.token(fidVendor, world.ScopeRequestRead), nil)
	if m := byRef.json(t); byRef.status != 200 || asString(m["requiredAccessPackages"]) != "[]" {
		t.Fatalf("byexternalref: %d %s", byRef.status, byRef.body)
	}
	if _, err := w.sb.RejectChange(corr); err != nil {
		t.Fatal(err)
	}
	// The same correlation-id on the caller's system returns it, whatever its status.
	if r := w.call("POST", path(corr, suID), tok, add); r.status != 200 || r.json(t)["status"] != "Rejected" {
		t.Fatalf("existing: %d %s", r.status, r.body)
	}
}

// The facilitator's client API (SystemUserClientDelegationController.cs): ValidateSystemUser's
// VLD-00014/00015 with path "?agent", VLD-00016 for a missing client, 403 for a caller that is
// not the facilitator, AUTH-00080 when the relation does not give every package
// (SystemUserService.cs:920-933), and 200 {agent, client} on success.
func TestClientDelegationAPI_SystemUserClientDelegationControllerCs155(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	const agentID, both, stdID = "33333333-0000-4000-8000-000000000001", "33333333-0000-4000-8000-000000000002", "33333333-0000-4000-8000-000000000003"
	regn := []altinn.PackageRef{{URN: urnRegn}}
	_ = w.sb.Update(func(st *world.State) error {
		st.SystemUsers[agentID] = &world.SystemUser{ID: agentID, SystemID: fidSystem, OwnerOrg: "311000004", ExternalRef: "311000004", Agent: true, AccessPackages: regn}
		st.SystemUsers[both] = &world.SystemUser{ID: both, SystemID: fidSystem, OwnerOrg: "311000004", ExternalRef: "x", Agent: true,
			AccessPackages: append(regn, altinn.PackageRef{URN: urnSkatt})}
		st.SystemUsers[stdID] = &world.SystemUser{ID: stdID, SystemID: fidSystem, OwnerOrg: fidParty, ExternalRef: fidParty}
		return nil
	})
	firm := w.token("311000004", authentication.ScopeClientDelegationsWrite)
	base := "authentication/api/v1/enduser/systemuser/clients"
	vld := func(r fidResp) string {
		var p altinn.ProblemBody
		_ = json.Unmarshal(r.body, &p)
		if r.status != 400 || len(p.ValidationErrors) != 1 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		return p.ValidationErrors[0].Code + " " + p.ValidationErrors[0].Paths[0]
	}
	if got := vld(w.call("GET", base+"?agent=", firm, nil)); got != "AUTH.VLD-00014 ?agent" {
		t.Fatal(got)
	}
	if got := vld(w.call("GET", base+"?agent="+stdID, firm, nil)); got != "AUTH.VLD-00015 ?agent" {
		t.Fatal(got)
	}
	if got := vld(w.call("POST", base+"?agent="+agentID, firm, nil)); got != "AUTH.VLD-00016 ?client" {
		t.Fatal(got)
	}
	if r := w.call("POST", base+"?agent="+agentID+"&client="+world.PartyUUID("313000001"), w.token(fidVendor, authentication.ScopeClientDelegationsWrite), nil); r.status != 403 {
		t.Fatalf("vendor as facilitator: %d", r.status)
	}
	wantStatusCode(t, w.call("POST", base+"?agent="+both+"&client="+world.PartyUUID("313000001"), firm, nil), 400, "AUTH-00080")
	ok := w.call("POST", base+"?agent="+agentID+"&client="+world.PartyUUID("313000001"), firm, nil)
	if m := ok.json(t); ok.status != 200 || m["agent"] != agentID || m["client"] != world.PartyUUID("313000001") {
		t.Fatalf("add: %d %s", ok.status, ok.body)
	}
	list := w.call("GET", base+"?agent="+agentID, w.token("311000004", authentication.ScopeClientDelegationsRead), nil)
	var page authentication.ClientInfoPage
	if err := json.Unmarshal(list.body, &page); err != nil || len(page.Data) != 1 || page.Data[0].ClientOrganizationNumber != "313000001" ||
		page.SystemUserInformation.SystemUserOwnerOrg != "311000004" || !strings.Contains(string(list.body), `"links":{}`) {
		t.Fatalf("list: %s", list.body)
	}
}

// Row 23: a relative redirectUrl makes new Uri() throw in ValidateRedirectUrl
// (AuthenticationHelper.cs:688) → 500, not AUTH-00021.
func TestRelativeRedirect500_AuthenticationHelperCs688(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	r := w.request(false, map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "accessPackages": pkgs(urnSkatt), "redirectUrl": "/cb"})
	if r.status != 500 || r.code() != "" {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

// Row 20: a non-GUID request id on DELETE fails model binding → 400
// (RequestSystemUserController.cs:750), not AUTH-00010.
func TestDeleteRequestNonGUID400_RequestSystemUserControllerCs750(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	if r := w.call("DELETE", "authentication/api/v1/systemuser/request/vendor/not-a-guid", w.token(fidVendor, world.ScopeRequestWrite), nil); r.status != 400 || r.code() != "" {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

// A sandbox seeded before client relations existed gets the seeded ones when opened.
func TestOrgRolesSeededForOlderSandboxes(t *testing.T) {
	t.Parallel()
	// A sandbox of layout version 1, from before client relations.
	sb := reopened(t, t.TempDir(), func(st *world.State) { st.OrgRoles, st.Version = map[string][]world.OrgRole{}, 1 })
	_ = sb.View(func(st *world.State) error {
		if len(st.OrgRoles["313000001"]) != 2 {
			t.Fatalf("roles = %v", st.OrgRoles)
		}
		return nil
	})
}

// "rights": null on create reaches a foreach over null in SystemRegisterService.cs:159 (and
// "allowedRedirectUrls": null in AuthenticationHelper.cs:477); the controller's catch answers
// 500 with the exception's text (SystemRegisterController.cs:323-328). The client never sends
// null lists (altinn.SystemDefinition.MarshalJSON).
func TestNullRightsOnCreate500_SystemRegisterServiceCs159(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	sys := map[string]any{"id": fidVendor + "_null", "vendor": map[string]string{"ID": "0192:" + fidVendor}, "name": map[string]string{"nb": "x"},
		"description": map[string]string{"nb": "y"}, "accessPackages": pkgs(urnSkatt), "rights": nil}
	r := w.call("POST", "authentication/api/v1/systemregister/vendor", w.token(fidVendor, world.ScopeSystemRegisterWrite), sys)
	if r.status != 500 || !strings.Contains(string(r.body), "Object reference not set") {
		t.Fatalf("%d %s", r.status, r.body)
	}
	b, _ := json.Marshal(altinn.SystemDefinition{ID: "x"})
	if !strings.Contains(string(b), `"rights":[]`) || !strings.Contains(string(b), `"allowedRedirectUrls":[]`) || !strings.Contains(string(b), `"clientId":[]`) {
		t.Fatalf("client body: %s", b)
	}
}

// Row 19: PUT …/rights and …/accesspackages dereference the unknown system's null Vendor
// (SystemRegisterController.cs:344-345, 382-383) → 500, where the full PUT answers 404.
func TestPartialUpdateUnknownSystem500_SystemRegisterControllerCs344(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	tok := w.token(fidVendor, world.ScopeSystemRegisterWrite)
	for _, part := range []string{"rights", "accesspackages"} {
		if r := w.call("PUT", "authentication/api/v1/systemregister/vendor/"+fidVendor+"_nope/"+part, tok, []any{}); r.status != 500 {
			t.Fatalf("%s: %d %s", part, r.status, r.body)
		}
	}
}

// Row 15: a bare NotFound() in an [ApiController] becomes RFC 7807 JSON
// (SystemRegisterController.cs:140; SystemUserController.cs:179,274), while a missing scope
// (a failed policy) stays an empty 403.
func TestBareNotFoundIsProblemJSON_SystemRegisterControllerCs140(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	r := w.call("GET", "authentication/api/v1/systemregister/vendor/"+fidVendor+"_nope", w.token(fidVendor, world.ScopeSystemRegisterWrite), nil)
	if m := r.json(t); r.status != 404 || m["title"] != "Not Found" || m["type"] != "https://tools.ietf.org/html/rfc9110#section-15.5.5" {
		t.Fatalf("%d %s", r.status, r.body)
	}
	q := w.call("GET", "authentication/api/v1/systemuser/vendor/byquery?system-id="+fidSystem+"&orgno="+fidParty, w.token(fidVendor, world.ScopeRequestWrite), nil)
	if q.status != 404 || q.json(t)["status"] != float64(404) {
		t.Fatalf("byquery: %d %s", q.status, q.body)
	}
	if f := w.call("GET", "authentication/api/v1/systemregister/vendor/"+fidSystem, w.token(fidVendor, world.ScopeRequestRead), nil); f.status != 403 || len(f.body) != 0 {
		t.Fatalf("policy: %d %q", f.status, f.body)
	}
}

// Row 2: GET vendor/{id}/changelog (SystemRegisterController.cs:446-464) lists the system's
// changes newest first, with changeType as SystemChangeType names it and changedData as
// System.Text.Json wrote the request (PascalCase; SystemChangeLogRepository.cs).
func TestChangeLog_SystemRegisterControllerCs446(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	tok := w.token(fidVendor, world.ScopeSystemRegisterWrite)
	id := fidVendor + "_logged"
	sys := map[string]any{"id": id, "vendor": map[string]string{"ID": "0192:" + fidVendor}, "name": map[string]string{"nb": "x"},
		"description": map[string]string{"nb": "y"}, "accessPackages": pkgs(urnSkatt)}
	if r := w.call("POST", "authentication/api/v1/systemregister/vendor", tok, sys); r.status != 200 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if r := w.call("PUT", "authentication/api/v1/systemregister/vendor/"+id+"/accesspackages", tok, pkgs(urnSkatt, "urn:altinn:accesspackage:a-ordning")); r.status != 200 {
		t.Fatalf("packages: %d %s", r.status, r.body)
	}
	if r := w.call("DELETE", "authentication/api/v1/systemregister/vendor/"+id, tok, nil); r.status != 200 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	r := w.call("GET", "authentication/api/v1/systemregister/vendor/"+id+"/changelog", tok, nil)
	var log []map[string]any
	if err := json.Unmarshal(r.body, &log); err != nil || r.status != 200 || len(log) != 3 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if log[0]["changeType"] != "delete" || log[1]["changeType"] != "accesspackageupdate" || log[2]["changeType"] != "create" || log[0]["changedData"] != nil {
		t.Fatalf("%s", r.body)
	}
	if !strings.Contains(string(r.body), `"Urn":"urn:altinn:accesspackage:a-ordning"`) || !strings.Contains(string(r.body), `"Id":"`+id+`"`) || log[2]["changedByOrgNumber"] != fidVendor {
		t.Fatalf("%s", r.body)
	}
	if nf := w.call("GET", "authentication/api/v1/systemregister/vendor/"+fidVendor+"_nope/changelog", tok, nil); nf.status != 404 || !strings.HasPrefix(nf.ctype, "text/plain") {
		t.Fatalf("unknown: %d %s", nf.status, nf.body)
	}
}

// Row 22: the admin check is a case-insensitive substring of the scope claim
// (AuthenticationHelper.cs:418-431), so a scope that merely contains it passes.
func TestAdminScopeSubstring_AuthenticationHelperCs418(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	tok := w.token("314000005", world.ScopeSystemRegisterWrite, "ALTINN:authentication/systemregister.administrators")
	if r := w.call("GET", "authentication/api/v1/systemregister/vendor/"+fidSystem, tok, nil); r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

// The change request's page has the request pages' guards: a cross-origin POST and an unknown
// decision change nothing.
func TestChangeApprovalPageGuards(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	const suID, corr = "44444444-0000-4000-8000-000000000001", "44444444-0000-4000-8000-000000000002"
	_ = w.sb.Update(func(st *world.State) error {
		st.SystemUsers[suID] = &world.SystemUser{ID: suID, SystemID: fidSystem, OwnerOrg: fidParty, ExternalRef: fidParty}
		st.ChangeRequests[corr] = &world.ChangeRequest{ID: corr, SystemUserID: suID, SystemID: fidSystem, VendorOrg: fidVendor, PartyOrgNo: fidParty,
			RequiredAccessPackages: []altinn.PackageRef{{URN: urnSkatt}}, Status: altinn.StatusNew}
		return nil
	})
	page := w.srv.URL + "/altinn-ui/accessmanagement/ui/systemuser/changerequest?id=" + corr
	post := func(form string, hdr map[string]string) int {
		req, _ := http.NewRequest("POST", page, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := w.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Like the request pages, the change page may not be framed (clickjacking).
	resp, err := w.srv.Client().Get(page)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); resp.StatusCode != 200 || !strings.Contains(csp, "frame-ancestors 'none'") || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("change page GET: %d, CSP %q, X-Frame-Options %q", resp.StatusCode, csp, resp.Header.Get("X-Frame-Options"))
	}
	if st := post("decision=approve", map[string]string{"Sec-Fetch-Site": "cross-site"}); st != 403 {
		t.Fatalf("cross-site: %d", st)
	}
	if st := post("decision=maybe", nil); st != 400 {
		t.Fatalf("bad decision: %d", st)
	}
	if st := post("decision=approve", nil); st != 200 {
		t.Fatalf("approve: %d", st)
	}
	_ = w.sb.View(func(st *world.State) error {
		if st.ChangeRequests[corr].Status != altinn.StatusAccepted || len(st.SystemUsers[suID].AccessPackages) != 1 {
			t.Fatalf("%+v %+v", st.ChangeRequests[corr], st.SystemUsers[suID])
		}
		return nil
	})
}

// Row 21: a valid token without a consumer claim: the register forbids (403), a request POST is
// 401 AUTH-00023 (RequestSystemUserController.cs:104-107), request and system-user GETs are
// 401 (Unauthorized(), RequestSystemUserController.cs:224-227; SystemUserController.cs:292-294).
func TestTokenWithoutConsumer_RequestSystemUserControllerCs104(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	tok, err := env.Ring{Env: w.sb.Env}.SignClaims(map[string]any{"iss": w.srv.URL + "/maskinporten/", "exp": time.Now().Add(time.Minute).Unix(),
		"scope": strings.Join([]string{world.ScopeSystemRegisterWrite, world.ScopeRequestWrite, world.ScopeRequestRead}, " "), "client_id": "c"})
	if err != nil {
		t.Fatal(err)
	}
	if r := w.call("GET", "authentication/api/v1/systemregister/vendor", tok, nil); r.status != 403 {
		t.Fatalf("register list: %d", r.status)
	}
	wantStatusCode(t, w.call("POST", "authentication/api/v1/systemuser/request/vendor", tok,
		map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "accessPackages": pkgs(urnSkatt)}), 401, "AUTH-00023")
	if r := w.call("GET", "authentication/api/v1/systemuser/request/vendor/bysystem/"+fidSystem, tok, nil); r.status != 401 {
		t.Fatalf("request list: %d", r.status)
	}
	if r := w.call("GET", "authentication/api/v1/systemuser/vendor/bysystem/"+fidSystem, tok, nil); r.status != 401 {
		t.Fatalf("system-user list: %d", r.status)
	}
}

// A full update with "rights": null or "clientId": null throws (CombineClientIds, the rights
// validation; SystemRegisterController.cs:203-209) → 500.
func TestNullListsOnUpdate500_SystemRegisterControllerCs203(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	upd := map[string]any{"id": fidSystem, "vendor": map[string]string{"ID": "0192:" + fidVendor}, "name": map[string]string{"nb": "x"},
		"description": map[string]string{"nb": "y"}, "accessPackages": pkgs(urnSkatt), "clientId": nil}
	if r := w.call("PUT", "authentication/api/v1/systemregister/vendor/"+fidSystem, w.token(fidVendor, world.ScopeSystemRegisterWrite), upd); r.status != 500 {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

// Escalation: the approval page's «Ja, send videre» keeps the request New and marks it
// escalated. The vendor sees the mark only in the list by system: the GETs by id and by
// external reference leave it out (S/RequestSystemUserService.cs:351-364, 382-395), the list
// returns the rows as read (R/RequestRepository.cs:438-466). A forwarded request can still be
// approved, by someone with the role.
func TestEscalationIsSeenOnlyInTheVendorList(t *testing.T) {
	t.Parallel()
	w := newFidWorld(t)
	created := w.request(false, map[string]any{"systemId": fidSystem, "partyOrgNo": fidParty, "accessPackages": pkgs(urnSkatt), "externalRef": "esc-1"})
	if created.status != http.StatusCreated {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	id, _ := created.json(t)["id"].(string)
	page := w.srv.URL + "/altinn-ui/accessmanagement/ui/systemuser/request?id=" + id
	if body := get(t, page); !strings.Contains(body, `id="escalate"`) {
		t.Fatalf("the page offers no forwarding:\n%s", body)
	}
	escalate := func() string {
		t.Helper()
		resp, err := http.PostForm(page, url.Values{"decision": {"escalate"}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return readAll(resp.Body)
	}
	if body := escalate(); !strings.Contains(body, altinn.EscalatedNB) || !strings.Contains(body, `<span id="status">New</span>`) || strings.Contains(body, `id="escalate"`) {
		t.Fatalf("after forwarding:\n%s", body)
	}
	if body := escalate(); !strings.Contains(body, altinn.AlreadyEscalatedNB) {
		t.Fatalf("forwarding again:\n%s", body)
	}

	read := w.token(fidVendor, world.ScopeRequestRead)
	base := "authentication/api/v1/systemuser/request/vendor/"
	for _, path := range []string{base + id, base + "byexternalref/" + fidSystem + "/" + fidParty + "/esc-1"} {
		r := w.call("GET", path, read, nil)
		if m := r.json(t); r.status != 200 || m["escalated"] != false || m["status"] != altinn.StatusNew {
			t.Errorf("GET %s: %d %s", path, r.status, r.body)
		}
	}
	list := w.call("GET", base+"bysystem/"+fidSystem, read, nil)
	var page1 struct {
		Data []struct {
			ID        string `json:"id"`
			Escalated bool   `json:"escalated"`
		} `json:"data"`
	}
	if err := json.Unmarshal(list.body, &page1); err != nil || list.status != 200 {
		t.Fatalf("list: %d %s", list.status, list.body)
	}
	found := false
	for _, q := range page1.Data {
		found = found || q.ID == id && q.Escalated
	}
	if !found {
		t.Fatalf("the list does not mark %s escalated: %s", id, list.body)
	}
	if _, err := w.sb.Approve(id); err != nil || requestStatus(w.sb, id) != altinn.StatusAccepted {
		t.Fatalf("approving a forwarded request: %v", err)
	}
}

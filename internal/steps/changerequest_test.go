package steps

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// whoamiPackages calls the sample API's access resource with a fresh system-user token and
// returns the packages the API's authorization lookup sees for the system user.
func whoamiPackages(t *testing.T, w *world, org string) []string {
	t.Helper()
	creds, err := w.vendor.Credentials()
	if err != nil {
		t.Fatal(err)
	}
	w.vendor.Tokens.Forget(creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeSkeBoligselskap, sbworld.ScopeSkeAksjonaer},
		SystemUser: &maskinporten.SystemUser{OrgNo: org}})
	res, err := CallAPI(testCtx(t), w.vendor, CallParams{URL: DefaultAPIURL(w.vendor, sandbox.SampleAccessPath), SystemUserOrg: org})
	if err != nil || res.Status != 200 {
		t.Fatalf("whoami: %+v %v", res, err)
	}
	if res.TokenReused {
		t.Fatal("want a fresh token")
	}
	var body struct {
		AccessPackages []string `json:"accessPackages"`
	}
	if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
		t.Fatal(err)
	}
	return body.AccessPackages
}

// A change request created the way `sbs-tui request change` does, approved on its page over
// HTTP by the customer; the next system-user token's call sees the new package. Mirrors
// ChangeRequestSystemUserController.cs:82-166 (create) and ChangeRequestSystemUserService.cs:302-437
// (approval delegates the missing required packages and revokes the unwanted ones).
func TestChangeRequestApprovedOnItsPageChangesTheSystemUser(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := sandboxtest.DemoSystem("974761076_change", w.boot.ClientID)
	d.AccessPackages = []altinn.PackageRef{{URN: "urn:altinn:accesspackage:skattegrunnlag"}, {URN: "urn:altinn:accesspackage:a-ordning"}}
	if _, err := RegisterSystem(testCtx(t), w.vendor, d, false); err != nil {
		t.Fatal(err)
	}
	const org = "313367002"
	r := w.approved(t, RequestParams{SystemID: d.ID, OrgNo: org, Packages: []string{"skattegrunnlag"}})
	if got := whoamiPackages(t, w, org); strings.Join(got, ",") != "urn:altinn:accesspackage:skattegrunnlag" {
		t.Fatalf("before: %v", got)
	}

	// A package the system lacks is refused locally, with the server's code.
	_, err := CreateChangeRequest(testCtx(t), w.vendor, ChangeParams{SystemID: d.ID, OrgNo: org, AddPackages: []string{"merverdiavgift"}})
	var verr *ViolationsError
	if !errorsAs(err, &verr) || verr.Violations[0].Code != "AUTH-00063" {
		t.Fatalf("package not on system: %v", err)
	}

	cr, err := CreateChangeRequest(testCtx(t), w.vendor, ChangeParams{SystemID: d.ID, OrgNo: org, AddPackages: []string{"a-ordning"},
		RemovePackages: []string{"skattegrunnlag"}, RedirectURL: "https://vendor.example/"})
	if err != nil || !cr.Created || cr.ChangeRequest.Status != altinn.StatusNew || cr.ChangeRequest.SystemUserID != r.Request.ID {
		t.Fatalf("create: %+v %v", cr, err)
	}
	confirm := cr.ChangeRequest.ConfirmURL
	if !strings.Contains(confirm, "/accessmanagement/ui/systemuser/changerequest?id="+cr.ChangeRequest.ID+"&DONTCHOOSEREPORTEE=true") {
		t.Fatalf("confirmUrl %q", confirm)
	}
	// The same correlation-id again: the same change request, 200.
	again, err := CreateChangeRequest(testCtx(t), w.vendor, ChangeParams{SystemUserID: r.Request.ID, AddPackages: []string{"a-ordning"}, CorrelationID: cr.ChangeRequest.ID})
	if err != nil || again.Created || again.ChangeRequest.ID != cr.ChangeRequest.ID {
		t.Fatalf("again: %+v %v", again, err)
	}

	// The customer's page shows what changes, and approving it there applies it.
	page := httpGet(t, w, confirm)
	for _, want := range []string{"A-ordningen", "Skattegrunnlag", `id="approve"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("page lacks %q:\n%s", want, page)
		}
	}
	resp, err := w.srv.Client().PostForm(confirm, url.Values{"decision": {"approve"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "godkjent") {
		t.Fatalf("approve: %d %s", resp.StatusCode, body)
	}
	got, err := w.vendor.Altinn().GetChangeRequest(testCtx(t), cr.ChangeRequest.ID)
	if err != nil || got.Status != altinn.StatusAccepted {
		t.Fatalf("status: %+v %v", got, err)
	}
	if pk := whoamiPackages(t, w, org); strings.Join(pk, ",") != "urn:altinn:accesspackage:a-ordning" {
		t.Fatalf("after: %v", pk)
	}
	// A decided change request cannot be reused: AUTH-00061 asks for a new correlation-id.
	_, _, err = w.vendor.Altinn().CreateChangeRequest(testCtx(t), cr.ChangeRequest.ID, r.Request.ID, altinn.ChangeRequestBody{})
	if err != nil {
		t.Fatalf("empty body is NoChangeNeeded, not an error: %v", err)
	}
	_, _, err = w.vendor.Altinn().CreateChangeRequest(testCtx(t), "7b0a9b7e-0000-4000-8000-000000000001", r.Request.ID,
		altinn.ChangeRequestBody{RequiredAccessPackages: []altinn.PackageRef{{URN: "urn:altinn:accesspackage:skattegrunnlag"}}})
	if err != nil {
		t.Fatal(err)
	}
	list, err := w.vendor.Altinn().ListChangeRequests(testCtx(t), d.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %d %v", len(list), err)
	}
	if err := w.vendor.Altinn().DeleteChangeRequest(testCtx(t), cr.ChangeRequest.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.vendor.Altinn().GetChangeRequest(testCtx(t), cr.ChangeRequest.ID); !IsNotFound(err) {
		t.Fatalf("after delete: %v", err)
	}
}

func httpGet(t *testing.T, w *world, u string) string {
	t.Helper()
	resp, err := w.srv.Client().Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b)
}

func errorsAs(err error, target **ViolationsError) bool { return errors.As(err, target) }

// Step 5's change path: the customer has a system user for the system with fewer packages than
// now asked for; the plan names what to add, and after the change is approved nothing is left.
func TestPlanChangeForAnExistingSystemUser(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := sandboxtest.DemoSystem("974761076_plan", w.boot.ClientID)
	d.AccessPackages = []altinn.PackageRef{{URN: "urn:altinn:accesspackage:skattegrunnlag"}, {URN: "urn:altinn:accesspackage:a-ordning"}}
	if _, err := RegisterSystem(testCtx(t), w.vendor, d, false); err != nil {
		t.Fatal(err)
	}
	p := RequestParams{SystemID: d.ID, OrgNo: "313367002", Packages: []string{"skattegrunnlag", "a-ordning"}}
	if plan, err := PlanChange(testCtx(t), w.vendor, p); err != nil || plan != nil {
		t.Fatalf("no system user yet: %+v %v", plan, err)
	}
	w.approved(t, RequestParams{SystemID: d.ID, OrgNo: "313367002", Packages: []string{"skattegrunnlag"}})
	plan, err := PlanChange(testCtx(t), w.vendor, p)
	if err != nil || !plan.Needed() || strings.Join(plan.AddPackages, ",") != "a-ordning" || strings.Join(plan.HavePackages, ",") != "skattegrunnlag" {
		t.Fatalf("plan: %+v %v", plan, err)
	}
	if !strings.Contains(plan.Summary(w.vendor), "a-ordning") {
		t.Fatal(plan.Summary(w.vendor))
	}
	cr, err := CreateChangeRequest(testCtx(t), w.vendor, plan.Params(""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.sb.ApproveChange(cr.ChangeRequest.ID); err != nil {
		t.Fatal(err)
	}
	if plan, err = PlanChange(testCtx(t), w.vendor, p); err != nil || plan.Needed() {
		t.Fatalf("after the change: %+v %v", plan, err)
	}
}

// Steps 7–8 for an agent system user: a call for a client the facilitator has not added is a
// 403 that ExplainCall turns into the fix; after adding the client the call succeeds.
func TestAgentCallExplainsAMissingClient(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const firm, client = accountingFirm, "314000005"
	r := w.approvedAgent(t)
	u := w.srv.URL + "/skatteetaten/api/sample/v1/parties/" + client + "/status"
	res, err := CallAPI(testCtx(t), w.vendor, CallParams{URL: u, SystemUserOrg: firm})
	if err != nil || res.Status != 403 {
		t.Fatalf("%+v %v", res, err)
	}
	if ex := ExplainCall(w.vendor, res, CallSubject{Agent: true, Facilitator: firm, Party: client, SystemUserID: r.Request.ID}); !strings.Contains(ex, "the facilitator must add this client to the system user in Altinn") {
		t.Fatal(ex)
	}
	// With a package no client role gives, adding the client is not the fix: no command is offered.
	noRole := CallSubject{Agent: true, Facilitator: firm, Party: client, SystemUserID: r.Request.ID, Packages: []string{"regnskapsforer-med-signeringsrettighet", "urn:altinn:accesspackage:skattegrunnlag"}}
	if ex := ExplainCall(w.vendor, res, noRole); !strings.Contains(ex, "no client role gives its package skattegrunnlag") || strings.Contains(ex, "clients add") {
		t.Fatal(ex)
	}
	if err := w.sb.AddClient(r.Request.ID, client); err != nil {
		t.Fatal(err)
	}
	if res, err = CallAPI(testCtx(t), w.vendor, CallParams{URL: u, SystemUserOrg: firm}); err != nil || res.Status != 200 || ExplainCall(w.vendor, res, CallSubject{Agent: true, Facilitator: firm, Party: client, SystemUserID: r.Request.ID}) != "" {
		t.Fatalf("after adding: %+v %v", res, err)
	}
}

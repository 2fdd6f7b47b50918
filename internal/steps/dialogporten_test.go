package steps

import (
	"strings"
	"testing"
)

// Step 8 and doctor against the sandbox's Dialogporten: the customer's dialogs for a system
// user with the skattegrunnlag package, the empty-list explanation for a customer without
// dialogs, the 403 explanation for a token without digdir:dialogporten, and doctor's one
// real call (MP-303 when the organisation has no system user).
func TestDialogportenCallAndDoctor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := w.registered(t, "974761076_demo")
	for _, org := range []string{"313367002", "314000005"} {
		w.approved(t, RequestParams{SystemID: d.ID, OrgNo: org, Packages: []string{"skattegrunnlag"}})
	}
	u := ResolveTarget(w.vendor, "dialogporten", "313367002")
	if !IsDialogportenURL(u) || !strings.Contains(u, "party=urn%3Aaltinn%3Aorganization%3Aidentifier-no%3A313367002") {
		t.Fatalf("target URL: %s", u)
	}
	res, err := CallAPI(testCtx(t), w.vendor, CallParams{URL: u, SystemUserOrg: "313367002"})
	if err != nil || res.Status != 200 || res.Dialogporten == nil || len(res.Dialogporten.Dialogs) != 2 ||
		!strings.Contains(res.Dialogporten.Dialogs[0], "Tilbakemelding på innrapportering boligselskap") {
		t.Fatalf("dialogs: %+v %v", res, err)
	}
	if ex := ExplainCall(w.vendor, res, CallSubject{Facilitator: "313367002"}); ex != "2 dialog(s) visible to the system user." {
		t.Fatalf("explain: %q", ex)
	}
	empty, err := CallAPI(testCtx(t), w.vendor, CallParams{URL: ResolveTarget(w.vendor, "Dialogporten", "314000005"), SystemUserOrg: "314000005"})
	if err != nil || empty.Status != 200 || len(empty.Dialogporten.Dialogs) != 0 || !strings.Contains(ExplainCall(w.vendor, empty, CallSubject{}), "The list is empty") {
		t.Fatalf("empty: %+v %v", empty, err)
	}
	noScope, err := CallAPI(testCtx(t), w.vendor, CallParams{URL: u, SystemUserOrg: "313367002", Scopes: []string{"skatteetaten:innrapporteringboligselskap"}})
	if err != nil || noScope.Status != 403 || !strings.Contains(ExplainCall(w.vendor, noScope, CallSubject{}), "lacks the scope digdir:dialogporten") {
		t.Fatalf("no scope: %+v %v", noScope, err)
	}
	// Another URL is not read as Dialogporten.
	if other, err := CallAPI(testCtx(t), w.vendor, CallParams{URL: ResolveTarget(w.vendor, DefaultAPIURL(w.vendor, "api/sample/v1/whoami"), "313367002"), SystemUserOrg: "313367002"}); err != nil || other.Dialogporten != nil {
		t.Fatalf("sample API: %+v %v", other, err)
	}

	if c := CheckDialogporten(testCtx(t), w.vendor, "313367002", ""); c.Verdict != Pass || !strings.Contains(c.Detail, "2 dialog(s)") {
		t.Fatalf("doctor: %+v", c)
	}
	if c := CheckDialogporten(testCtx(t), w.vendor, "314000005", ""); c.Verdict != Warn || !strings.Contains(c.Fix, "always empty") {
		t.Fatalf("doctor, empty: %+v", c)
	}
	if c := CheckDialogporten(testCtx(t), w.vendor, "311000004", ""); c.Verdict != Fail || c.Code != "MP-303" {
		t.Fatalf("doctor, no system user: %+v", c)
	}
	r := Doctor(testCtx(t), w.vendor)
	c := CheckDialogporten(testCtx(t), w.vendor, "311000004", "")
	r.Dialogporten = &c
	if r.OK() {
		t.Fatal("a failed Dialogporten call left the report OK")
	}
}

// On the sandbox a path is a URL too, so an empty or relative URL is refused with both forms
// named (it said "give an absolute http(s) URL" while paths worked).
func TestCallURLRuleNamesTheSandboxPath(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, u := range []string{"", "whoami", "ftp://x"} {
		_, err := CallAPI(testCtx(t), w.vendor, CallParams{URL: u, SystemUserOrg: "313367002"})
		if err == nil || !strings.Contains(err.Error(), "or a path on the sandbox such as /skatteetaten/api/sample/v1/whoami") {
			t.Errorf("URL %q: %v", u, err)
		}
	}
}

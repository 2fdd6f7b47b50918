package steps

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
)

func TestRegisterCreatesThenComparesNormalised(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := sandboxtest.DemoSystem("974761076_demo", w.boot.ClientID)
	r, err := RegisterSystem(testCtx(t), w.vendor, d, true)
	if err != nil || r.Action != "would-create" {
		t.Fatalf("dry run: %+v %v", r, err)
	}
	if r, err = RegisterSystem(testCtx(t), w.vendor, d, false); err != nil || r.Action != "created" || r.InternalID == "" {
		t.Fatalf("create: %+v %v", r, err)
	}
	// The server drops vendor.authority and adds "/" to the bare host; neither is a change.
	if r, err = RegisterSystem(testCtx(t), w.vendor, d, false); err != nil || r.Action != "unchanged" {
		t.Fatalf("re-register: %+v %v", r, err)
	}
	d.Name["nb"] = "Demo 2"
	d.AccessPackages = d.AccessPackages[:1]
	if r, err = RegisterSystem(testCtx(t), w.vendor, d, false); err != nil || r.Action != "updated" || len(r.Changes) != 2 {
		t.Fatalf("update: %+v %v", r, err)
	}
	sys, _ := w.vendor.Altinn().GetSystem(testCtx(t), d.ID)
	if sys.Name["nb"] != "Demo 2" || len(sys.AccessPackages) != 1 {
		t.Fatalf("stored = %+v", sys)
	}
	if err := w.vendor.Altinn().DeleteSystem(testCtx(t), d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := RegisterSystem(testCtx(t), w.vendor, d, false); err == nil || !strings.Contains(err.Error(), "AUTH.VLD-00002") {
		t.Fatalf("deleted id: %v", err)
	}
}

func TestCheckSystemJSONAgainstProfile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := CheckSystemJSON([]byte(`{"id":"974761076_x","vendor":{"ID":"0192:974761076"},"name":{"nb":"x"},"description":{"nb":"y"},
		"accessPackages":[{"urn":"urn:altinn:accesspackage:skattegrunnlag"}],"clientId":["someone-else"],"externalReference":"z"}`),
		w.vendor.Catalog(testCtx(t)), &ProfileFacts{OrgNo: "974761076", ClientID: w.boot.ClientID})
	if len(f.Problems) != 0 {
		t.Fatalf("problems: %+v", f.Problems)
	}
	text := fmt.Sprint(f.Warnings)
	if !strings.Contains(text, "MP-303") || !strings.Contains(text, "externalReference") {
		t.Fatalf("warnings: %s", text)
	}
	bad := CheckSystemJSON([]byte(`{"id":"999999999_x","vendor":{"ID":"0192:999999999"}}`), w.vendor.Catalog(testCtx(t)), &ProfileFacts{OrgNo: "974761076"})
	if !strings.Contains(fmt.Sprint(bad.Problems), "403") {
		t.Fatalf("vendor mismatch not caught: %+v", bad.Problems)
	}
}

func TestRequestLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := w.registered(t, "974761076_demo")
	p := RequestParams{SystemID: d.ID, OrgNo: "313 367 002", Packages: []string{"regnskapsforer-med-signeringsrettighet"}, Agent: true, ExternalRef: "kunde-1",
		RedirectURL: "https://vendor.example/?state=abc"}
	r, err := CreateRequest(testCtx(t), w.vendor, p)
	if err != nil || !r.Created || r.Request.PartyOrgNo != "313367002" {
		t.Fatalf("create: %+v %v", r, err)
	}
	again, err := CreateRequest(testCtx(t), w.vendor, p)
	if err != nil || again.Created || again.Request.ID != r.Request.ID || !strings.Contains(again.Note, "already waiting") {
		t.Fatalf("again: %+v %v", again, err)
	}
	if _, err := w.sb.Reject(r.Request.ID); err != nil {
		t.Fatal(err)
	}
	rejected, err := CreateRequest(testCtx(t), w.vendor, p)
	if err != nil || rejected.Request.Status != altinn.StatusRejected || !strings.Contains(rejected.Note, "Delete it") {
		t.Fatalf("after rejection: %+v %v", rejected, err)
	}
	fresh, err := RecreateRequest(testCtx(t), w.vendor, rejected.Request.ID, p)
	if err != nil || !fresh.Created || fresh.Request.ID == r.Request.ID {
		t.Fatalf("recreate: %+v %v", fresh, err)
	}
	// Approve after the first poll; the wait must notice.
	polls := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			time.Sleep(20 * time.Millisecond)
			if _, err := w.sb.Approve(fresh.Request.ID); err == nil {
				return
			}
		}
	}()
	got, err := WaitForDecision(testCtx(t), w.vendor, fresh.Request.ID, true, PollBackoff{First: 30 * time.Millisecond, Max: 50 * time.Millisecond},
		func(PollEvent) { polls++ })
	<-done
	if err != nil || got.Status != altinn.StatusAccepted || polls < 1 {
		t.Fatalf("wait: %+v %v after %d polls", got, err, polls)
	}
	// Local checks stop what the server would refuse, with its code.
	_, err = CreateRequest(testCtx(t), w.vendor, RequestParams{SystemID: d.ID, OrgNo: "313367002", Packages: []string{"skattegrunnlag"}, RedirectURL: "https://vendor.example/other"})
	var verr *ViolationsError
	if !errors.As(err, &verr) || verr.Violations[0].Code != "AUTH-00021" {
		t.Fatalf("redirect: %v", err)
	}
	_, err = CreateRequest(testCtx(t), w.vendor, RequestParams{SystemID: "974761076_nope", OrgNo: "313367002", Packages: []string{"skattegrunnlag"}})
	if !errors.As(err, &verr) || verr.Violations[0].Code != "AUTH-00011" {
		t.Fatalf("unknown system: %v", err)
	}
}

func TestCallAPIReusesTheTokenAndRecoversFrom401(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := w.registered(t, "974761076_demo")
	w.approved(t, RequestParams{SystemID: d.ID, OrgNo: "313367002", Packages: []string{"skattegrunnlag"}})
	url := DefaultAPIURL(w.vendor, sandbox.SampleAPIPath)
	p := CallParams{URL: url, SystemUserOrg: "313367002"}
	first, err := CallAPI(testCtx(t), w.vendor, p)
	if err != nil || first.Status != 200 || first.TokenReused || !first.JSON {
		t.Fatalf("first: %+v %v", first, err)
	}
	second, err := CallAPI(testCtx(t), w.vendor, p)
	if err != nil || second.Status != 200 || !second.TokenReused {
		t.Fatalf("second: %+v %v", second, err)
	}
	// Two rotations retire the key that signed the cached token: the API answers 401, and
	// the call retries once with a fresh token.
	for i := 0; i < 2; i++ {
		if _, err := w.sb.RotateSigningKey(); err != nil {
			t.Fatal(err)
		}
	}
	third, err := CallAPI(testCtx(t), w.vendor, p)
	if err != nil || third.Status != 200 || !third.Retried || third.TokenReused {
		t.Fatalf("after rotation: %+v %v", third, err)
	}
	// Wrong owner: MP-303 explained.
	_, err = CallAPI(testCtx(t), w.vendor, CallParams{URL: url, SystemUserOrg: "311000004"})
	if err == nil || !strings.Contains(err.Error(), "MP-303") {
		t.Fatalf("other org: %v", err)
	}
	if _, err := CallAPI(testCtx(t), w.vendor, CallParams{URL: "ftp://x", SystemUserOrg: "313367002"}); err == nil {
		t.Fatal("ftp URL accepted")
	}
}

func TestAltinnExchangeProfile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := *w.vendor.Profile
	p.AltinnExchange = true
	s := w.session(&p, time.Now)
	if _, err := RegisterSystem(testCtx(t), s, sandboxtest.DemoSystem("974761076_demo", w.boot.ClientID), false); err != nil {
		t.Fatalf("register with an exchanged token: %v", err)
	}
	if src := s.Catalog(testCtx(t)).Source; !strings.HasSuffix(src, "/accesspackages/export") {
		t.Fatalf("catalog source = %q, want the live export", src)
	}
	if _, err := s.Altinn().ListSystems(testCtx(t)); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkOnboardingFlow is the whole headless flow against the in-process sandbox over
// loopback HTTP: register a system, request an agent system user, approve, get the
// system-user token, call the sample API, and delete the system (to free the client id).
func BenchmarkOnboardingFlow(b *testing.B) {
	w := newWorld(b)
	ctx := testCtx(b)
	url := DefaultAPIURL(w.vendor, sandbox.SampleAPIPath)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		d := sandboxtest.DemoSystem(fmt.Sprintf("974761076_bench_%d", i), w.boot.ClientID)
		if _, err := RegisterSystem(ctx, w.vendor, d, false); err != nil {
			b.Fatal(err)
		}
		r, err := CreateRequest(ctx, w.vendor, RequestParams{SystemID: d.ID, OrgNo: "313367002", Agent: true,
			Packages: []string{"regnskapsforer-med-signeringsrettighet"}, ExternalRef: fmt.Sprint("ref-", i)})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.sb.Approve(r.Request.ID); err != nil {
			b.Fatal(err)
		}
		res, err := CallAPI(ctx, w.vendor, CallParams{URL: url, SystemUserOrg: "313367002", ExternalRef: fmt.Sprint("ref-", i)})
		if err != nil || res.Status != 200 {
			b.Fatalf("%+v %v", res, err)
		}
		if err := w.vendor.Altinn().DeleteSystem(ctx, d.ID); err != nil {
			b.Fatal(err)
		}
	}
}

package sandbox

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

func TestApprovalPage(t *testing.T) {
	t.Parallel()
	sb, srv := serveTest(t)
	err := sb.Update(func(st *world.State) error {
		st.Systems["974761076_demo"] = &world.System{ID: "974761076_demo", VendorOrg: "974761076", Name: map[string]string{"nb": "Demo <b>SBS</b>"},
			Description: map[string]string{"nb": "Beskrivelse"}, IsVisible: false,
			AccessPackages: []altinn.PackageRef{{URN: "urn:altinn:accesspackage:regnskapsforer-lonn"}}}
		st.Requests["r1"] = &world.Request{ID: "r1", Agent: true, SystemID: "974761076_demo", VendorOrg: "974761076", PartyOrgNo: "313367002",
			ExternalRef: "313367002", AccessPackages: []altinn.PackageRef{{URN: "urn:altinn:accesspackage:regnskapsforer-lonn"}},
			Status: altinn.StatusNew, RedirectURL: "https://vendor.example/done", Created: time.Now()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	page := srv.URL + "/altinn-ui/accessmanagement/ui/systemuser/agentrequest?id=r1&DONTCHOOSEREPORTEE=true"
	body := get(t, page)
	for _, want := range []string{"Sandkasse Systemleverandør AS", "Lystig Ærlig Tiger AS", "Regnskapsfører lønn", "Demo &lt;b&gt;SBS&lt;/b&gt;", `id="approve"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// The standard-request page does not show an agent request.
	if resp, _ := http.Get(srv.URL + "/altinn-ui/accessmanagement/ui/systemuser/request?id=r1"); resp.StatusCode != 404 {
		t.Fatalf("standard page for an agent request: %d", resp.StatusCode)
	}
	resp, err := http.PostForm(page, url.Values{"decision": {"approve"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "godkjent") || !strings.Contains(string(b), `<span id="status">Accepted</span>`) || !strings.Contains(string(b), "https://vendor.example/done") {
		t.Fatalf("after approval: %s", b)
	}
	_ = sb.View(func(st *world.State) error {
		if su := st.SystemUsers["r1"]; su == nil || !su.Agent || su.OwnerOrg != "313367002" {
			t.Fatalf("system user = %+v", su)
		}
		return nil
	})
	// Deciding again is refused with AUTH-00013.
	resp, _ = http.PostForm(page, url.Values{"decision": {"reject"}})
	b, _ = io.ReadAll(resp.Body)
	if !strings.Contains(string(b), "AUTH-00013") {
		t.Fatalf("second decision: %s", b)
	}
}

func TestExchangeRefusals(t *testing.T) {
	t.Parallel()
	sb := openTest(t)
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	base := srv.URL + "/altinn/authentication/api/v1/exchange/"
	if resp, _ := http.Get(base + "maskinporten"); resp.StatusCode != 401 {
		t.Fatalf("no token: %d", resp.StatusCode)
	}
	if resp, _ := http.Get(base + "facebook"); resp.StatusCode != 400 {
		t.Fatalf("unknown provider: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", base+"maskinporten", nil)
	req.Header.Set("X-Altinn-EnterpriseUser-Authentication", "x")
	if resp, _ := http.DefaultClient.Do(req); resp.StatusCode != 410 {
		t.Fatalf("enterprise user header: %d", resp.StatusCode)
	}
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b)
}

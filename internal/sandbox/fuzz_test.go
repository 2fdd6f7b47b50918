package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/domain/sandboxlayout"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Fuzz targets for the hostile-input surfaces. Run each with e.g.
//   go test ./internal/sandbox -run '^$' -fuzz FuzzSelfServiceJWKS -fuzztime 60s

// FuzzSelfServiceJWKS: whatever the body, the client keeps at least one key unless the body
// was a valid non-empty set, and every refusal has the self-service error shape.
func FuzzSelfServiceJWKS(f *testing.F) {
	sb := openTest(f)
	h := sb.Handler()
	boot, _ := sb.Bootstrap()
	tok := bearer(f, sb, boot.VendorOrg, world.AdminScopes...)
	path := sandboxlayout.SelfService + mp.SelfServiceClientsPath + "/" + boot.ClientID + "/jwks"
	var original []world.StoredJWK
	_ = sb.View(func(st *world.State) error {
		original = append(original, st.Clients[boot.ClientID].JWKs...)
		return nil
	})
	valid, _ := json.Marshal(map[string]any{"keys": []any{original[0].JWK}})
	for _, seed := range []string{"{}", "null", `{"keys":[]}`, `{"keys":null}`, `{"keys":[{}]}`, string(valid), "[]", "\xff", `{"keys":[1]}`} {
		f.Add(seed, "application/json")
	}
	f.Add(string(valid), "text/plain")
	f.Add(string(valid), "application/jwk-set+json; charset=utf-8")
	f.Fuzz(func(t *testing.T, body, ctype string) {
		rec := do(h, http.MethodPut, path, tok, ctype, body)
		switch rec.Code {
		case http.StatusOK:
		case http.StatusBadRequest:
			var e mp.ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" || e.ErrorDescription == "" {
				t.Fatalf("400 without the error shape: %q", rec.Body)
			}
		default:
			t.Fatalf("status %d for %q (%q)", rec.Code, body, ctype)
		}
		var n int
		_ = sb.View(func(st *world.State) error { n = len(st.Clients[boot.ClientID].JWKs); return nil })
		if n == 0 {
			t.Fatalf("the body %q (%q) left the client without keys (status %d)", body, ctype, rec.Code)
		}
		if rec.Code == http.StatusOK {
			_ = sb.Update(func(st *world.State) error {
				st.Clients[boot.ClientID].JWKs = append([]world.StoredJWK(nil), original...)
				return nil
			})
		}
	})
}

// FuzzApprovalForm: a POST changes a request only when it answers 200 for one of the two exact
// decisions on the page that shows that request.
func FuzzApprovalForm(f *testing.F) {
	sb := openTest(f)
	h := sb.Handler()
	addTestRequests(f, sb)
	pages := []string{
		"/altinn-ui/accessmanagement/ui/systemuser/request?id=std",
		"/altinn-ui/accessmanagement/ui/systemuser/agentrequest?id=agent",
		"/altinn-ui/accessmanagement/ui/systemuser/request?id=agent",
		"/altinn-ui/accessmanagement/ui/systemuser/agentrequest?id=std",
	}
	f.Add(uint8(0), "decision=approve", "", "")
	f.Add(uint8(1), "decision=reject", "same-origin", testBase)
	f.Add(uint8(0), "decision=approve", "cross-site", "https://evil.example")
	f.Add(uint8(2), "", "", "")
	f.Add(uint8(3), "decision=Approve&decision=approve", "none", "null")
	f.Add(uint8(0), "decision=%ff", "same-site", "")
	f.Fuzz(func(t *testing.T, page uint8, body, site, origin string) {
		p := pages[int(page)%len(pages)]
		var hdr []string
		if site != "" {
			hdr = append(hdr, "Sec-Fetch-Site", site)
		}
		if origin != "" {
			hdr = append(hdr, "Origin", origin)
		}
		rec := do(h, http.MethodPost, p, "", "application/x-www-form-urlencoded", body, hdr...)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		if rec.Header().Get("X-Frame-Options") != "DENY" {
			t.Fatalf("answer %d may be framed", rec.Code)
		}
		changed := requestStatus(sb, "std") != altinn.StatusNew || requestStatus(sb, "agent") != altinn.StatusNew
		if !changed {
			return
		}
		form, err := url.ParseQuery(body)
		exact := err == nil && len(form["decision"]) == 1 && (form.Get("decision") == "approve" || form.Get("decision") == "reject")
		if rec.Code != http.StatusOK || !exact || int(page)%len(pages) > 1 {
			t.Fatalf("state changed by %q on %s (status %d)", body, p, rec.Code)
		}
		_ = sb.Update(func(st *world.State) error {
			st.Requests["std"].Status, st.Requests["agent"].Status = altinn.StatusNew, altinn.StatusNew
			st.SystemUsers = map[string]*world.SystemUser{}
			return nil
		})
	})
}

// FuzzFaultRules: only valid rules are stored, never more than the cap.
func FuzzFaultRules(f *testing.F) {
	sb := openTest(f)
	h := sb.Handler()
	for _, seed := range []string{`{"kind":"error"}`, `{"kind":"latency","delay":"2s"}`, `{"kind":""}`, `{"kind":"throttle","retry_after":5,"times":3,"path_prefix":"/maskinporten/"}`,
		`{"kind":"drop","after":true,"method":"post"}`, `{"kind":"latency","delay":2000000000}`, `null`, `{"kind":"error"}{"kind":"error"}`} {
		f.Add(seed, "application/json")
	}
	f.Add(`{"kind":"error"}`, "text/plain")
	f.Fuzz(func(t *testing.T, body, ctype string) {
		before, _ := sb.Faults()
		rec := do(h, http.MethodPost, "/_sandbox/faults", "", ctype, body)
		after, _ := sb.Faults()
		switch rec.Code {
		case http.StatusCreated:
			if len(after) != len(before)+1 {
				t.Fatalf("201 but %d -> %d rules", len(before), len(after))
			}
		case http.StatusBadRequest, http.StatusUnsupportedMediaType, http.StatusConflict:
			if len(after) != len(before) {
				t.Fatalf("refused (%d) but stored: %q", rec.Code, body)
			}
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		if len(after) > world.MaxFaultRules {
			t.Fatalf("%d rules stored", len(after))
		}
		for _, r := range after {
			if err := r.Validate(); err != nil {
				t.Fatalf("stored an invalid rule %+v from %q: %v", r, body, err)
			}
		}
		if len(after) >= world.MaxFaultRules-1 {
			_, _ = sb.ClearFaults()
		}
	})
}

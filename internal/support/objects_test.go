package support

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
)

// A record with only a token call still names the system user: the token response's
// authorization_details, read from the redacted record (claims kept, signature dropped).
func TestObjectsFromATokenResponse(t *testing.T) {
	b64 := func(v any) string {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(data)
	}
	su := mp.SystemUserToken{Type: mp.RARTypeSystemUser, SystemUserID: []string{"ac122221-0b5f-4a3e-9c6e-5a1f0e2d3c4b"},
		SystemUserOrg: mp.OrgID{Authority: mp.AuthorityISO6523, ID: "0192:313367002"}, SystemID: "974761076_skatt_demo_system"}
	token := b64(map[string]string{"alg": "RS256"}) + "." + b64(map[string]any{"authorization_details": []any{su}}) + ".c2lnbmF0dXJl"
	body, cut := httpx.RedactBody("application/json", []byte(`{"access_token":"`+token+`","token_type":"Bearer","expires_in":120}`))
	if cut || !strings.Contains(body, "."+httpx.SignatureRemoved) {
		t.Fatalf("the record's body: %s", body)
	}
	e := httpx.Exchange{ID: 3, Method: "POST", URL: "https://test.maskinporten.no/token", Status: 200,
		ResponseHeaders: http.Header{"Content-Type": {"application/json"}}, ResponseBody: body}
	got := Objects([]httpx.Exchange{e})
	if len(got) != 1 || got[0].Kind != "system user" || got[0].ID != su.SystemUserID[0] || got[0].Seen != 3 ||
		got[0].Detail != "system 974761076_skatt_demo_system; owner 313367002" {
		t.Fatalf("objects: %+v (from %s)", got, body)
	}
	// A token that is not a JWT, or one without a system user, names none.
	for _, b := range []string{`{"access_token":"opaque"}`, `{"access_token":"` + b64(map[string]string{}) + "." + b64(map[string]any{"scope": "x"}) + `.x"}`, `[]`} {
		e.ResponseBody = b
		if got := Objects([]httpx.Exchange{e}); len(got) != 0 {
			t.Errorf("%s: %+v", b, got)
		}
	}
}

package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// An agent system user's clients as the vendor sees them in Altinn (authorized parties):
// step 8's k prompt says there are none yet and how the facilitator adds one; after the
// facilitator adds two (another process), `clients list` prints them and the prompt offers
// them: ↓ picks the first, ↓↑ moves, enter calls for the picked client.
func TestJourneyAgentClientsFromAltinn(t *testing.T) {
	u := newUser(t)
	u.start(80, 24)
	u.toApprovedAgentSystemUser()
	u.press("Enter")
	u.see("8. Call the API", "k call for a client")

	id := u.savedRequestID()
	u.press("k")
	s := u.see("Client organisation number:", "Altinn lists no clients yet", "esc cancel")
	if flat := strings.Join(strings.Fields(s), " "); !strings.Contains(flat, "sandbox clients add --agent "+id+" --client ORGNO") {
		t.Fatalf("the empty list does not say how to add a client:\n%s", s)
	}
	fits(t, s, 80)
	u.press("Escape")
	u.see("k call for a client")

	u.cli("sandbox", "clients", "add", "--agent", id, "--client", "314000005")
	u.cli("sandbox", "clients", "add", "--agent", id, "--client", "313000001")
	out := u.cli("clients", "list", "--systemuser-org", "311000004")
	if !strings.Contains(out, "313000001  Kvikk Kald Katt AS  (regnskapsforer-med-signeringsrettighet)") || !strings.Contains(out, "314000005  Modig Mild Elg AS") {
		t.Fatalf("clients list:\n%s", out)
	}
	var got struct {
		OK      bool `json:"ok"`
		Clients []struct {
			OrgNo string `json:"orgno"`
		} `json:"clients"`
	}
	if err := json.Unmarshal([]byte(u.cli("clients", "list", "--systemuser-org", "311000004", "--json")), &got); err != nil || !got.OK || len(got.Clients) != 2 {
		t.Fatalf("clients list --json: %+v %v", got, err)
	}

	u.press("k")
	fits(t, u.see("Clients in Altinn: 2", "313000001  Kvikk Kald Katt AS", "314000005  Modig Mild Elg AS", "↑/↓ pick a client"), 80)
	u.press("Down")
	u.see("Client organisation number: 313000001", "› 313000001")
	u.press("Down")
	u.see("Client organisation number: 314000005", "› 314000005")
	u.press("Up")
	u.see("Client organisation number: 313000001", "› 313000001")
	u.press("Enter")
	fits(t, u.see("HTTP 200 OK", "All eight steps are done"), 80)
}

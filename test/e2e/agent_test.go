package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs the binary as another process on the user's sandbox and returns its stdout.
func (u *user) cli(args ...string) string {
	u.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env, cmd.Dir = append(os.Environ(), u.env...), u.home
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		u.t.Fatalf("sbs-tui %v: %v\n%s%s", args, err, out, stderr)
	}
	return string(out)
}

// savedRequestID is the request the wizard's saved progress names.
func (u *user) savedRequestID() string {
	u.t.Helper()
	matches, _ := filepath.Glob(filepath.Join(u.home, "state", "sbs-tui", "progress-*.json"))
	if len(matches) != 1 {
		u.t.Fatalf("progress files: %v", matches)
	}
	raw, _ := os.ReadFile(matches[0])
	var p struct {
		Flow struct {
			RequestID string `json:"request_id"`
		} `json:"flow"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.Flow.RequestID == "" {
		u.t.Fatalf("progress without a request: %s", raw)
	}
	return p.Flow.RequestID
}

// toApprovedAgentSystemUser walks steps 4–6 for the seed page's scenario, as typed: the system
// with regnskapsforer-med-signeringsrettighet, an agent request for the accounting firm Rask
// Regnskap AS (311000004), approved; it ends on step 7 with the token verified.
func (u *user) toApprovedAgentSystemUser() {
	u.t.Helper()
	u.toRequestStep()
	u.typeText("311000004")
	u.see("311000004: Rask Regnskap AS")
	u.press("Enter")
	u.see("Access packages to ask for", "regnskapsforer-med-signeringsrettighet")
	u.press("Down", "x", "Enter") // drop skattegrunnlag: only the accountant's package
	u.see("Agent (client) system user?", "Required:")
	u.press("Enter", "Enter", "Enter") // agent (chosen for us), external reference, redirect URL
	u.see("Created.", "Rask Regnskap AS")
	u.press("Enter")
	u.see("6. The customer approves", "a approve")
	u.press("a")
	u.see("7. Token for the system user", "[signature verified]", "0192:311000004")
}

// The seed page's scenario in the wizard: the system with regnskapsforer-med-signeringsrettighet,
// an agent request for an accounting firm (Rask Regnskap AS), approved; the facilitator adds a
// client in Altinn (another process); step 8 asks for the client: a bad number is refused by
// the field, another org answers 403 with the fix, the added client 200.
func TestJourneyAgentSystemUserAndItsClients(t *testing.T) {
	u := newUser(t)
	u.start(80, 24)
	u.toApprovedAgentSystemUser()

	// The accounting firm's client administrator adds a client to the system user.
	id := u.savedRequestID()
	u.cli("sandbox", "clients", "add", "--agent", id, "--client", "313000001")

	u.press("Enter")
	u.see("8. Call the API", "k calls for one", "k call for a client")
	u.press("k")
	u.see("Client organisation number:")
	u.typeText("313000002")
	u.press("Enter")
	u.see("client organisation number", "313000002")
	u.press("C-u")
	u.typeText("314000005")
	u.press("Enter")
	s := u.see("HTTP 403")
	if flat := strings.Join(strings.Fields(s), " "); !strings.Contains(flat, "facilitator must add this client") {
		t.Fatalf("the 403 is not explained:\n%s", s)
	}
	u.press("k", "C-u")
	u.typeText("313000001")
	u.press("Enter")
	fits(t, u.see("HTTP 200 OK", "All eight steps are done"), 80)
}

// The change path: the customer already has a standard system user for the system, with
// fewer packages than the system now asks for; step 5 offers a change request (k), step 6
// approves it as the customer, and the system user then has the new package.
func TestJourneyChangeRequest(t *testing.T) {
	u := newUser(t)
	sys := filepath.Join(u.home, "endring.json")
	def := `{"id":"974761076_endring","vendor":{"authority":"iso6523-actorid-upis","ID":"0192:974761076"},
	"name":{"nb":"Endring","en":"Change","nn":"Endring"},"description":{"nb":"d","en":"d","nn":"d"},
	"accessPackages":[{"urn":"urn:altinn:accesspackage:skattegrunnlag"},{"urn":"urn:altinn:accesspackage:a-ordning"}],
	"clientId":["` + u.clientID + `"],"isVisible":false,"allowedRedirectUrls":["https://example.com/cb"]}`
	if err := os.WriteFile(sys, []byte(def), 0o600); err != nil {
		t.Fatal(err)
	}
	// Headless first: the system, and a standard system user with only skattegrunnlag.
	u.cli("system", "register", "--file", sys)
	id := strings.TrimSpace(u.cli("request", "create", "--system", "974761076_endring", "--org", "313367002", "--package", "skattegrunnlag", "-q"))
	u.cli("sandbox", "approve", id)

	u.start(80, 24)
	u.toSystemStep()
	u.importSystem(sys)
	u.see("JSON to send", "enter register or update")
	u.press("Enter")
	u.see("974761076_endring", "enter continue")
	u.press("Enter")
	u.see("5. Ask the customer", "Customer's organisation number")
	u.typeText("313367002")
	u.see("313367002: Lystig Ærlig Tiger AS")
	u.press("Enter")
	u.see("Access packages to ask for")
	u.press("Enter") // both of the system's packages
	u.enterUntil("Would add", 5)
	u.see("a-ordning", "k ask for the change")
	u.press("k")
	u.see("Change request created")
	u.press("Enter")
	u.see("6. The customer approves", "changerequest", "a approve")
	u.press("a")
	u.see("7. Token for the system user", "[signature verified]", "0192:313367002")

	access := u.cli("call", "/skatteetaten/api/sample/v1/access", "--systemuser-org", "313367002")
	if !strings.Contains(access, "a-ordning") || !strings.Contains(access, "skattegrunnlag") {
		t.Fatalf("the system user lacks the changed packages:\n%s", access)
	}
}

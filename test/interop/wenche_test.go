package interop

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"
)

// wencheScopes is Wenche's SCOPES (wenche/auth.py at 430cf5b): what its login asks for.
const wencheScopes = "altinn:instances.read altinn:instances.write"

// TestWencheLoginRequest sends the requests Wenche's login() sends (wenche/auth.py at 430cf5b):
// an RS256 grant with header {alg, kid} (authlib adds typ JWT), claims iss = sub = client id, aud
// = the issuer, scope "altinn:instances.read altinn:instances.write", exp = iat+119, a UUID jti
// and a systemuser_org authorization_details for ORG_NUMMER, posted as a form; then the Altinn
// exchange with the Maskinporten token as Bearer, the body stripped of quotes. On c0d68a6 the
// sandbox answered MP-200 invalid_scope: the vendor client lacked the instances scopes.
func TestWencheLoginRequest(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.approvedSystemUser(t, w.boot.VendorOrg+"_wenche", customer)

	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: w.key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", w.boot.Kid))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	claims := map[string]any{"iss": w.boot.ClientID, "sub": w.boot.ClientID, "aud": w.issuer, "scope": wencheScopes,
		"iat": now, "exp": now + 119, "jti": uuid.NewString(),
		"authorization_details": []map[string]any{{"type": "urn:altinn:systemuser",
			"systemuser_org": map[string]string{"authority": "iso6523-actorid-upis", "ID": "0192:" + customer}}}}
	assertion, err := josejwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"grant_type": {jwtBearer}, "assertion": {assertion}}
	req, _ := http.NewRequestWithContext(w.ctx, http.MethodPost, w.issuer+"token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("Maskinporten svarte %d:\n%s", resp.StatusCode, body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token answer: %v %s", err, body)
	}
	got := verify(t, w.ctx, w.srv.Client(), w.md.JWKSURI, tok.AccessToken, w.issuer)
	if got["scope"] != wencheScopes {
		t.Fatalf("granted scope %v, want %q", got["scope"], wencheScopes)
	}

	xreq, _ := http.NewRequestWithContext(w.ctx, http.MethodGet, w.srv.URL+"/altinn/authentication/api/v1/exchange/maskinporten", nil)
	xreq.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	xresp, err := w.srv.Client().Do(xreq)
	if err != nil {
		t.Fatal(err)
	}
	altinnTok, _ := io.ReadAll(xresp.Body)
	xresp.Body.Close()
	if xresp.StatusCode != 200 {
		t.Fatalf("exchange: %d %s", xresp.StatusCode, altinnTok)
	}
	if parts := strings.Split(strings.Trim(strings.TrimSpace(string(altinnTok)), `"`), "."); len(parts) != 3 {
		t.Fatalf("exchanged token is not a JWS: %q", altinnTok)
	}
}

// TestWencheLoginUnchanged runs Wenche's own auth.py (copied unchanged, see third_party/wenche/README.md)
// with only its base URLs changed, against a sandbox on loopback.
func TestWencheLoginUnchanged(t *testing.T) {
	t.Parallel()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: Wenche's login cannot run (TestWencheLoginRequest sends its requests from Go)")
	}
	if out, err := exec.Command(py, "-c", "import httpx, authlib.jose, dotenv").CombinedOutput(); err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		t.Skipf("python3 lacks Wenche's dependencies (pip install httpx authlib python-dotenv): %s", lines[len(lines)-1])
	}
	w := newWorld(t)
	w.approvedSystemUser(t, w.boot.VendorOrg+"_wenche", customer)
	home := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, "run_login.py", w.issuer, w.srv.URL+"/altinn/")
	cmd.Dir = filepath.Join("third_party", "wenche")
	cmd.Env = append(os.Environ(), "HOME="+home, "WENCHE_ENV=test", "MASKINPORTEN_CLIENT_ID="+w.boot.ClientID,
		"MASKINPORTEN_KID="+w.boot.Kid, "ORG_NUMMER="+customer, "MASKINPORTEN_PRIVAT_NOKKEL="+w.boot.KeyFile)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("Wenche's login: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Autentisering vellykket") {
		t.Fatalf("Wenche did not say it logged in:\n%s", out)
	}
	info, err := os.Stat(filepath.Join(home, ".wenche", "token.json"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("Wenche's token file: %v %v", err, info)
	}
}

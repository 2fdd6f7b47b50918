package maskinporten_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// These tests check our JOSE work against a second, independent implementation (go-jose), so
// that a bug shared by our signer and our verifier cannot hide.

func TestGrantSignedByGoJoseIsAccepted(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS384, Key: w.creds.Key},
		(&jose.SignerOptions{}).WithHeader("kid", w.creds.Kid))
	if err != nil {
		t.Fatal(err)
	}
	now := w.clock.Now()
	claims := map[string]any{
		"aud": w.env.MaskinportenIssuer, "iss": w.boot.ClientID, "iat": now.Unix(), "exp": now.Add(time.Minute).Unix(),
		"jti": "go-jose-" + randomID(), "scope": sbworld.ScopeDialogporten,
	}
	grant, err := josejwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	tok, err := w.client.ExchangeGrant(ctx(t), w.env.MaskinportenToken, grant)
	if err != nil {
		t.Fatalf("sandbox refused a go-jose grant: %v", err)
	}
	if tok.Scope != sbworld.ScopeDialogporten {
		t.Fatalf("scope = %q", tok.Scope)
	}
}

func TestGoJoseVerifiesSandboxTokenWithPublishedJWKS(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, err := w.client.RequestToken(ctx(t), w.creds, maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeRequestRead}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := w.srv.Client().Get(w.env.MaskinportenJWKS)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		t.Fatalf("go-jose cannot read our JWKS: %v", err)
	}
	parsed, err := josejwt.ParseSigned(tok.AccessToken, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	keys := set.Key(parsed.Headers[0].KeyID)
	if len(keys) != 1 {
		t.Fatalf("kid %q not found in JWKS", parsed.Headers[0].KeyID)
	}
	var std josejwt.Claims
	var extra struct {
		Scope    string         `json:"scope"`
		Consumer map[string]any `json:"consumer"`
	}
	if err := parsed.Claims(keys[0].Key, &std, &extra); err != nil {
		t.Fatalf("go-jose rejects our signature: %v", err)
	}
	if err := std.ValidateWithLeeway(josejwt.Expected{Issuer: w.env.MaskinportenIssuer, Time: w.clock.Now()}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if extra.Scope != sbworld.ScopeRequestRead || extra.Consumer["ID"] != "0192:"+sbworld.DefaultVendorOrg {
		t.Fatalf("claims = %+v", extra)
	}
}

func TestGoJoseVerifiesOurGrant(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	req := maskinporten.TokenRequest{Scopes: []string{"b:b", "a:a"}, SystemUser: &maskinporten.SystemUser{OrgNo: "313367002", ExternalRef: "kunde-1"}}
	grant, err := maskinporten.BuildGrant(w.creds, w.env.MaskinportenIssuer, req, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := josejwt.ParseSigned(grant, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	rawHeader, _ := base64.RawURLEncoding.DecodeString(strings.Split(grant, ".")[0])
	if parsed.Headers[0].KeyID != w.creds.Kid || string(rawHeader) != `{"alg":"RS256","kid":"`+w.creds.Kid+`"}` {
		t.Fatalf("header = %s, want exactly alg and kid", rawHeader)
	}
	var claims map[string]any
	if err := parsed.Claims(&w.creds.Key.PublicKey, &claims); err != nil {
		t.Fatal(err)
	}
	if claims["aud"] != w.env.MaskinportenIssuer {
		t.Fatalf("aud = %#v, want the issuer as a single string", claims["aud"])
	}
	if claims["scope"] != "a:a b:b" || claims["exp"].(float64)-claims["iat"].(float64) != 120 {
		t.Fatalf("claims = %v", claims)
	}
	for _, k := range []string{"sub", "nbf"} {
		if _, ok := claims[k]; ok {
			t.Fatalf("undocumented claim %s sent by default", k)
		}
	}
	ad, _ := json.Marshal(claims["authorization_details"])
	if string(ad) != `[{"externalRef":"kunde-1","systemuser_org":{"ID":"0192:313367002","authority":"iso6523-actorid-upis"},"type":"urn:altinn:systemuser"}]` {
		t.Fatalf("authorization_details = %s", ad)
	}
	if !strings.HasPrefix(claims["iss"].(string), w.boot.ClientID) {
		t.Fatal("iss is not the client id")
	}
}

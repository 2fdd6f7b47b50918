// Package interop drives the sandbox with a second, independent OAuth/JOSE stack: go-jose v4
// signs the grants and verifies the tokens, golang.org/x/oauth2 makes the token requests and
// parses the answers, and discovery is a small RFC 8414 client written here from the RFC. It
// imports nothing of this repository's clients, config or domain code, so a bug shared by our
// client and our sandbox cannot hide.
package interop

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

const (
	jwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	customer  = "313367002"
)

// asMetadata is the part of RFC 8414 metadata this client needs.
type asMetadata struct {
	Issuer                    string   `json:"issuer"`
	TokenEndpoint             string   `json:"token_endpoint"`
	JWKSURI                   string   `json:"jwks_uri"`
	GrantTypesSupported       []string `json:"grant_types_supported"`
	AuthDetailsTypes          []string `json:"authorization_details_types_supported"`
	SigningAlgValuesSupported []string `json:"token_endpoint_auth_signing_alg_values_supported"`
}

// wellKnownURL applies RFC 8414 §3.1: the well-known segment goes between the host and the
// issuer's path, whose terminating "/" is removed first.
func wellKnownURL(issuer, suffix string) (string, error) {
	u, err := url.Parse(issuer)
	if err != nil || u.Scheme == "" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("issuer %q is not an https-style URL without query or fragment", issuer)
	}
	u.Path = "/.well-known/" + suffix + strings.TrimSuffix(u.Path, "/")
	return u.String(), nil
}

func getJSON(ctx context.Context, hc *http.Client, u string, v any) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: HTTP %d %s", u, resp.StatusCode, body)
	}
	return json.Unmarshal(body, v)
}

// discover fetches the metadata from the issuer alone and checks §3.3: issuer must match.
func discover(ctx context.Context, hc *http.Client, issuer string) (*asMetadata, error) {
	u, err := wellKnownURL(issuer, "oauth-authorization-server")
	if err != nil {
		return nil, err
	}
	var md asMetadata
	if err := getJSON(ctx, hc, u, &md); err != nil {
		return nil, err
	}
	if md.Issuer != issuer {
		return nil, fmt.Errorf("metadata issuer %q differs from %q (RFC 8414 §3.3)", md.Issuer, issuer)
	}
	return &md, nil
}

type world struct {
	srv    *httptest.Server
	sb     *sandbox.Sandbox
	boot   sbworld.Bootstrap
	key    *rsa.PrivateKey
	issuer string
	md     *asMetadata
	ctx    context.Context
}

func newWorld(t *testing.T) *world {
	t.Helper()
	sw := sandboxtest.New(t)
	sb, srv, boot := sw.SB, sw.Srv, sw.Boot
	pemBytes, err := os.ReadFile(boot.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(pemBytes)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	ctx = context.WithValue(ctx, oauth2.HTTPClient, srv.Client())
	w := &world{srv: srv, sb: sb, boot: boot, key: k.(*rsa.PrivateKey), issuer: srv.URL + "/maskinporten/", ctx: ctx}
	// Discovery from the issuer alone, as an RFC 8414 client does.
	w.md, err = discover(ctx, srv.Client(), w.issuer)
	if err != nil {
		t.Fatalf("RFC 8414 discovery from %s: %v", w.issuer, err)
	}
	return w
}

func jti() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// grant signs an RFC 7523 assertion with go-jose.
func (w *world) grant(t *testing.T, scope string, extra map[string]any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: w.key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", w.boot.Kid))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claims := map[string]any{"aud": w.md.Issuer, "iss": w.boot.ClientID, "scope": scope,
		"iat": now.Unix(), "exp": now.Add(100 * time.Second).Unix(), "jti": jti()}
	for k, v := range extra {
		claims[k] = v
	}
	g, err := josejwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// token exchanges an assertion through x/oauth2 (grant_type overridden to jwt-bearer).
func (w *world) token(assertion string) (*oauth2.Token, error) {
	cfg := clientcredentials.Config{
		TokenURL:  w.md.TokenEndpoint,
		AuthStyle: oauth2.AuthStyleInParams,
		EndpointParams: url.Values{
			"grant_type": {jwtBearer},
			"assertion":  {assertion},
		},
	}
	return cfg.Token(w.ctx)
}

// verify checks an access token with go-jose against the JWKS the metadata names.
func verify(t *testing.T, ctx context.Context, hc *http.Client, jwksURI, token, issuer string) map[string]any {
	t.Helper()
	var set jose.JSONWebKeySet
	if err := getJSON(ctx, hc, jwksURI, &set); err != nil {
		t.Fatalf("JWKS: %v", err)
	}
	parsed, err := josejwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("go-jose cannot parse the token: %v", err)
	}
	keys := set.Key(parsed.Headers[0].KeyID)
	if len(keys) != 1 {
		t.Fatalf("kid %q is not in %s", parsed.Headers[0].KeyID, jwksURI)
	}
	var std josejwt.Claims
	var all map[string]any
	if err := parsed.Claims(keys[0].Key, &std, &all); err != nil {
		t.Fatalf("signature: %v", err)
	}
	if err := std.ValidateWithLeeway(josejwt.Expected{Issuer: issuer, Time: time.Now()}, 10*time.Second); err != nil {
		t.Fatalf("claims: %v", err)
	}
	return all
}

func TestDiscoveryFromTheIssuer(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if w.md.TokenEndpoint != w.issuer+"token" || w.md.JWKSURI != w.issuer+"jwk" {
		t.Fatalf("metadata: %+v", w.md)
	}
	if len(w.md.GrantTypesSupported) != 1 || w.md.GrantTypesSupported[0] != jwtBearer {
		t.Fatalf("grant types: %v", w.md.GrantTypesSupported)
	}
	if !strings.Contains(strings.Join(w.md.AuthDetailsTypes, " "), "urn:altinn:systemuser") {
		t.Fatalf("authorization_details types: %v", w.md.AuthDetailsTypes)
	}
}

func TestJWTBearerGrantWithoutAuthorizationDetails(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	g := w.grant(t, sbworld.ScopeDialogporten, nil)
	tok, err := w.token(g)
	if err != nil {
		t.Fatalf("x/oauth2 token request: %v", err)
	}
	if tok.TokenType != "Bearer" || tok.Expiry.IsZero() || tok.Extra("scope") != sbworld.ScopeDialogporten {
		t.Fatalf("token: type %q expiry %v scope %v", tok.TokenType, tok.Expiry, tok.Extra("scope"))
	}
	claims := verify(t, w.ctx, w.srv.Client(), w.md.JWKSURI, tok.AccessToken, w.issuer)
	if claims["client_id"] != w.boot.ClientID || claims["scope"] != sbworld.ScopeDialogporten {
		t.Fatalf("claims: %v", claims)
	}
	// The same assertion again is a replay; x/oauth2 surfaces the OAuth error fields.
	_, err = w.token(g)
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" || !strings.Contains(re.ErrorDescription, "trace_id") {
		t.Fatalf("replayed assertion: %v", err)
	}
}

// post sends JSON with a bearer token and decodes the answer.
func (w *world) post(t *testing.T, path, bearer string, body, out any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(w.ctx, http.MethodPost, w.srv.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+bearer)
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("POST %s: %d %s", path, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("POST %s: %v in %s", path, err, data)
		}
	}
}

// approvedSystemUser registers a system holding the vendor client, asks customer for a system
// user and approves it as the customer would on the confirm page.
func (w *world) approvedSystemUser(t *testing.T, systemID, customer string) (req struct {
	ID         string `json:"id"`
	ConfirmURL string `json:"confirmUrl"`
}) {
	t.Helper()
	vendorTok, err := w.token(w.grant(t, sbworld.ScopeSystemRegisterWrite+" "+sbworld.ScopeRequestWrite, nil))
	if err != nil {
		t.Fatal(err)
	}
	right := []map[string]any{{"resource": []map[string]string{{"id": "urn:altinn:resource", "value": "ske-innrapportering-boligselskap"}}}}
	w.post(t, "/altinn/authentication/api/v1/systemregister/vendor", vendorTok.AccessToken, map[string]any{
		"id": systemID, "vendor": map[string]string{"authority": "iso6523-actorid-upis", "ID": "0192:" + w.boot.VendorOrg},
		"name":        map[string]string{"nb": "Interop", "en": "Interop", "nn": "Interop"},
		"description": map[string]string{"nb": "Prøve", "en": "Test", "nn": "Prøve"},
		"rights":      right, "clientId": []string{w.boot.ClientID}, "isVisible": true,
		"allowedRedirectUrls": []string{"https://vendor.example/done"},
	}, nil)
	w.post(t, "/altinn/authentication/api/v1/systemuser/request/vendor", vendorTok.AccessToken, map[string]any{
		"systemId": systemID, "partyOrgNo": customer, "rights": right,
	}, &req)
	resp, err := w.srv.Client().PostForm(req.ConfirmURL, url.Values{"decision": {"approve"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("approve at %s: %v %v", req.ConfirmURL, err, resp)
	}
	resp.Body.Close()
	return req
}

func TestJWTBearerGrantWithAuthorizationDetails(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	systemID := w.boot.VendorOrg + "_interop"
	req := w.approvedSystemUser(t, systemID, customer)

	details := []map[string]any{{"type": "urn:altinn:systemuser",
		"systemuser_org": map[string]string{"authority": "iso6523-actorid-upis", "ID": "0192:" + customer}}}
	tok, err := w.token(w.grant(t, sbworld.ScopeSkeBoligselskap, map[string]any{"authorization_details": details}))
	if err != nil {
		t.Fatalf("system-user token: %v", err)
	}
	claims := verify(t, w.ctx, w.srv.Client(), w.md.JWKSURI, tok.AccessToken, w.issuer)
	ad, _ := claims["authorization_details"].([]any)
	if len(ad) != 1 {
		t.Fatalf("authorization_details: %v", claims["authorization_details"])
	}
	first := ad[0].(map[string]any)
	ids, _ := first["systemuser_id"].([]any)
	if first["type"] != "urn:altinn:systemuser" || len(ids) != 1 || ids[0] != req.ID || first["system_id"] != systemID {
		t.Fatalf("system user in the token: %v (want id %s)", first, req.ID)
	}
	// Another customer has no system user: x/oauth2 reports Maskinporten's refusal.
	details[0]["systemuser_org"] = map[string]string{"authority": "iso6523-actorid-upis", "ID": "0192:311000004"}
	_, err = w.token(w.grant(t, sbworld.ScopeSkeBoligselskap, map[string]any{"authorization_details": details}))
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode == "" {
		t.Fatalf("no system user: %v", err)
	}

	// The Altinn token exchange is an issuer of its own: discovery from the token's iss
	// (OpenID Connect Discovery's appended form) and verification against its JWKS.
	xreq, _ := http.NewRequestWithContext(w.ctx, http.MethodGet, w.srv.URL+"/altinn/authentication/api/v1/exchange/maskinporten", nil)
	xreq.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	xresp, err := w.srv.Client().Do(xreq)
	if err != nil || xresp.StatusCode != 200 {
		t.Fatalf("exchange: %v %v", err, xresp)
	}
	altinnTok, _ := io.ReadAll(xresp.Body)
	xresp.Body.Close()
	unverified, err := josejwt.ParseSigned(string(altinnTok), []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	var peek struct {
		Iss string `json:"iss"`
	}
	_ = unverified.UnsafeClaimsWithoutVerification(&peek)
	var oidc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := getJSON(w.ctx, w.srv.Client(), strings.TrimSuffix(peek.Iss, "/")+"/.well-known/openid-configuration", &oidc); err != nil || oidc.Issuer != peek.Iss {
		t.Fatalf("Altinn discovery for %q: %v %+v", peek.Iss, err, oidc)
	}
	ac := verify(t, w.ctx, w.srv.Client(), oidc.JWKSURI, string(altinnTok), peek.Iss)
	if ac["urn:altinn:orgNumber"] != w.boot.VendorOrg || ac["authorization_details"] == nil {
		t.Fatalf("exchanged claims: %v", ac)
	}
}

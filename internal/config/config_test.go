package config

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

func TestParseValidatesProfiles(t *testing.T) {
	good := `
default_profile: tt02
profiles:
  tt02:
    env: test
    org: "974761076"
    client_id: c
    key: {pem: k.pem, kid: my-kid}
    scopes: [altinn:authentication/systemregister.write]
`
	f, err := Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	p, name, ok, err := f.Profile("")
	if err != nil || !ok || name != "tt02" || p.Env != "test" {
		t.Fatalf("profile = %+v %q %v %v", p, name, ok, err)
	}
	bad := map[string]string{
		"profiles:\n  a:\n    env: ver2\n":                                    "shut down",
		"profiles:\n  a:\n    env: test\n    org: \"57623423\"\n":             "9 digits",
		"profiles:\n  a:\n    env: test\n    clientid: x\n":                   "clientid",
		"profiles:\n  a:\n    env: test\n    key: {pem: k.pem}\n":             "key.kid is required",
		"profiles:\n  a:\n    env: test\n    key: {pem: a, jwk: b, kid: k}\n": "exactly one",
		"profiles:\n  a:\n    env: test\n    scopes: [\"a b\"]\n":             "not a single scope",
		"profiles:\n  a:\n    env: test\n    alg: ES256\n":                    "RS256",
		"default_profile: x\nprofiles:\n  a:\n    env: test\n":                "names no profile",
		"profiles: [": "invalid YAML",
		"profiles:\n  a:\n    env: test\n    key: {pkcs12: a.p12, password: x}\n": "password",
	}
	for in, want := range bad {
		if _, err := Parse([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want error containing %q", in, err, want)
		}
	}
}

func TestSeveralProfilesNeedAChoice(t *testing.T) {
	f, err := Parse([]byte("profiles:\n  a: {env: test}\n  b: {env: prod}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := f.Profile(""); err == nil || !strings.Contains(err.Error(), "--profile") {
		t.Fatalf("err = %v", err)
	}
	if p, _, _, err := f.Profile("b"); err != nil || p.Env != "prod" {
		t.Fatalf("b: %v %v", p, err)
	}
}

// A named profile in a file without profiles (or no file) says the file has none and that the
// built-in sandbox profile is used without one; it listed "(have: )".
func TestNamedProfileInAnEmptyFile(t *testing.T) {
	f, err := Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok, err := f.Profile(""); ok || err != nil {
		t.Fatalf("no name: ok=%v err=%v", ok, err)
	}
	if _, _, _, err := f.Profile("nosuch"); err == nil || !strings.Contains(err.Error(), "which has no profiles") || strings.Contains(err.Error(), "have:") {
		t.Fatalf("err = %v", err)
	}
}

func TestEnvironments(t *testing.T) {
	e, err := Builtin(EnvTest)
	if err != nil || e.MaskinportenIssuer != "https://test.maskinporten.no/" || e.AltinnPlatform != "https://platform.tt02.altinn.no/" {
		t.Fatalf("test env = %+v %v", e, err)
	}
	s := Sandbox("http://127.0.0.1:9/")
	if s.MaskinportenIssuer != "http://127.0.0.1:9/maskinporten/" || s.MaskinportenToken != "http://127.0.0.1:9/maskinporten/token" {
		t.Fatalf("sandbox env = %+v", s)
	}
	o, warnings := e.ApplyOverrides(URLOverrides{MaskinportenIssuer: "https://ver2.maskinporten.no"})
	if o.MaskinportenIssuer != "https://ver2.maskinporten.no" || o.MaskinportenToken != "https://ver2.maskinporten.no/token" || len(warnings) != 2 {
		t.Fatalf("overrides = %+v, warnings %v", o, warnings)
	}
}

func TestKeyLoadersRoundTrip(t *testing.T) {
	dir := t.TempDir()
	key, err := GenerateKey("", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key.Kid, "sbs-tui-") || ValidateKid(key.Kid) != nil {
		t.Fatalf("kid = %q", key.Kid)
	}
	pemBytes, _ := key.PrivatePEM()
	pemPath := filepath.Join(dir, "k.pem")
	if err := os.WriteFile(pemPath, pemBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	f := &File{path: filepath.Join(dir, "config.yaml")}
	loaded, err := f.LoadKey(KeyRef{PEM: "k.pem", Kid: key.Kid}, nil)
	if err != nil || !loaded.Private.Equal(key.Private) {
		t.Fatalf("PEM: %v", err)
	}
	if len(loaded.Warnings) != 1 || !strings.Contains(loaded.Warnings[0].Error(), "chmod 600") {
		t.Fatalf("no warning for a world-readable key: %v", loaded.Warnings)
	}

	// PKCS#12 with the password from an environment variable.
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test AS", SerialNumber: "974761076"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.Private.PublicKey, key.Private)
	cert, _ := x509.ParseCertificate(der)
	p12, err := pkcs12.Modern.Encode(key.Private, cert, nil, "hemmelig")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "v.p12"), p12, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("P12_PW", "hemmelig")
	loaded, err = f.LoadKey(KeyRef{PKCS12: "v.p12", PasswordEnv: "P12_PW"}, nil)
	if err != nil || len(loaded.Chain) != 1 || loaded.Chain[0].Subject.SerialNumber != "974761076" {
		t.Fatalf("PKCS#12: %+v %v", loaded, err)
	}
	t.Setenv("P12_PW", "wrong")
	if _, err := f.LoadKey(KeyRef{PKCS12: "v.p12", PasswordEnv: "P12_PW"}, nil); err == nil || !strings.Contains(err.Error(), "wrong password") {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := f.LoadKey(KeyRef{PKCS12: "v.p12"}, nil); err == nil || !strings.Contains(err.Error(), "password_env") {
		t.Fatalf("no password source: %v", err)
	}
	// A file that is not PKCS#12 says so, without the decoder's ASN.1 detail.
	if _, err := ParsePKCS12([]byte("-----BEGIN CERTIFICATE-----\nnot der\n"), "pw"); err == nil ||
		!strings.HasPrefix(err.Error(), "not a PKCS#12 file, or a damaged one") || strings.Contains(err.Error(), "asn1") {
		t.Fatalf("not PKCS#12: %v", err)
	}

	// A private JWK.
	priv, _ := rsa.GenerateKey(rand.Reader, 2048)
	k2 := &Key{Private: priv, Kid: "jwk-kid"}
	pub, _ := k2.PublicJWK("RS256")
	if _, _, err := ParsePrivateJWK(mustJSON(t, pub)); err == nil || !strings.Contains(err.Error(), "public key") {
		t.Fatalf("public JWK accepted as private: %v", err)
	}
}

func TestPEMErrors(t *testing.T) {
	for in, want := range map[string]string{
		"": "no PEM block",
		"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n":                     "not a private key",
		"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n": "encrypted",
		"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n":                     "parse private key",
	} {
		if _, err := ParsePEMKey([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParsePEMKey(%.20q) = %v, want %q", in, err, want)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("profiles:\n  a:\n    env: test\n    org: \"974761076\"\n"))
	f.Add([]byte("default_profile: a\nprofiles: {a: {env: sandbox, urls: {maskinporten_issuer: x}}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Parse(data)
	})
}

func FuzzKeyParsers(f *testing.F) {
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte(`{"kty":"RSA","kid":"a","n":"AQAB","e":"AQAB","d":"AQAB"}`))
	f.Add([]byte(`{"keys":[{"kty":"EC"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ParsePEMKey(data)
		_, _, _ = ParsePrivateJWK(data)
		_, _ = ParsePKCS12(data, "pw")
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

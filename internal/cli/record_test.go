package cli_test

import (
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

const p12Password = "Sv4rt-hemmelig-passord"

// addCertProfile adds a client that authenticates with a business certificate and a profile
// "cert" using it from a password-protected PKCS#12 file; it returns the file's bytes.
func addCertProfile(t *testing.T, cfg string, sb *sandbox.Sandbox) []byte {
	t.Helper()
	boot, _ := sb.Bootstrap()
	if err := sb.Update(func(st *world.State) error {
		c := *st.Clients[boot.ClientID]
		c.ClientID, c.JWKs = "cert-client-record", nil
		st.Clients[c.ClientID] = &c
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	key, chain, err := sb.IssueBusinessCertificate(boot.VendorOrg, time.Now().Add(-time.Hour), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	p12, err := pkcs12.Modern.Encode(key, chain[0], chain[1:], p12Password)
	if err != nil {
		t.Fatal(err)
	}
	p12Path := filepath.Join(filepath.Dir(cfg), "cert.p12")
	if err := os.WriteFile(p12Path, p12, 0o600); err != nil {
		t.Fatal(err)
	}
	file, err := config.Load(cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	base := *file.Profiles["sandbox"]
	base.ClientID = "cert-client-record"
	base.Key = config.KeyRef{PKCS12: p12Path, PasswordEnv: "RECORD_TEST_P12_PASSWORD"}
	file.Profiles["cert"] = &base
	if err := file.Save(cfg); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RECORD_TEST_P12_PASSWORD", p12Password)
	return p12
}

// recordOnboarding runs a headless onboarding with --record into one HAR file and returns
// the file, the tokens the commands printed and the PKCS#12 bytes.
func recordOnboarding(t *testing.T) (har string, cfg string, tokens []string, p12 []byte) {
	t.Helper()
	v := clitest.NewVendor(t)
	p12 = addCertProfile(t, v.Cfg, v.SB)
	har = filepath.Join(t.TempDir(), "session.har")
	cmd := func(args ...string) []string { return append([]string{"--config", v.Cfg, "--record", har}, args...) }
	must := func(code int, args ...string) clitest.Result {
		t.Helper()
		r := clitest.Run(t, "", cmd(args...)...)
		if r.Code != code {
			t.Fatalf("%v: exit %d, want %d: %+v", args, r.Code, code, r)
		}
		return r
	}
	must(0, "system", "register", "--file", clitest.SeedPageSystem(t, v.ClientID))
	var req struct{ ID string }
	clitest.Decode(t, must(0, "request", "create", "--system", "974761076_skatt_demo_system", "--org", "313367002", "--agent",
		"--package", "regnskapsforer-med-signeringsrettighet", "--json"), &req)
	must(1, "token", "--scope", world.ScopeSkeBoligselskap, "--systemuser-org", "313367002")
	must(0, "sandbox", "approve", req.ID)
	must(0, "request", "status", req.ID, "--agent")
	tokens = append(tokens, strings.TrimSpace(must(0, "token", "--scope", world.ScopeSkeBoligselskap, "--systemuser-org", "313367002").Stdout))
	must(0, "users", "list", "--system", "974761076_skatt_demo_system")
	base := strings.TrimSuffix(clitest.ReadConfigURL(t, v.Cfg), "/")
	must(0, "call", base+"/skatteetaten/"+sandbox.SampleAPIPath, "--systemuser-org", "313367002")
	tokens = append(tokens, strings.TrimSpace(must(0, "--profile", "cert", "token", "--scope", world.ScopeSkeBoligselskap).Stdout))
	return har, v.Cfg, tokens, p12
}

// validateHAR checks the HAR 1.2 shape with generic JSON, independent of the writer's types.
func validateHAR(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	log, ok := doc["log"].(map[string]any)
	if !ok || log["version"] != "1.2" {
		t.Fatalf("log.version: %v", doc["log"])
	}
	creator, ok := log["creator"].(map[string]any)
	if !ok || creator["name"] == "" || creator["version"] == nil {
		t.Fatalf("log.creator: %v", log["creator"])
	}
	raw, ok := log["entries"].([]any)
	if !ok {
		t.Fatal("log.entries is not an array")
	}
	isNum := func(v any) bool { _, ok := v.(float64); return ok }
	isStr := func(v any) bool { _, ok := v.(string); return ok }
	nameValues := func(where string, v any) {
		arr, ok := v.([]any)
		if !ok {
			t.Fatalf("%s is not an array: %v", where, v)
		}
		for _, it := range arr {
			m, ok := it.(map[string]any)
			if !ok || !isStr(m["name"]) || !isStr(m["value"]) {
				t.Fatalf("%s item is not {name, value}: %v", where, it)
			}
		}
	}
	var entries []map[string]any
	for i, e := range raw {
		en, ok := e.(map[string]any)
		if !ok {
			t.Fatalf("entry %d is not an object", i)
		}
		if _, err := time.Parse(time.RFC3339Nano, en["startedDateTime"].(string)); err != nil {
			t.Fatalf("entry %d startedDateTime: %v", i, err)
		}
		if !isNum(en["time"]) || en["time"].(float64) < 0 {
			t.Fatalf("entry %d time: %v", i, en["time"])
		}
		req, _ := en["request"].(map[string]any)
		resp, _ := en["response"].(map[string]any)
		if req == nil || resp == nil {
			t.Fatalf("entry %d lacks request or response", i)
		}
		for _, k := range []string{"method", "url", "httpVersion"} {
			if !isStr(req[k]) || req[k] == "" {
				t.Fatalf("entry %d request.%s: %v", i, k, req[k])
			}
		}
		if !strings.HasPrefix(req["url"].(string), "http") {
			t.Fatalf("entry %d url is not absolute: %v", i, req["url"])
		}
		nameValues("request.cookies", req["cookies"])
		nameValues("request.headers", req["headers"])
		nameValues("request.queryString", req["queryString"])
		if !isNum(req["headersSize"]) || !isNum(req["bodySize"]) {
			t.Fatalf("entry %d request sizes", i)
		}
		if pd, ok := req["postData"].(map[string]any); ok && (!isStr(pd["mimeType"]) || !isStr(pd["text"])) {
			t.Fatalf("entry %d postData: %v", i, pd)
		}
		if !isNum(resp["status"]) || !isStr(resp["statusText"]) || !isStr(resp["httpVersion"]) || !isStr(resp["redirectURL"]) ||
			!isNum(resp["headersSize"]) || !isNum(resp["bodySize"]) {
			t.Fatalf("entry %d response fields: %v", i, resp)
		}
		nameValues("response.cookies", resp["cookies"])
		nameValues("response.headers", resp["headers"])
		content, ok := resp["content"].(map[string]any)
		if !ok || !isNum(content["size"]) || !isStr(content["mimeType"]) {
			t.Fatalf("entry %d response.content: %v", i, resp["content"])
		}
		if _, ok := en["cache"].(map[string]any); !ok {
			t.Fatalf("entry %d cache", i)
		}
		tm, ok := en["timings"].(map[string]any)
		if !ok || !isNum(tm["send"]) || !isNum(tm["wait"]) || !isNum(tm["receive"]) {
			t.Fatalf("entry %d timings: %v", i, en["timings"])
		}
		entries = append(entries, en)
	}
	return entries
}

func TestRecordHARIsValidAndHoldsNoSecret(t *testing.T) {
	har, cfg, tokens, p12 := recordOnboarding(t)
	data, err := os.ReadFile(har)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(har); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
	entries := validateHAR(t, data)
	text := string(data)

	// Every service was recorded: Maskinporten, Altinn, the called API; and the failure's code.
	var hosts, codes []string
	for _, e := range entries {
		hosts = append(hosts, e["request"].(map[string]any)["url"].(string))
		if c, ok := e["_code"].(string); ok {
			codes = append(codes, c)
		}
	}
	all := strings.Join(hosts, " ")
	for _, want := range []string{"/maskinporten/token", "/altinn/authentication/api/v1/systemregister/vendor", "/systemuser/request/vendor/agent", "/skatteetaten/"} {
		if !strings.Contains(all, want) {
			t.Errorf("no exchange with %s in %d entries", want, len(entries))
		}
	}
	if !strings.Contains(strings.Join(codes, " "), "MP-303") {
		t.Errorf("the refused token request's MP-303 is not recorded: %v", codes)
	}

	// No private key: neither the PEM body of the vendor key nor its JWK d, nor the PKCS#12.
	file, _ := config.Load(cfg, false)
	pemPath := file.Resolve(file.Profiles["sandbox"].Key.PEM)
	pemData, err := os.ReadFile(pemPath)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(pemData)
	b64 := base64.StdEncoding.EncodeToString(block.Bytes)
	for i := 0; i+40 <= len(b64); i += 40 {
		if strings.Contains(text, b64[i:i+40]) {
			t.Fatalf("the HAR holds part of the private key PEM")
		}
	}
	key, err := config.LoadPEMKey(pemPath, "any-kid")
	if err != nil {
		t.Fatal(err)
	}
	if d := base64.RawURLEncoding.EncodeToString(key.Private.D.Bytes()); strings.Contains(text, d[:40]) {
		t.Fatal("the HAR holds the private exponent")
	}
	if p := base64.StdEncoding.EncodeToString(p12); strings.Contains(text, p[:60]) {
		t.Fatal("the HAR holds the PKCS#12 file")
	}
	// No password.
	if strings.Contains(text, p12Password) {
		t.Fatal("the HAR holds the PKCS#12 password")
	}
	// No token or grant signature: the tokens the commands printed, and any JWT at all.
	for _, tok := range tokens {
		parts := strings.Split(tok, ".")
		if len(parts) != 3 || strings.Contains(text, parts[2]) {
			t.Fatalf("the HAR holds a token signature (%d parts)", len(parts))
		}
		if !strings.Contains(text, parts[0]+"."+parts[1]+".SIGNATURE-REMOVED") && !strings.Contains(text, parts[1]) {
			t.Logf("token claims not in the record (the call used another token)")
		}
	}
	found := clitest.JWTInText.FindAllString(text, -1)
	if len(found) < 3 {
		t.Fatalf("expected grants and tokens (redacted) in the record, found %d", len(found))
	}
	for _, j := range found {
		if !strings.HasSuffix(j, ".SIGNATURE-REMOVED") {
			t.Fatalf("a JWT with its signature: %.60s…", j)
		}
	}
}

// A --record file that is not a HAR is refused before the command runs (exit 2, nothing on
// standard output): the command used to do its work and only then fail to record it.
func TestRecordIntoANonHARFileIsRefusedFirst(t *testing.T) {
	v := clitest.NewVendor(t)
	path := filepath.Join(t.TempDir(), "notes.json")
	if err := os.WriteFile(path, []byte(`{"x": 1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, "", "--config", v.Cfg, "--record", path, "system", "list")
	if r.Code != 2 || r.Stdout != "" || !strings.Contains(r.Stderr, "cannot be added to") {
		t.Fatalf("%+v", r)
	}
	if data, _ := os.ReadFile(path); string(data) != `{"x": 1}` {
		t.Fatalf("the file changed: %s", data)
	}
}

package support

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// A HAR from another tool (browser developer tools) may hold live secrets: reading it redacts
// them like the record does, so a report made from it holds none.
func TestForeignHARIsRedactedOnTheWayIn(t *testing.T) {
	sig := "c2lnbmF0dXJlLXRoYXQtbXVzdC1uZXZlci1iZS1zaG93bg"
	tok := "eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6ImE6YiIsImlzcyI6Imh0dHBzOi8vdGVzdC5tYXNraW5wb3J0ZW4ubm8vIn0." + sig
	har := `{"log":{"version":"1.2","creator":{"name":"Firefox","version":"1"},"entries":[{
	  "startedDateTime":"2026-11-27T08:00:00.000Z","time":12,
	  "request":{"method":"POST","url":"https://test.maskinporten.no/token","httpVersion":"HTTP/2","cookies":[],
	    "headers":[{"name":"Content-Type","value":"application/x-www-form-urlencoded"},{"name":"Cookie","value":"s=secretcookie"}],
	    "queryString":[],"postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=` + tok + `&client_secret=hunter2"},
	    "headersSize":-1,"bodySize":100},
	  "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/2","cookies":[],"headers":[{"name":"Content-Type","value":"application/json"}],
	    "content":{"size":50,"mimeType":"application/json","text":"{\"access_token\":\"` + tok + `\",\"expires_in\":120}"},"redirectURL":"","headersSize":-1,"bodySize":50},
	  "cache":{},"timings":{"send":0,"wait":12,"receive":0}}]}}`
	facts, ex, err := ReadHAR(strings.NewReader(har))
	if err != nil {
		t.Fatal(err)
	}
	if facts != nil || len(ex) != 1 || ex[0].Status != 200 || ex[0].Method != "POST" {
		t.Fatalf("read: %+v %+v", facts, ex)
	}
	var buf bytes.Buffer
	if err := WriteReport(&buf, nil, ex, time.Now()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, secret := range []string{sig, "secretcookie", "hunter2"} {
		if strings.Contains(out, secret) {
			t.Fatalf("the report holds %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, `GRANT="$(sbs-tui grant --scope a:b)"`) {
		t.Fatalf("no grant recipe from the claims:\n%s", out)
	}
	if _, _, err := ReadHAR(strings.NewReader(`{"log":{}}`)); err == nil {
		t.Fatal("a HAR without version passed")
	}
}

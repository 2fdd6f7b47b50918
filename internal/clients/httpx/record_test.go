package httpx

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const (
	jwtA = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlLWEtdGhhdC1tdXN0LWdv"
	sigA = "c2lnbmF0dXJlLWEtdGhhdC1tdXN0LWdv"
)

func TestRedactText(t *testing.T) {
	in := "x " + jwtA + " y eyJ. z\n-----BEGIN PRIVATE KEY-----\nMIIEsecret\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nMIIcert\n-----END CERTIFICATE-----"
	got := RedactText(in)
	if strings.Contains(got, sigA) || strings.Contains(got, "MIIEsecret") {
		t.Fatalf("secret left: %q", got)
	}
	if !strings.Contains(got, "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0."+SignatureRemoved) || !strings.Contains(got, "MIIcert") || !strings.Contains(got, "eyJ. z") {
		t.Fatalf("too much removed: %q", got)
	}
}

func TestRedactBodies(t *testing.T) {
	form := url.Values{"grant_type": {"g"}, "assertion": {jwtA}, "password": {"hunter2"}}.Encode()
	got, _ := RedactBody("application/x-www-form-urlencoded", []byte(form))
	if strings.Contains(got, sigA) || strings.Contains(got, "hunter2") || !strings.Contains(got, "grant_type=g") {
		t.Fatalf("form: %q", got)
	}
	js := `{"access_token":"` + jwtA + `","keys":[{"kty":"RSA","n":"pub","e":"AQAB","d":"privd","p":"privp"}],"clientSecret":"s3"}`
	got, _ = RedactBody("application/json", []byte(js))
	for _, secret := range []string{sigA, "privd", "privp", "s3"} {
		if strings.Contains(got, secret) {
			t.Fatalf("json kept %q: %s", secret, got)
		}
	}
	if !strings.Contains(got, `"n":"pub"`) {
		t.Fatalf("json lost the public key: %s", got)
	}
	big := strings.Repeat("a", MaxRecordedBody+10)
	got, trunc := RedactBody("text/plain", []byte(big))
	if !trunc || len(got) != MaxRecordedBody {
		t.Fatalf("cap: %d %v", len(got), trunc)
	}
}

func TestRecordKeepsRedactedExchanges(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(b), sigA) {
			t.Errorf("the server did not get the real body: %s", b)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Set-Cookie", "session=abc")
		w.WriteHeader(400)
		_, _ = io.WriteString(w, `{"error":"invalid_grant","access_token":"`+jwtA+`"}`)
	}))
	defer srv.Close()
	rec := NewRecord()
	c := NewClient(Options{Record: rec})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/token", strings.NewReader("assertion="+jwtA))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+jwtA)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := ReadBody(resp)
	if !strings.Contains(string(body), sigA) {
		t.Fatal("the client did not get the real response")
	}
	ex := rec.Exchanges()
	if len(ex) != 1 {
		t.Fatalf("exchanges = %d", len(ex))
	}
	e := ex[0]
	all := e.RequestBody + e.ResponseBody + e.RequestHeaders.Get("Authorization") + e.ResponseHeaders.Get("Set-Cookie")
	if strings.Contains(all, sigA) || strings.Contains(all, "session=abc") {
		t.Fatalf("secret in record: %+v", e)
	}
	if e.Status != 400 || !e.Done || e.Method != "POST" || !strings.HasPrefix(e.RequestHeaders.Get("Authorization"), "Bearer eyJ") || e.ResponseBodySize == 0 {
		t.Fatalf("exchange = %+v", e)
	}
	// A failed connection is recorded with its error.
	_, err = c.Get("http://127.0.0.1:1/")
	if err == nil || rec.Len() != 2 || rec.Exchanges()[1].Err == "" {
		t.Fatalf("failed exchange: %v %+v", err, rec.Exchanges())
	}
}

func TestRecordBodyBudget(t *testing.T) {
	rec := NewRecord()
	body := strings.Repeat("x", MaxRecordedBody)
	n := MaxRecordBodies/MaxRecordedBody + 5
	for i := 0; i < n; i++ {
		req, _ := http.NewRequest(http.MethodPost, "http://h/x", strings.NewReader(body))
		req.Header.Set("Content-Type", "text/plain")
		rec.start(req, []byte(body), int64(len(body)))
	}
	ex := rec.Exchanges()
	if len(ex) != n || ex[0].RequestBody == "" || ex[n-1].RequestBody != "" || !ex[n-1].BodiesDropped {
		t.Fatalf("budget: %d exchanges, first kept %v, last dropped %v", len(ex), ex[0].RequestBody != "", ex[n-1].BodiesDropped)
	}
}

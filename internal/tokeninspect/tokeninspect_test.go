package tokeninspect

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

func jwt(header, payload string) string {
	e := base64.RawURLEncoding.EncodeToString
	return e([]byte(header)) + "." + e([]byte(payload)) + "." + e([]byte("sig"))
}

var now = time.Unix(1_800_000_000, 0)

func TestDecodeCleansInput(t *testing.T) {
	tok := jwt(`{"alg":"RS256","kid":"k"}`, `{"iss":"https://test.maskinporten.no/","exp":1800000112}`)
	for _, in := range []string{tok, "  " + tok + "\n", "Bearer " + tok, "bearer\t" + tok, `"` + tok + `"`, tok[:20] + "\n" + tok[20:]} {
		d, err := Decode(in)
		if err != nil {
			t.Fatalf("Decode(%q): %v", in, err)
		}
		if d.HeaderString("kid") != "k" || d.Claims[0].Name != "iss" {
			t.Fatalf("decoded = %+v", d)
		}
	}
}

func TestDecodeErrorsNameTheProblem(t *testing.T) {
	cases := map[string]string{
		"":                                  "empty",
		"abc":                               "found 1 part",
		"a.b.c.d.e":                         "encrypted",
		"!!.e30.x":                          "header is not base64url",
		jwt(`[1]`, `{}`):                    "header is not a JSON object",
		jwt(`{}`, `{"a":1,"a":2}`):          "twice",
		jwt(`{}`, `{"a":1} x`):              "trailing",
		strings.Repeat("a", MaxTokenSize+1): "larger",
	}
	for in, want := range cases {
		_, err := Decode(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Decode(%.30q) = %v, want error containing %q", in, err, want)
		}
	}
}

func TestAnalyzeSystemUserToken(t *testing.T) {
	tok := jwt(`{"kid":"abc","alg":"RS256"}`, `{"scope":"skatteetaten:innrapporteringboligselskap","iss":"https://test.maskinporten.no/","client_amr":"private_key_jwt","token_type":"Bearer","exp":1800000112,"iat":1799999992,"client_id":"c1","jti":"j","consumer":{"authority":"iso6523-actorid-upis","ID":"0192:974761076"},"authorization_details":[{"type":"urn:altinn:systemuser","systemuser_id":["a5f1"],"systemuser_org":{"authority":"iso6523-actorid-upis","id":"0192:313367002"},"system_id":"974761076_demo"}]}`)
	d, err := Decode(tok)
	if err != nil {
		t.Fatal(err)
	}
	r := Analyze(d, now, nil)
	if r.Kind != KindAccessToken || r.Status != StatusValid || r.IssuerEnv != "test" || r.ExpiresIn != "1m 52s" {
		t.Fatalf("report = %+v", r)
	}
	if r.SystemUser == nil || r.SystemUser.OwnerOrg != "0192:313367002" || r.SystemUser.SystemID != "974761076_demo" {
		t.Fatalf("system user = %+v (lower-case id must be accepted)", r.SystemUser)
	}
	if r.Times[0].Relative != "8s ago" {
		t.Fatalf("times = %+v", r.Times)
	}
	for _, f := range r.Findings {
		if f.Level == Error {
			t.Fatalf("unexpected error finding: %v", f)
		}
	}
}

func TestAnalyzeFindsGrantMistakes(t *testing.T) {
	tok := jwt(`{"alg":"RS256","kid":"k","x5c":"MIIB"}`, `{"aud":"https://test.maskinporten.no/token","iss":"c","iat":1800000000,"exp":1800000300,"sub":"c"}`)
	d, err := Decode(tok)
	if err != nil {
		t.Fatal(err)
	}
	r := Analyze(d, now, map[string]string{"https://test.maskinporten.no/token": "test"})
	text := ""
	for _, f := range r.Findings {
		text += string(f.Level) + ": " + f.Text + "\n"
	}
	for _, want := range []string{"both kid and x5c", "token endpoint", "at most 120 s", "scope is missing", "undocumented claims sub"} {
		if !strings.Contains(text, want) {
			t.Errorf("findings lack %q:\n%s", want, text)
		}
	}
	if r.Kind != KindGrant {
		t.Fatalf("kind = %s", r.Kind)
	}
}

func TestStatusAndRelative(t *testing.T) {
	d, _ := Decode(jwt(`{"alg":"none"}`, `{"exp":1799999000,"consumer":{}}`))
	r := Analyze(d, now, nil)
	if r.Status != StatusExpired || r.Findings[0].Level != Error {
		t.Fatalf("report = %+v", r)
	}
	d, _ = Decode(jwt(`{"alg":"RS256"}`, `{"nbf":1800000100,"exp":1800000200}`))
	if r := Analyze(d, now, nil); r.Status != StatusNotYetValid {
		t.Fatalf("status = %s", r.Status)
	}
	if got := Relative(now.Add(-time.Hour-3*time.Minute), now); got != "1h 3m ago" {
		t.Fatalf("Relative = %q", got)
	}
}

func FuzzDecodeAnalyze(f *testing.F) {
	f.Add(jwt(`{"alg":"RS256","kid":"k"}`, `{"iss":"https://test.maskinporten.no/","exp":1,"consumer":{"ID":"0192:974761076"},"authorization_details":[{"type":"urn:altinn:systemuser","systemuser_id":["x"]}]}`))
	f.Add(jwt(`{"alg":"RS256","x5c":[1]}`, `{"aud":"https://maskinporten.no/","iat":1e300,"exp":"x"}`))
	f.Add("Bearer a.b.c")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Decode(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		_ = Analyze(d, now, nil)
	})
}

func TestCompareClaimByClaim(t *testing.T) {
	a, _ := Decode(jwt(`{"alg":"RS256","kid":"k1"}`, `{"iss":"https://test.maskinporten.no/","scope":"a b","iat":1,"exp":2,"consumer":{"authority":"x","ID":"0192:1"}}`))
	b, _ := Decode(jwt(`{"kid":"k2","alg":"RS256"}`, `{"iss":"https://maskinporten.no/","scope":"a   b","iat":5,"exp":6,"pid":"x"}`))
	diffs := Compare(a, b)
	got := map[string]Difference{}
	for _, d := range diffs {
		got[d.Part+"."+d.Name] = d
	}
	if len(diffs) != 8 {
		t.Fatalf("diffs = %+v", diffs)
	}
	if d := got["header.alg"]; !d.Same || d.Note != "" {
		t.Errorf("alg: %+v", d)
	}
	if d := got["header.kid"]; d.Same || d.Note == "" {
		t.Errorf("kid: %+v", d)
	}
	if d := got["claims.iss"]; d.Same || !strings.Contains(d.Note, "environments") {
		t.Errorf("iss: %+v", d)
	}
	if d := got["claims.scope"]; d.Same {
		t.Errorf("scope strings differ: %+v", d)
	}
	if d := got["claims.iat"]; d.Same || d.Note != "" {
		t.Errorf("iat: %+v", d)
	}
	if d := got["claims.consumer"]; d.B != "" || d.Note != "only in the first token" {
		t.Errorf("consumer: %+v", d)
	}
	if d := got["claims.pid"]; d.A != "" || d.Note != "only in the second token" {
		t.Errorf("pid: %+v", d)
	}
}

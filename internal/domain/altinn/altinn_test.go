package altinn

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
)

func TestSeedPageJSONTrailingCommaIsLocated(t *testing.T) {
	data, err := os.ReadFile("testdata/seed-page-system.json")
	if err != nil {
		t.Fatal(err)
	}
	var d SystemDefinition
	err = DecodeStrict(data, &d)
	var je *JSONError
	if !errors.As(err, &je) || je.Line != 7 || je.Column != 39 || !strings.Contains(je.Message, "trailing comma") {
		t.Fatalf("err = %v", err)
	}
}

func TestSeedPageSystemNeedsIsVisibleFalse(t *testing.T) {
	data, _ := os.ReadFile("testdata/seed-page-system.json")
	fixed := strings.ReplaceAll(string(data), "\",\n    },", "\"\n    },")
	var d SystemDefinition
	if err := DecodeStrict([]byte(fixed), &d); err != nil {
		t.Fatal(err)
	}
	v := ValidateSystemCreate(d, accesspackages.Embedded(), nil)
	if len(v) != 1 || v[0].Code != "AUTH.VLD-00018" || v[0].Field != "isVisible" {
		t.Fatalf("violations = %+v", v)
	}
	f := false
	d.IsVisible = &f
	if v := ValidateSystemCreate(d, accesspackages.Embedded(), nil); len(v) != 0 {
		t.Fatalf("fixed system still invalid: %+v", v)
	}
}

func TestValidateSystemCreateRules(t *testing.T) {
	cat := accesspackages.Embedded()
	d := SystemDefinition{
		ID: "123456789 x", Vendor: VendorRef{ID: "0192:974761076"},
		AccessPackages:      []PackageRef{{URN: "urn:altinn:accesspackage:skattnaering"}, {URN: "bad"}, {URN: "urn:altinn:accesspackage:eksplisitt"}, {URN: "urn:altinn:accesspackage:skattegrunnlag"}, {URN: "urn:altinn:accesspackage:skattegrunnlag"}},
		Rights:              []Right{NewResourceRight("a"), NewResourceRight("a"), {Resource: []AttributePair{{ID: "urn:altinn:app", Value: "x"}}}},
		AllowedRedirectURLs: []string{"http://x.no/cb", "https://ok.no/cb", "/relative"},
	}
	got := map[Code]Violation{}
	for _, v := range ValidateSystemCreate(d, cat, nil) {
		got[v.Code] = v
	}
	for _, code := range []Code{"AUTH.VLD-00013", "AUTH.VLD-00001", "AUTH.VLD-00005", "AUTH.VLD-00009", "AUTH.VLD-00006", "AUTH.VLD-00008", "AUTH.VLD-00007"} {
		if _, ok := got[code]; !ok {
			t.Errorf("missing %s in %+v", code, got)
		}
	}
	ext := got["AUTH.VLD-00008"].Extensions[InvalidUrnDetailsKey]
	if !strings.Contains(ext, "Invalid format: bad") || !strings.Contains(ext, "Not found: urn:altinn:accesspackage:skattnaering") || !strings.Contains(ext, "Not possible to delegate: urn:altinn:accesspackage:eksplisitt") {
		t.Fatalf("00008 details = %q", ext)
	}
	if !strings.Contains(got["AUTH.VLD-00008"].Message, "skatt-naering") {
		t.Fatalf("no suggestion: %q", got["AUTH.VLD-00008"].Message)
	}
	// A bad vendor prefix is reported alone by the server; the local check reports it with the
	// rest (all but the id's organisation number, which needs the vendor).
	d.Vendor.ID = "9908:974761076"
	if v := ValidateSystemCreate(d, cat, nil); len(v) != 1 || v[0].Code != "AUTH.VLD-00000" {
		t.Fatalf("vendor prefix: %+v", v)
	}
	local := map[Code]bool{}
	for _, v := range CheckSystemCreate(d, cat, nil) {
		local[v.Code] = true
	}
	for _, code := range []Code{"AUTH.VLD-00000", "AUTH.VLD-00013", "AUTH.VLD-00005", "AUTH.VLD-00009", "AUTH.VLD-00006", "AUTH.VLD-00008", "AUTH.VLD-00007"} {
		if !local[code] {
			t.Errorf("the local check lacks %s: %v", code, local)
		}
	}
	if local["AUTH.VLD-00001"] {
		t.Errorf("the id's prefix was checked against no vendor: %v", local)
	}
}

func TestRequestTerms(t *testing.T) {
	cat := accesspackages.Embedded()
	sys := SystemTerms{
		AccessPackages:      []PackageRef{{URN: "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet"}, {URN: "urn:altinn:accesspackage:skattegrunnlag"}},
		Rights:              []Right{NewResourceRight("ske-innrapportering-boligselskap")},
		AllowedRedirectURLs: []string{"https://vendor.no/cb"},
	}
	regn := []PackageRef{{URN: "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet"}}
	cases := []struct {
		name   string
		rights []Right
		pkgs   []PackageRef
		url    string
		agent  bool
		code   string
	}{
		{"ok standard", nil, []PackageRef{{URN: "urn:altinn:accesspackage:skattegrunnlag"}}, "https://vendor.no/cb?state=1", false, ""},
		{"ok agent", nil, regn, "", true, ""},
		{"ok right", []Right{NewResourceRight("ske-innrapportering-boligselskap")}, nil, "", false, ""},
		{"client-only package on standard", nil, regn, "", false, "AUTH-00064"},
		{"package not on system", nil, []PackageRef{{URN: "urn:altinn:accesspackage:a-ordning"}}, "", true, "AUTH-00063"},
		{"agent without packages", nil, []PackageRef{}, "", true, "AUTH-00058"},
		{"standard with nothing", []Right{}, []PackageRef{}, "", false, "AUTH-00059"},
		{"standard with null", nil, nil, "", false, "AUTH-00001"},
		{"unknown right", []Right{NewResourceRight("x")}, nil, "", false, "AUTH-00001"},
		{"redirect path differs", nil, regn, "https://vendor.no/cb/x", true, "AUTH-00021"},
		{"redirect port differs", nil, regn, "https://vendor.no:8443/cb", true, "AUTH-00021"},
	}
	for _, c := range cases {
		v := ValidateRequestTerms(c.rights, c.pkgs, c.url, c.agent, sys, cat)
		got := ""
		if v != nil {
			got = string(v.Code)
		}
		if got != c.code {
			t.Errorf("%s: got %q (%v), want %q", c.name, got, v, c.code)
		}
	}
	if v := ValidateRequestTerms(nil, regn, "https://x.no/", true, SystemTerms{AccessPackages: sys.AccessPackages}, cat); v == nil || v.Code != "AUTH-00026" {
		t.Fatalf("no redirect URLs: %v", v)
	}
	if agent, forcing := SuggestAgent(regn, cat); !agent || forcing[0] != "regnskapsforer-med-signeringsrettighet" {
		t.Fatal("SuggestAgent")
	}
}

func TestProblemJSONExtensionsRoundTrip(t *testing.T) {
	in := `{"type":"urn:altinn:error:AUTH-00063","title":"t","status":400,"code":"AUTH-00063","NotFoundPackages":"urn:a, urn:b","validationErrors":[{"code":"AUTH.VLD-00008","title":"x","paths":["/p"],"Invalid Urn Details : ":"Not found: y"}]}`
	var p ProblemBody
	if err := json.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	if p.Extensions["NotFoundPackages"] != "urn:a, urn:b" || p.ValidationErrors[0].Extensions[InvalidUrnDetailsKey] != "Not found: y" {
		t.Fatalf("extensions = %+v / %+v", p.Extensions, p.ValidationErrors[0].Extensions)
	}
	out, _ := json.Marshal(p)
	var back map[string]any
	_ = json.Unmarshal(out, &back)
	if back["NotFoundPackages"] != "urn:a, urn:b" {
		t.Fatalf("marshal lost the extension: %s", out)
	}
}

func TestConfirmURL(t *testing.T) {
	if got := ConfirmURL("https://am.ui.tt02.altinn.no/", "abc", true); got != "https://am.ui.tt02.altinn.no/accessmanagement/ui/systemuser/agentrequest?id=abc&DONTCHOOSEREPORTEE=true" {
		t.Fatal(got)
	}
	if NormalizeURL("https://altinn.no") != "https://altinn.no/" {
		t.Fatal("NormalizeURL")
	}
}

func FuzzDecodeSystem(f *testing.F) {
	data, _ := os.ReadFile("testdata/seed-page-system.json")
	f.Add(data)
	f.Add([]byte(`{"id": 5}`))
	cat := accesspackages.Embedded()
	f.Fuzz(func(t *testing.T, b []byte) {
		var d SystemDefinition
		if err := DecodeStrict(b, &d); err == nil {
			_ = ValidateSystemCreate(d, cat, nil)
			_ = LocalSystemChecks(d)
		}
	})
}

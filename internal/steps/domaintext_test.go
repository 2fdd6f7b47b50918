package steps

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/domain/ske"
	"github.com/sbs-tui/sbs-tui/internal/explain"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestDomainTextsSpeakTheUsersLanguage: organisation-number errors and system-registration
// violations read in bokmål from the catalogue, while their English stays the domain's own
// (the sandbox answers with it) byte for byte.
func TestDomainTextsSpeakTheUsersLanguage(t *testing.T) {
	t.Parallel()
	en, nb := i18n.MustNew(i18n.EN), i18n.MustNew(i18n.NB)
	for _, bad := range []string{"12345", "31336700x", "313367003"} {
		err := orgno.Validate(bad)
		var oe *orgno.Error
		if !errors.As(err, &oe) {
			t.Fatalf("orgno.Validate(%q) = %v, want an *orgno.Error", bad, err)
		}
		if got := OrgNoText(en, err); got != err.Error() {
			t.Errorf("English OrgNoText(%q) = %q, want the domain's %q", bad, got, err.Error())
		}
		want := nb.T("domain.orgno."+oe.Rule, "Value", strconv.Quote(bad), "Len", len(bad))
		if got := OrgNoError(nb, err); got.Error() != want || !errors.As(got, &oe) || strings.Contains(want, "organisation") {
			t.Errorf("bokmål OrgNoError(%q) = %q, want %q", bad, got, want)
		}
	}

	d := altinn.SystemDefinition{ID: "bad id", Vendor: altinn.VendorRef{ID: "0192:313367003"}}
	vs := append(altinn.ValidateSystemID("bad id", "313367002"), altinn.ValidateSystemID("x\xff", "313367002")...)
	vs = append(vs, altinn.LocalSystemChecks(d)...)
	for _, bad := range []string{`{"id": "x"} {}`, `{"id": "x",}`, `{"id": 7}`, `{"id": "x"`, `{"id" "x"}`} {
		f := CheckSystemJSON([]byte(bad), nil, nil) // a system file that is not JSON, five ways
		vs = append(vs, f.Problems[0])
	}
	rules := map[string]bool{}
	for _, v := range vs {
		rules[v.Rule] = true
		if v.Rule == "" {
			continue
		}
		if got := ViolationText(en, v); got != v.Error() {
			t.Errorf("English ViolationText(%s) = %q, want the domain's %q", v.Rule, got, v.Error())
		}
		got := ViolationError(nb, v).Error()
		if !nb.Has("domain.violation."+v.Rule) || !strings.Contains(got, ViolationMessage(nb, v)) || strings.Contains(got, v.Message) {
			t.Errorf("bokmål ViolationText(%s) = %q is not the catalogue's", v.Rule, got)
		}
	}
	for _, r := range []string{"id_space", "id_prefix", "id_utf8", "orgno_check_digit", "required", "client_empty", "nothing_to_ask",
		"json_after", "json_trailing_comma", "json_type", "json_eof", "json_syntax"} {
		if !rules[r] {
			t.Errorf("no violation with rule %s", r)
		}
	}
	sp := altinn.ValidateSystemID("bad id", "313367002")[0]
	want := nb.T("domain.violation.with_code", "Field", "id", "Message", nb.T("domain.violation.id_space", "Value", `"bad id"`), "Code", string(sp.Code))
	if got := ViolationText(nb, sp); got != want {
		t.Errorf("bokmål space in the system id: %q, want %q", got, want)
	}
}

// TestSkatteetatenAnswersSpeakTheLanguage: Skatteetaten's error answer keeps its kode and
// melding as sent and gets its meaning, fixes and support line in bokmål; English is ske's.
func TestSkatteetatenAnswersSpeakTheLanguage(t *testing.T) {
	t.Parallel()
	nb := i18n.MustNew(i18n.NB)
	b := ske.ErrorBody{Kode: ske.CodeUnexpected, Melding: "Det var en uventet feil", Korrelasjonsid: "k-1"}
	want := "Skatteetaten DAS-001 (HTTP 500): Det var en uventet feil. " + ske.Problems()[0].Meaning + " Next: " + strings.Join(ske.Problems()[0].Fixes, " ") + " (korrelasjonsid k-1)"
	if got := SkatteetatenText(i18n.English(), b, 500); ske.Problems()[0].Code != ske.CodeUnexpected || got != want {
		t.Errorf("English:\n%q, want\n%q", got, want)
	}
	entry, err := explain.Lookup(ske.CodeUnexpected)
	if err != nil {
		t.Fatal(err)
	}
	entry = explain.Localize(entry, nb)
	got := SkatteetatenText(nb, b, 500)
	for _, want := range []string{"Skatteetaten " + ske.CodeUnexpected + " (HTTP 500): Det var en uventet feil.", entry.Means, "korrelasjonsid k-1"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in %q", want, got)
		}
	}
	if unknown := SkatteetatenText(nb, ske.ErrorBody{Kode: "ZZ-999"}, 400); !strings.Contains(unknown, nb.T("domain.ske.support")) {
		t.Errorf("unknown kode: %q", unknown)
	}
}

// TestListViolationsSpeakTheLanguage: the violations that name a list (twice-listed client
// ids and packages, redirect URLs that are not https, client-only packages on a visible
// system) keep the domain's English and read in bokmål from the catalogue.
func TestListViolationsSpeakTheLanguage(t *testing.T) {
	t.Parallel()
	en, nb := i18n.English(), i18n.MustNew(i18n.NB)
	cat := accesspackages.Embedded()
	var clientOnly string
	for _, p := range cat.All() {
		if !p.IsAssignable && p.IsDelegable {
			clientOnly = p.URN
			break
		}
	}
	vs := []altinn.Violation{*altinn.ValidateRedirectURLs([]string{"http://x.example/cb"})}
	vs = append(vs, altinn.ValidatePackages([]altinn.PackageRef{{URN: clientOnly}, {URN: clientOnly}}, true, cat)...)
	d := altinn.SystemDefinition{ID: "313367002_x", Vendor: altinn.VendorRef{ID: "0192:313367002"}, ClientID: []string{"a", "a"}}
	vs = append(vs, altinn.ValidateSystemUpdate(d, cat, nil)...)
	seen := map[string]bool{}
	for _, v := range vs {
		if v.Rule == "" {
			continue
		}
		seen[v.Rule] = true
		if got := ViolationMessage(en, v); got != v.Message {
			t.Errorf("%s: English %q, domain %q", v.Rule, got, v.Message)
		}
		if got := ViolationMessage(nb, v); got == v.Message || !strings.Contains(got, v.Want) {
			t.Errorf("%s: bokmål %q", v.Rule, got)
		}
	}
	for _, r := range []string{"redirect_format", "listed_twice", "client_only_visible"} {
		if !seen[r] {
			t.Errorf("no violation with rule %s among %v", r, vs)
		}
	}
}

// TestRequestViolationsSpeakTheLanguage: every rule a customer request breaks locally (step 5,
// request create, a customers file) keeps the domain's English, which the sandbox answers
// with, and reads in bokmål and nynorsk from the catalogue. A rule without a text in the
// catalogue would leave a Norwegian user reading English.
func TestRequestViolationsSpeakTheLanguage(t *testing.T) {
	t.Parallel()
	cat := accesspackages.Embedded()
	var clientOnly, assignable string
	for _, p := range cat.All() {
		switch {
		case p.ClientOnly() && clientOnly == "":
			clientOnly = p.URN
		case p.IsAssignable && !p.IsDelegable && assignable == "":
			assignable = p.URN
		}
	}
	pkgs := func(urns ...string) []altinn.PackageRef {
		out := []altinn.PackageRef{}
		for _, u := range urns {
			out = append(out, altinn.PackageRef{URN: u})
		}
		return out
	}
	vendor := altinn.ValidateSystemCreate(altinn.SystemDefinition{ID: "x", Vendor: altinn.VendorRef{ID: "974761076"}}, cat, nil)
	if len(vendor) != 1 {
		t.Fatalf("a vendor without 0192: gives %v, want the one prefix violation", vendor)
	}
	right := altinn.NewResourceRight("ske-innrapportering-boligselskap")
	other := altinn.NewResourceRight("ske-innrapportering-amelding")
	sys := altinn.SystemTerms{Rights: []altinn.Right{right}, AccessPackages: pkgs(clientOnly, assignable), AllowedRedirectURLs: []string{"https://vendor.example/cb"}}
	cases := []struct {
		rule string
		v    *altinn.Violation
	}{
		{"agent_needs_package", altinn.ValidateRequestTerms(nil, nil, "", true, sys, cat)},
		{"standard_needs_any", altinn.ValidateRequestTerms(nil, nil, "", false, sys, cat)},
		{"nothing_requested", altinn.ValidateRequestTerms([]altinn.Right{}, pkgs(), "", false, sys, cat)},
		{"more_rights", altinn.ValidateRequestTerms([]altinn.Right{right, other}, nil, "", false, sys, cat)},
		{"right_not_on_system", altinn.ValidateRequestTerms([]altinn.Right{other}, nil, "", false, sys, cat)},
		{"no_redirects", altinn.ValidateRedirect("https://vendor.example/cb", nil)},
		{"redirect_relative", altinn.ValidateRedirect("/cb", sys.AllowedRedirectURLs)},
		{"redirect_no_match", altinn.ValidateRedirect("https://evil.example/cb", sys.AllowedRedirectURLs)},
		{"more_packages", altinn.ValidateRequestTerms(nil, pkgs(clientOnly, assignable, clientOnly), "", true, sys, cat)},
		{"package_not_on_system", altinn.ValidateRequestTerms(nil, pkgs("urn:altinn:accesspackage:ikke-registrert"), "", true, sys, cat)},
		{"package_not_for_clients", altinn.ValidateRequestTerms(nil, pkgs(assignable), "", true, sys, cat)},
		{"package_client_only", altinn.ValidateRequestTerms(nil, pkgs(clientOnly), "", false, sys, cat)},
		{"vendor_prefix", &vendor[0]},
	}
	en, nb, nn := i18n.English(), i18n.MustNew(i18n.NB), i18n.MustNew(i18n.NN)
	for _, c := range cases {
		if c.v == nil || c.v.Rule != c.rule {
			t.Errorf("%s: got %+v", c.rule, c.v)
			continue
		}
		if got := ViolationMessage(en, *c.v); got != c.v.Message {
			t.Errorf("%s: English %q, domain %q", c.rule, got, c.v.Message)
		}
		for _, p := range []*i18n.Printer{nb, nn} {
			got := ViolationMessage(p, *c.v)
			if !p.Has("domain.violation."+c.rule) || got == c.v.Message || !strings.Contains(got, c.v.Want) {
				t.Errorf("%s: %q is not the catalogue's", c.rule, got)
			}
		}
	}
}

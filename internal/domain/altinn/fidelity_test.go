package altinn

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
)

// The tests in this file each mirror a line range of Altinn/altinn-authentication at
// ad4f6f3671c0ba40bf923003688f5949c6a89aa2 (rows of ../shared/spec/altinn-fidelity.md).

// Row 5: SystemUserService.cs:691 compares package URNs as exact strings, and :681 refuses more
// packages than the system has. A bare code or a padded URN is not on the system.
func TestRequestPackagesMatchExactly_SystemUserServiceCs691(t *testing.T) {
	cat := accesspackages.Embedded()
	sys := SystemTerms{AccessPackages: []PackageRef{{URN: "urn:altinn:accesspackage:skattegrunnlag"}}}
	for _, urn := range []string{"skattegrunnlag", " urn:altinn:accesspackage:skattegrunnlag", "URN:altinn:accesspackage:skattegrunnlag"} {
		v := ValidateRequestTerms(nil, []PackageRef{{URN: urn}}, "", false, sys, cat)
		if v == nil || v.Code != "AUTH-00063" || v.Extensions["NotFoundPackages"] != urn {
			t.Errorf("%q: %+v, want AUTH-00063 naming it", urn, v)
		}
	}
	// Count check first: two requested, one on the system, no NotFoundPackages extension.
	two := []PackageRef{{URN: "urn:altinn:accesspackage:skattegrunnlag"}, {URN: "urn:altinn:accesspackage:skattegrunnlag"}}
	if v := ValidateRequestTerms(nil, two, "", false, sys, cat); v == nil || v.Code != "AUTH-00063" || v.Extensions != nil {
		t.Errorf("count check: %+v", v)
	}
	if v := ValidateRequestTerms(nil, sys.AccessPackages, "", false, sys, cat); v != nil {
		t.Errorf("exact URN refused: %v", v)
	}
}

// Row 10: SystemUserService.cs:643-679 and :778-808 match rights by resource attributes only:
// action and attribute order are ignored, the attribute count must match, and more rights than
// the system has fail at once.
func TestRequestRightsMatchResourceAttributes_SystemUserServiceCs643(t *testing.T) {
	cat := accesspackages.Embedded()
	two := Right{Action: "read", Resource: []AttributePair{{ID: ResourceAttribute, Value: "a"}, {ID: "urn:altinn:subresource", Value: "b"}}}
	sys := SystemTerms{Rights: []Right{two, NewResourceRight("c")}}
	swapped := Right{Action: "write", Resource: []AttributePair{two.Resource[1], two.Resource[0]}}
	withAction := NewResourceRight("c")
	withAction.Action = "sign"
	if v := ValidateRequestTerms([]Right{swapped, withAction}, nil, "", false, sys, cat); v != nil {
		t.Fatalf("action/order should be ignored: %v", v)
	}
	partial := Right{Resource: two.Resource[:1]}
	if v := ValidateRequestTerms([]Right{partial}, nil, "", false, sys, cat); v == nil || v.Code != "AUTH-00001" {
		t.Fatalf("fewer attributes matched: %v", v)
	}
	three := []Right{NewResourceRight("c"), NewResourceRight("c"), NewResourceRight("c")}
	if v := ValidateRequestTerms(three, nil, "", false, sys, cat); v == nil || v.Code != "AUTH-00001" || !strings.Contains(v.Message, "more rights") {
		t.Fatalf("count check: %v", v)
	}
}

// Row 5 (agent side): SystemUserService.cs:703-715: a package the catalog does not return is
// "not delegable" (package is null), not accepted.
func TestRequestUnknownPackageIsNotDelegable_SystemUserServiceCs703(t *testing.T) {
	cat := accesspackages.Embedded()
	sys := SystemTerms{AccessPackages: []PackageRef{{URN: "urn:altinn:accesspackage:no-such-package"}}}
	if v := ValidateRequestTerms(nil, sys.AccessPackages, "", true, sys, cat); v == nil || v.Code != "AUTH-00065" {
		t.Fatalf("got %v, want AUTH-00065", v)
	}
}

// Row 13: SystemRegisterService.cs:240-248 puts a package with neither flag in both lists, so
// a visible system gets AUTH.VLD-00008 and AUTH.VLD-00018; an empty resource list passes
// (SystemRegisterService.cs:162-182 loops over nothing).
func TestValidationEntriesPerRule_SystemRegisterServiceCs240(t *testing.T) {
	cat := accesspackages.Embedded()
	vs := ValidatePackages([]PackageRef{{URN: "urn:altinn:accesspackage:eksplisitt"}}, true, cat)
	codes := []string{}
	for _, v := range vs {
		codes = append(codes, string(v.Code))
	}
	if strings.Join(codes, ",") != "AUTH.VLD-00008,AUTH.VLD-00018" {
		t.Fatalf("codes = %v", codes)
	}
	if vs := ValidateRights([]Right{{Resource: []AttributePair{}}}, nil); len(vs) != 0 {
		t.Fatalf("empty resource: %+v", vs)
	}
}

// Row 14: SystemRegisterController.cs:475-477,644 list the resource values joined with " | ".
func TestRightsExtensionListsValues_SystemRegisterControllerCs644(t *testing.T) {
	rights := []Right{{Resource: []AttributePair{{ID: "urn:altinn:app", Value: "x"}}}, {Resource: []AttributePair{{ID: "urn:x", Value: "y"}}}}
	vs := ValidateRights(rights, nil)
	if len(vs) != 1 || vs[0].Extensions["Invalid Resource Id Details : "] != "x | y" {
		t.Fatalf("%+v", vs)
	}
}

// Row 13: SystemRegisterController.cs:550-565 adds one AUTH.VLD-00004 per conflicting client id
// on update; create asks once (SystemRegisterController.cs:597-602).
func TestClientIDConflictsPerID_SystemRegisterControllerCs550(t *testing.T) {
	reg := fakeRegistry{owners: map[string]string{"a": "974761076_other", "b": "974761076_other"}}
	d := SystemDefinition{ID: "974761076_x", Vendor: VendorRef{ID: "0192:974761076"}, ClientID: []string{"a", "b"}}
	cat := accesspackages.Embedded()
	if n := countCode(ValidateSystemUpdate(d, cat, reg), "AUTH.VLD-00004"); n != 2 {
		t.Errorf("update: %d VLD-00004, want 2", n)
	}
	if n := countCode(ValidateSystemCreate(d, cat, reg), "AUTH.VLD-00004"); n != 1 {
		t.Errorf("create: %d VLD-00004, want 1", n)
	}
}

// Row 6: a duplicate client id in a create body is not validated (the server answers 409 from
// the primary key, SystemRegisterController.cs:326-327), so the local check must not claim
// VLD-00011, yet still block.
func TestLocalDuplicateClientIDNote_SystemRegisterControllerCs326(t *testing.T) {
	d := SystemDefinition{ID: "974761076_x", Vendor: VendorRef{ID: "0192:974761076"}, ClientID: []string{"c", "c"}}
	if n := countCode(ValidateSystemCreate(d, accesspackages.Embedded(), nil), "AUTH.VLD-00011"); n != 0 {
		t.Fatal("create rules must not report VLD-00011")
	}
	var found *Violation
	for _, v := range LocalSystemChecks(d) {
		if v.Field == "clientId" && strings.Contains(v.Message, "more than once") {
			v := v
			found = &v
		}
	}
	if found == nil || found.Code != "" || !found.Blocking || !strings.Contains(found.Message, "409") {
		t.Fatalf("local check = %+v", found)
	}
}

// Row 8: titles are Problem.cs / ValidationErrors.cs verbatim.
func TestTitlesAreVerbatim_ProblemCs(t *testing.T) {
	want := map[string]string{
		"AUTH-00011":     "The Id does not refer to a Registered System.",
		"AUTH-00004":     "Failed to create new SystemUser, existing SystemUser tied to the given System-Id.",
		"AUTH-00012":     "An error occured when storing the Request.",
		"AUTH-00064":     "One or more access packages cannot be delegated. Either they are intended for clients or they cannot be delegated further.",
		"AUTH.VLD-00000": "the org number identifier is not valid ISO6523 identifier",
		"AUTH.VLD-00004": "One of the client id is already tagged with an existing system",
		"AUTH.VLD-00008": "One or all the accesspackage(s) is not found in altinn's access packages or is not delegable",
		"AUTH.VLD-00011": "Request contains duplicate client ids",
		"AUTH.VLD-00013": "System ID cannot have spaces in id (leading, trailing or in between the id)",
	}
	for code, title := range want {
		if p := MustProblem(Code(code)); p.Title != title {
			t.Errorf("%s: %q, want %q", code, p.Title, title)
		}
	}
}

type fakeRegistry struct{ owners map[string]string }

func (f fakeRegistry) SystemExists(string) bool { return false }
func (f fakeRegistry) ClientIDOwner(id string) (string, bool) {
	o, ok := f.owners[id]
	return o, ok
}
func (f fakeRegistry) Resource(string) (string, bool) { return "", false }

func countCode(vs []Violation, code string) int {
	n := 0
	for _, v := range vs {
		if string(v.Code) == code {
			n++
		}
	}
	return n
}

// An id that is only the vendor's prefix ("974761076_") passes the server's rule (only the part
// before the underscore is checked), so the local check warns rather than blocks.
func TestLocalIDWithoutName(t *testing.T) {
	d := SystemDefinition{ID: "974761076_", Vendor: VendorRef{ID: "0192:974761076"}, Name: map[string]string{"nb": "x"}, Description: map[string]string{"nb": "x"}, ClientID: []string{"c"}}
	if vs := ValidateSystemID(d.ID, "974761076"); len(vs) != 0 {
		t.Fatalf("server rule: %+v", vs)
	}
	var found []Violation
	for _, v := range LocalSystemChecks(d) {
		if v.Rule == "id_no_name" {
			found = append(found, v)
		}
	}
	if len(found) != 1 || found[0].Blocking || found[0].Code != "" || found[0].Field != "id" || found[0].Want != "974761076" {
		t.Fatalf("local checks: %+v", found)
	}
	d.ID = "974761076_demo"
	for _, v := range LocalSystemChecks(d) {
		if v.Rule == "id_no_name" {
			t.Fatalf("a named id warned: %+v", v)
		}
	}
}

// An id that repeats the vendor's number (typed over the form's prefilled "974761076_") passes
// the server's rule too; the local check warns and names the id that was meant.
func TestLocalIDWithTheOrgNumberTwice(t *testing.T) {
	d := SystemDefinition{ID: "974761076_974761076_demo", Vendor: VendorRef{ID: "0192:974761076"}, Name: map[string]string{"nb": "x"}, Description: map[string]string{"nb": "x"}, ClientID: []string{"c"}}
	if vs := ValidateSystemID(d.ID, "974761076"); len(vs) != 0 {
		t.Fatalf("server rule: %+v", vs)
	}
	rules := func() map[string]Violation {
		out := map[string]Violation{}
		for _, v := range LocalSystemChecks(d) {
			out[v.Rule] = v
		}
		return out
	}
	if v, ok := rules()["id_org_twice"]; !ok || v.Blocking || v.Want != "974761076_demo" {
		t.Fatalf("local checks: %+v", rules())
	}
	for _, id := range []string{"974761076_demo", "974761076_9747610761", "974761076_demo_974761076_x"} {
		d.ID = id
		if v, ok := rules()["id_org_twice"]; ok {
			t.Fatalf("%s warned: %+v", id, v)
		}
	}
}

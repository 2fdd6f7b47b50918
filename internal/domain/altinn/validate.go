package altinn

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
)

// Violation is one broken rule: the field, what is wrong, and the server code it prevents
// ("" for rules only this tool checks).
type Violation struct {
	Code       Code              `json:"code,omitempty"`
	Field      string            `json:"field"`
	Message    string            `json:"message"`
	Extensions map[string]string `json:"extensions,omitempty"`
	// Blocking marks a local check (no Code) that the server would refuse in another way
	// (e.g. a plain 409), so it is a problem rather than a warning.
	Blocking bool `json:"blocking,omitempty"`
	// Rule names a local rule whose Message a display may say in the user's language, with
	// Value and Want as its data ("" when the Message is said as it is). Never in JSON: the
	// sandbox answers with Message, as Altinn does.
	Rule        string `json:"-"`
	Value, Want string `json:"-"`
}

func (v Violation) Error() string {
	if v.Code == "" {
		return v.Field + ": " + v.Message
	}
	return fmt.Sprintf("%s: %s (the server would answer %s)", v.Field, v.Message, v.Code)
}

// Registry gives the facts only the server has. Local validation passes nil.
type Registry interface {
	SystemExists(id string) bool
	// ClientIDOwner returns the non-deleted system a client id is attached to.
	ClientIDOwner(clientID string) (systemID string, ok bool)
	// Resource returns a resource's type from the Resource Registry.
	Resource(id string) (resourceType string, ok bool)
}

// DelegableResourceTypes are the resource types a system's rights may name.
var DelegableResourceTypes = map[string]bool{
	"AltinnApp": true, "Systemresource": true, "Default": true, "CorrespondenceService": true,
	"BrokerService": true, "GenericAccessResource": true, "MigratedApp": true,
}

// InvalidUrnDetailsKey is the (oddly named) extension key of AUTH.VLD-00008.
const InvalidUrnDetailsKey = "Invalid Urn Details : "

// ValidateSystemCreate applies the system register's create rules in the server's order: a bad
// vendor prefix alone first (AUTH.VLD-00000), then everything else collected together.
func ValidateSystemCreate(d SystemDefinition, cat *accesspackages.Catalog, reg Registry) []Violation {
	if d.Vendor.OrgNo() == "" {
		return []Violation{vendorPrefixViolation(d)}
	}
	return systemCreateRules(d, cat, reg)
}

// CheckSystemCreate is every create rule at once, for checking a definition before it is sent:
// a bad vendor prefix comes with the rest, which the server would report only once the prefix
// is fixed (one round of fixes, not two). The id's organisation-number prefix needs the vendor,
// so it is checked once the vendor is right.
func CheckSystemCreate(d SystemDefinition, cat *accesspackages.Catalog, reg Registry) []Violation {
	if d.Vendor.OrgNo() == "" {
		return append([]Violation{vendorPrefixViolation(d)}, systemCreateRules(d, cat, reg)...)
	}
	return systemCreateRules(d, cat, reg)
}

func vendorPrefixViolation(d SystemDefinition) Violation {
	return Violation{Code: CodeVldVendorOrgInvalid, Field: "vendor.ID", Rule: "vendor_prefix", Value: d.Vendor.ID,
		Message: fmt.Sprintf("%q must be \"0192:<organisation number>\"", d.Vendor.ID)}
}

// systemCreateRules are the create rules after the vendor prefix.
func systemCreateRules(d SystemDefinition, cat *accesspackages.Catalog, reg Registry) []Violation {
	out := ValidateSystemID(d.ID, d.Vendor.OrgNo())
	if reg != nil && reg.SystemExists(d.ID) {
		out = append(out, Violation{Code: CodeVldSystemExists, Field: "id", Rule: "system_exists", Value: d.ID, Message: fmt.Sprintf("system %q already exists (ids of deleted systems stay reserved)", d.ID)})
	}
	if v := ValidateRedirectURLs(d.AllowedRedirectURLs); v != nil {
		out = append(out, *v)
	}
	if reg != nil {
		out = append(out, attachedClientIDs(d.ClientID, "", reg, false)...)
	}
	out = append(out, ValidateRights(d.Rights, reg)...)
	out = append(out, ValidatePackages(d.AccessPackages, d.Visible(), cat)...)
	return out
}

// ValidateSystemUpdate applies the full-update rules that the server re-checks: rights,
// packages (with the body's isVisible) and client ids. The caller checks ownership, the vendor
// and the id first.
func ValidateSystemUpdate(d SystemDefinition, cat *accesspackages.Catalog, reg Registry) []Violation {
	out := ValidateRights(d.Rights, reg)
	out = append(out, ValidatePackages(d.AccessPackages, d.Visible(), cat)...)
	if dup := duplicates(d.ClientID, strings.ToLower); len(dup) > 0 {
		out = append(out, Violation{Code: CodeVldDuplicateClientID, Field: "clientId", Rule: "listed_twice", Want: strings.Join(dup, ", "), Message: "listed more than once: " + strings.Join(dup, ", ")})
	}
	if reg != nil {
		out = append(out, attachedClientIDs(d.ClientID, d.ID, reg, true)...)
	}
	return out
}

// attachedClientIDs reports client ids attached to another system. On create the server asks
// once whether any of them exists (one AUTH.VLD-00004, SystemRegisterController.cs:597-602); on
// update it adds one AUTH.VLD-00004 per conflicting id (SystemRegisterController.cs:550-565).
func attachedClientIDs(ids []string, self string, reg Registry, perID bool) []Violation {
	var taken []string
	var out []Violation
	for _, id := range ids {
		if owner, ok := reg.ClientIDOwner(id); ok && owner != self {
			taken = append(taken, fmt.Sprintf("%s (used by %s)", id, owner))
			if perID {
				out = append(out, Violation{Code: CodeVldClientIDTaken, Field: "clientId", Message: fmt.Sprintf("%s is already attached to another system (%s)", id, owner)})
			}
		}
	}
	if perID || len(taken) == 0 {
		return out
	}
	return []Violation{{Code: CodeVldClientIDTaken, Field: "clientId", Rule: "client_taken", Want: strings.Join(taken, ", "), Message: "already attached to another system: " + strings.Join(taken, ", ")}}
}

// ValidateSystemID applies the id's format rules: no spaces (00013), and the vendor's
// organisation number before the first underscore (00001; not checked without a vendor).
func ValidateSystemID(id, vendorOrg string) []Violation {
	var out []Violation
	if !utf8.ValidString(id) {
		// Refused before anything stores it; reported under the format rule's code.
		return []Violation{{Code: CodeVldSystemIDSpaces, Field: "id", Message: fmt.Sprintf("%q is not valid UTF-8", id), Rule: "id_utf8", Value: id}}
	}
	if strings.Contains(id, " ") {
		out = append(out, Violation{Code: CodeVldSystemIDSpaces, Field: "id", Message: fmt.Sprintf("%q contains a space", id), Rule: "id_space", Value: id})
	}
	if prefix, _, _ := strings.Cut(id, "_"); vendorOrg != "" && prefix != vendorOrg {
		out = append(out, Violation{Code: CodeVldSystemIDFormat, Field: "id",
			Message: fmt.Sprintf("%q must start with the vendor's organisation number and an underscore: %s_<name>", id, vendorOrg),
			Rule:    "id_prefix", Value: id, Want: vendorOrg})
	}
	return out
}

// ValidateRedirectURLs reports allowed redirect URLs that are not absolute https (00005).
func ValidateRedirectURLs(urls []string) *Violation {
	bad := badRedirectURLs(urls)
	if len(bad) == 0 {
		return nil
	}
	return &Violation{Code: CodeVldRedirectFormat, Field: "allowedRedirectUrls", Rule: "redirect_format", Want: strings.Join(bad, ", "), Message: "not absolute https URLs: " + strings.Join(bad, ", ")}
}

func badRedirectURLs(urls []string) []string {
	var bad []string
	for _, u := range urls {
		p, err := url.Parse(u)
		if err != nil || !p.IsAbs() || p.Scheme != "https" || p.Host == "" {
			bad = append(bad, u)
		}
	}
	return bad
}

// ValidateRights checks rights the way SystemRegisterController.ValidateRights and
// SystemRegisterService.GetInvalidResourceIdsDetailed do (SystemRegisterController.cs:468-486,
// SystemRegisterService.cs:154-184): per attribute, an id other than urn:altinn:resource
// (00009), a resource not in the Resource Registry when reg is given (00003), or of a type that
// cannot be delegated (00017); each extension lists the resource values joined with " | ". A
// right with no attributes passes. Identical rights (action and attributes in order) give 00006.
func ValidateRights(rights []Right, reg Registry) []Violation {
	var out []Violation
	var badAttr, notFound, notDelegable []string
	var badDesc, notDelegableDesc []string
	for i, r := range rights {
		for _, a := range r.Resource {
			if a.ID != ResourceAttribute {
				badAttr = append(badAttr, a.Value)
				badDesc = append(badDesc, fmt.Sprintf("rights[%d] attribute id %q", i, a.ID))
				continue
			}
			if reg == nil {
				continue
			}
			typ, ok := reg.Resource(a.Value)
			switch {
			case !ok:
				notFound = append(notFound, a.Value)
			case !DelegableResourceTypes[typ]:
				notDelegable = append(notDelegable, a.Value)
				notDelegableDesc = append(notDelegableDesc, fmt.Sprintf("%s (%s)", a.Value, typ))
			}
		}
	}
	if len(badAttr) > 0 {
		out = append(out, Violation{Code: CodeVldResourceFormat, Field: "rights", Message: "attribute id must be " + ResourceAttribute + ": " + strings.Join(badDesc, "; "),
			Extensions: map[string]string{"Invalid Resource Id Details : ": strings.Join(badAttr, " | ")}})
	}
	if len(notFound) > 0 {
		out = append(out, Violation{Code: CodeVldRightNotFound, Field: "rights", Rule: "right_not_found", Want: strings.Join(notFound, ", "), Message: "not in the Resource Registry: " + strings.Join(notFound, ", "),
			Extensions: map[string]string{"ResourceIds Not Found : ": strings.Join(notFound, " | ")}})
	}
	if len(notDelegable) > 0 {
		out = append(out, Violation{Code: CodeVldRightNotDelegable, Field: "rights", Rule: "right_not_delegable", Want: strings.Join(notDelegableDesc, ", "), Message: "not of a delegable resource type: " + strings.Join(notDelegableDesc, ", "),
			Extensions: map[string]string{"ResourceIds Not Delegable : ": strings.Join(notDelegable, " | ")}})
	}
	keys := make([]string, len(rights))
	for i, r := range rights {
		keys[i] = r.Key()
	}
	if dup := duplicates(keys, nil); len(dup) > 0 {
		out = append(out, Violation{Code: CodeVldDuplicateRight, Field: "rights", Message: "the same right is listed more than once", Rule: "right_twice"})
	}
	return out
}

// ValidatePackages checks access packages against the catalog: format, existence and usability
// folded into one AUTH.VLD-00008, duplicates (00007), and a visible system with a
// non-assignable package (00018), as SystemRegisterController.ValidateAccessPackages does
// (SystemRegisterController.cs:488-531).
func ValidatePackages(pkgs []PackageRef, visible bool, cat *accesspackages.Catalog) []Violation {
	var out []Violation
	var format, notFound, notUsable, clientOnly []string
	var urns []string
	for _, p := range pkgs {
		urns = append(urns, p.URN)
		if p.URN == "" || len(strings.Split(p.URN, ":")) < 4 {
			format = append(format, p.URN)
			continue
		}
		pkg, ok := cat.Lookup(p.URN)
		if !ok {
			notFound = append(notFound, p.URN)
			continue
		}
		// A package with neither flag is both "not possible to delegate" and non-assignable,
		// so a visible system gets 00008 and 00018 (SystemRegisterService.cs:240-248).
		if !pkg.Usable() {
			notUsable = append(notUsable, p.URN)
		}
		if !pkg.IsAssignable {
			clientOnly = append(clientOnly, p.URN)
		}
	}
	var details []string
	if len(format) > 0 {
		details = append(details, "Invalid format: "+strings.Join(format, ", "))
	}
	if len(notFound) > 0 {
		details = append(details, "Not found: "+strings.Join(notFound, ", "))
	}
	if len(notUsable) > 0 {
		details = append(details, "Not possible to delegate: "+strings.Join(notUsable, ", "))
	}
	if len(details) > 0 {
		msg := strings.Join(details, " | ")
		for _, nf := range notFound {
			if s := cat.Suggest(nf, 2); len(s) > 0 {
				msg += fmt.Sprintf(" (did you mean %s for %s?)", strings.Join(s, " or "), nf)
			}
		}
		out = append(out, Violation{Code: CodeVldPackageNotFound, Field: "accessPackages", Message: msg,
			Extensions: map[string]string{InvalidUrnDetailsKey: strings.Join(details, " | ")}})
	}
	if dup := duplicates(urns, nil); len(dup) > 0 {
		out = append(out, Violation{Code: CodeVldDuplicatePackage, Field: "accessPackages", Rule: "listed_twice", Want: strings.Join(dup, ", "), Message: "listed more than once: " + strings.Join(dup, ", ")})
	}
	if visible && len(clientOnly) > 0 {
		out = append(out, Violation{Code: CodeVldClientPackageVisible, Field: "isVisible", Rule: "client_only_visible", Want: strings.Join(clientOnly, ", "),
			Message: "must be false: " + strings.Join(clientOnly, ", ") + " can only be used by agent (client) system users"})
	}
	return out
}

// OrgNoViolation is an organisation-number error as a violation of field; it keeps orgno's
// rule and value, so that the text can be said in the user's language.
func OrgNoViolation(field string, err error) Violation {
	v := Violation{Field: field, Message: err.Error()}
	var e *orgno.Error
	if errors.As(err, &e) {
		v.Rule, v.Value = "orgno_"+e.Rule, e.Value
	}
	return v
}

// LocalSystemChecks are rules the server does not enforce (or enforces late) that still cost
// a vendor time: names, the vendor's check digit, lengths, client ids.
func LocalSystemChecks(d SystemDefinition) []Violation {
	var out []Violation
	if no := d.Vendor.OrgNo(); no != "" {
		if err := orgno.Validate(no); err != nil {
			out = append(out, OrgNoViolation("vendor.ID", err))
		}
	}
	if prefix, name, ok := strings.Cut(d.ID, "_"); ok && prefix != "" && name == "" {
		// Altinn takes "974761076_" (only the prefix is checked), but the customer then
		// approves a system with no name in its id.
		out = append(out, Violation{Field: "id", Message: fmt.Sprintf("%q has no name after the underscore: %s_<name>", d.ID, prefix), Rule: "id_no_name", Value: d.ID, Want: prefix})
	}
	if org := d.Vendor.OrgNo(); org != "" && (strings.HasPrefix(d.ID, org+"_"+org+"_") || d.ID == org+"_"+org) {
		// Altinn checks only what stands before the first underscore, so "974761076_974761076_x"
		// passes: typed over the form's prefilled prefix, and never reusable once registered.
		out = append(out, Violation{Field: "id", Message: fmt.Sprintf("%q repeats the organisation number; did you mean %s?", d.ID, strings.TrimPrefix(d.ID, org+"_")),
			Rule: "id_org_twice", Value: d.ID, Want: strings.TrimPrefix(d.ID, org+"_")})
	}
	if len(d.ID) > 255 {
		out = append(out, Violation{Field: "id", Message: "is longer than 255 characters", Rule: "id_long"})
	}
	if d.Name["nb"] == "" {
		out = append(out, Violation{Field: "name.nb", Message: "is required: the customer sees it when approving", Rule: "required"})
	}
	if d.Description["nb"] == "" {
		out = append(out, Violation{Field: "description.nb", Message: "is required: the customer sees it when approving", Rule: "required"})
	}
	// Create does not validate duplicate client ids: the second insert of the same id violates
	// the primary key (case-sensitive) and the server answers 409 "The System already exist:
	// {id}" (SystemRegisterController.cs:326-327). Update compares case-insensitively and answers
	// AUTH.VLD-00011 (SystemRegisterController.cs:540-546).
	if dup := duplicates(d.ClientID, nil); len(dup) > 0 {
		out = append(out, Violation{Field: "clientId", Blocking: true, Message: "listed more than once: " + strings.Join(dup, ", ") +
			" (the server answers 409 \"The System already exist: " + d.ID + "\" on create, AUTH.VLD-00011 on update)"})
	} else if dup := duplicates(d.ClientID, strings.ToLower); len(dup) > 0 {
		out = append(out, Violation{Field: "clientId", Message: "listed more than once, differing only in case: " + strings.Join(dup, ", ") +
			" (an update of the system answers AUTH.VLD-00011)"})
	}
	if len(d.ClientID) == 0 {
		out = append(out, Violation{Field: "clientId", Message: "is empty: without your Maskinporten client id, system-user tokens fail with MP-303", Rule: "client_empty"})
	}
	if len(d.Rights) == 0 && len(d.AccessPackages) == 0 {
		out = append(out, Violation{Field: "accessPackages", Message: "the system lists neither access packages nor rights, so no request can ask for anything", Rule: "nothing_to_ask"})
	}
	return out
}

func duplicates(list []string, norm func(string) string) []string {
	seen := map[string]int{}
	for _, s := range list {
		if norm != nil {
			s = norm(s)
		}
		seen[s]++
	}
	var dup []string
	for s, n := range seen {
		if n > 1 {
			dup = append(dup, s)
		}
	}
	sort.Strings(dup)
	return dup
}

// RedirectMatches reports whether u matches one of allowed the way the server compares:
// scheme, host, port and path exactly; query and fragment ignored.
func RedirectMatches(allowed []string, u string) bool {
	want, err := url.Parse(u)
	if err != nil {
		return false
	}
	for _, a := range allowed {
		got, err := url.Parse(a)
		if err != nil {
			continue
		}
		if strings.EqualFold(got.Scheme, want.Scheme) && strings.EqualFold(got.Hostname(), want.Hostname()) &&
			effectivePort(got) == effectivePort(want) && pathOf(got) == pathOf(want) {
			return true
		}
	}
	return false
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

func pathOf(u *url.URL) string {
	if u.Path == "" {
		return "/"
	}
	return u.Path
}

// NormalizeURL is how .NET's Uri writes a URL back: a bare host gets a trailing slash.
func NormalizeURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return u
	}
	if p.Path == "" {
		p.Path = "/"
	}
	return p.String()
}

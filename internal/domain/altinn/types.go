// Package altinn is the vocabulary of Altinn's system register, system-user request and
// system-user APIs, shared by the client and the sandbox: the JSON shapes, the error-code
// catalogue, and the validation rules the server applies (so that they can be checked before
// a request leaves the machine).
package altinn

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
)

// ResourceAttribute is the only attribute id a right may use.
const ResourceAttribute = "urn:altinn:resource"

// Request statuses, exactly as the server writes them.
const (
	StatusNew      = "New"
	StatusAccepted = "Accepted"
	StatusRejected = "Rejected"
	StatusDenied   = "Denied"
	StatusTimedout = "Timedout"
)

// RequestTimeout is how old a request gets before the server flags it timedOut.
const RequestTimeout = 180 * 24 * time.Hour

// PageSize is the server's page size for vendor lists.
const PageSize = 50

// VendorRef is a system's vendor: only ID is used ("0192:<orgno>").
type VendorRef struct {
	Authority string `json:"authority,omitempty"`
	ID        string `json:"ID"`
}

// OrgNo is the organisation number after "0192:", or "" when the prefix is not 0192.
func (v VendorRef) OrgNo() string {
	pre, rest, ok := strings.Cut(v.ID, ":")
	if !ok || pre != "0192" {
		return ""
	}
	return rest
}

// AttributePair is one attribute of a right's resource.
type AttributePair struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}

// Right is a single service right (resource) a system may ask for.
type Right struct {
	Action   string          `json:"action,omitempty"`
	Resource []AttributePair `json:"resource"`
}

// Key identifies a right for duplicate checks and comparisons.
func (r Right) Key() string {
	parts := []string{r.Action}
	for _, a := range r.Resource {
		parts = append(parts, a.ID+"="+a.Value)
	}
	return strings.Join(parts, "|")
}

// NewResourceRight is the documented one-attribute right for a resource id.
func NewResourceRight(resourceID string) Right {
	return Right{Resource: []AttributePair{{ID: ResourceAttribute, Value: resourceID}}}
}

// PackageRef names an access package.
type PackageRef struct {
	URN string `json:"urn"`
}

// PackageCodes are the packages' codes (their URNs without urn:altinn:accesspackage:).
func PackageCodes(pkgs []PackageRef) []string {
	var out []string
	for _, p := range pkgs {
		out = append(out, strings.TrimPrefix(p.URN, accesspackages.URNPrefix))
	}
	return out
}

// SystemDefinition is the body of system-register create and full update
// (RegisterSystemRequest), the system.json vendors write.
type SystemDefinition struct {
	ID                  string            `json:"id"`
	Vendor              VendorRef         `json:"vendor"`
	Name                map[string]string `json:"name"`
	Description         map[string]string `json:"description"`
	Rights              []Right           `json:"rights"`
	AccessPackages      []PackageRef      `json:"accessPackages"`
	ClientID            []string          `json:"clientId"`
	IsVisible           *bool             `json:"isVisible,omitempty"`
	AllowedRedirectURLs []string          `json:"allowedRedirectUrls"`
}

// MarshalJSON never sends null lists: the server's validation loops over rights and
// allowedRedirectUrls without a null check, so "rights": null answers 500
// (SystemRegisterService.cs:159, AuthenticationHelper.cs:477), and update's client-id merge
// fails on a null clientId. Absent lists are sent as [].
func (d SystemDefinition) MarshalJSON() ([]byte, error) {
	type plain SystemDefinition
	p := plain(d)
	if p.Rights == nil {
		p.Rights = []Right{}
	}
	if p.AccessPackages == nil {
		p.AccessPackages = []PackageRef{}
	}
	if p.ClientID == nil {
		p.ClientID = []string{}
	}
	if p.AllowedRedirectURLs == nil {
		p.AllowedRedirectURLs = []string{}
	}
	return json.Marshal(p)
}

// Visible is isVisible with the server's default (true).
func (d SystemDefinition) Visible() bool { return d.IsVisible == nil || *d.IsVisible }

// RegisteredSystem is GET vendor/{systemId}'s body (RegisteredSystemResponse).
type RegisteredSystem struct {
	ID          string            `json:"id"`
	Vendor      VendorRef         `json:"vendor"`
	Name        map[string]string `json:"name"`
	Description map[string]string `json:"description"`
	// Rights and AccessPackages are sent as [] when empty; the server omits only null.
	Rights              []Right      `json:"rights"`
	AccessPackages      []PackageRef `json:"accessPackages"`
	IsDeleted           bool         `json:"isDeleted"`
	ClientID            []string     `json:"clientId"`
	IsVisible           bool         `json:"isVisible"`
	AllowedRedirectURLs []string     `json:"allowedRedirectUrls"`
}

// SystemSummary is an element of GET vendor (RegisteredSystemDTO): a different shape.
type SystemSummary struct {
	SystemID              string            `json:"systemId"`
	SystemVendorOrgNumber string            `json:"systemVendorOrgNumber"`
	SystemVendorOrgName   string            `json:"systemVendorOrgName"`
	Name                  map[string]string `json:"name"`
	Description           map[string]string `json:"description"`
	Rights                []Right           `json:"rights"`
	AccessPackages        []PackageRef      `json:"accessPackages"`
	IsVisible             bool              `json:"isVisible"`
}

// Succeeded is the body of PUT and DELETE on the system register.
type Succeeded struct {
	Succeeded bool `json:"succeeded"`
}

// CreateRequest is the body of a standard (and, without Rights, agent) system-user request.
type CreateRequest struct {
	SystemID         string       `json:"systemId"`
	PartyOrgNo       string       `json:"partyOrgNo"`
	ExternalRef      string       `json:"externalRef,omitempty"`
	IntegrationTitle string       `json:"integrationTitle,omitempty"`
	Rights           []Right      `json:"rights,omitempty"`
	AccessPackages   []PackageRef `json:"accessPackages,omitempty"`
	RedirectURL      string       `json:"redirectUrl,omitempty"`
}

// Request is a system-user request as the vendor endpoints return it (standard and agent;
// agent responses have no rights).
type Request struct {
	ID               string       `json:"id"`
	IntegrationTitle string       `json:"integrationTitle"`
	ExternalRef      string       `json:"externalRef"`
	SystemID         string       `json:"systemId"`
	PartyOrgNo       string       `json:"partyOrgNo"`
	Rights           []Right      `json:"rights,omitempty"`
	AccessPackages   []PackageRef `json:"accessPackages"`
	Status           string       `json:"status"`
	RedirectURL      string       `json:"redirectUrl,omitempty"`
	ConfirmURL       string       `json:"confirmUrl"`
	Escalated        bool         `json:"escalated"`
	Created          time.Time    `json:"created"`
	TimedOut         bool         `json:"timedOut"`
}

// SystemUser is a system user as the vendor endpoints return it (SystemUserExternalDTO).
type SystemUser struct {
	ID               string    `json:"id"`
	IntegrationTitle string    `json:"integrationTitle"`
	SystemID         string    `json:"systemId"`
	ProductName      string    `json:"productName"`
	ReporteeOrgNo    string    `json:"reporteeOrgNo"`
	Created          time.Time `json:"created"`
	IsDeleted        bool      `json:"isDeleted"`
	SupplierName     string    `json:"supplierName"`
	SupplierOrgno    string    `json:"supplierOrgno"`
	ExternalRef      string    `json:"externalRef"`
	UserType         string    `json:"userType"`
}

// Links holds a page's link to the next one; Next is empty on the last page.
type Links struct {
	Next string `json:"next,omitempty"`
}

// Page is the vendor lists' pagination envelope.
type Page[T any] struct {
	Links Links `json:"links"`
	Data  []T   `json:"data"`
}

// ConfirmURL is where the customer approves a request: uiBase is the approval host
// (https://am.ui.tt02.altinn.no/).
func ConfirmURL(uiBase, id string, agent bool) string {
	page := "request"
	if agent {
		page = "agentrequest"
	}
	return strings.TrimRight(uiBase, "/") + "/accessmanagement/ui/systemuser/" + page + "?id=" + id + "&DONTCHOOSEREPORTEE=true"
}

// StatusNoChangeNeeded is the change-request status for a body that asks for nothing; such a
// change request is not stored.
const StatusNoChangeNeeded = "NoChangeNeeded"

// ChangeRequestBody is the body of POST systemuser/changerequest/vendor
// (ChangeRequestSystemUser): what the system user should gain and lose.
type ChangeRequestBody struct {
	RequiredRights         []Right      `json:"requiredRights"`
	UnwantedRights         []Right      `json:"unwantedRights"`
	RequiredAccessPackages []PackageRef `json:"requiredAccessPackages"`
	UnwantedAccessPackages []PackageRef `json:"unwantedAccessPackages"`
	RedirectURL            string       `json:"redirectUrl,omitempty"`
}

// Empty reports whether the body asks for no change at all.
func (b ChangeRequestBody) Empty() bool {
	return len(b.RequiredRights)+len(b.UnwantedRights)+len(b.RequiredAccessPackages)+len(b.UnwantedAccessPackages) == 0
}

// ChangeRequest is a change request as the vendor endpoints return it (ChangeRequestResponse).
type ChangeRequest struct {
	ID                     string       `json:"id"`
	ExternalRef            string       `json:"externalRef,omitempty"`
	SystemID               string       `json:"systemId"`
	SystemUserID           string       `json:"systemUserId"`
	PartyOrgNo             string       `json:"partyOrgNo"`
	RequiredRights         []Right      `json:"requiredRights"`
	UnwantedRights         []Right      `json:"unwantedRights"`
	RequiredAccessPackages []PackageRef `json:"requiredAccessPackages"`
	UnwantedAccessPackages []PackageRef `json:"unwantedAccessPackages"`
	Status                 string       `json:"status"`
	RedirectURL            string       `json:"redirectUrl,omitempty"`
	ConfirmURL             string       `json:"confirmUrl,omitempty"`
	Created                Time         `json:"created"`
	TimedOut               bool         `json:"timedOut"`
}

// Time is a .NET DateTime on the wire: RFC 3339 when it has a zone, and without one for a
// default (unset) value ("0001-01-01T00:00:00").
type Time struct{ time.Time }

// UnmarshalJSON accepts both forms.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		t.Time = time.Time{}
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			return nil
		}
	}
	return fmt.Errorf("not a date-time: %q", s)
}

// MarshalJSON writes the .NET form: RFC 3339 in UTC, or the zoneless zero value.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte(`"0001-01-01T00:00:00"`), nil
	}
	return []byte(`"` + t.UTC().Format("2006-01-02T15:04:05.999999Z") + `"`), nil
}

// ChangeRequestConfirmURL is where the customer approves a change request.
func ChangeRequestConfirmURL(uiBase, id string) string {
	return strings.TrimRight(uiBase, "/") + "/accessmanagement/ui/systemuser/changerequest?id=" + id + "&DONTCHOOSEREPORTEE=true"
}

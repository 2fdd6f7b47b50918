// Package authorizedparties holds the wire shapes of Altinn Access Management's end-user
// authorized-parties list, as Altinn/altinn-authorization-tmp (f7ff53b) serves it:
// GET {platform}accessmanagement/api/v1/enduser/authorizedparties
// (Altinn.AccessManagement.Api.Enduser/Controllers/AuthorizedPartiesController.cs) →
// PaginatedResult<AuthorizedPartyDto>. With an exchanged system-user token it lists the
// parties the system user may act for: for an agent system user, the clients its facilitator
// added (AS-am; real-services.md §5 #1). The sandbox serves them and the client reads them.
package authorizedparties

// Scope is the end-user-system scope of the endpoint (AuthzConstants.SCOPE_AUTHORIZEDPARTIES_ENDUSERSYSTEM);
// the policy also accepts altinn:portal/enduser, which vendors do not get.
const Scope = "altinn:accessmanagement/authorizedparties"

// PortalScope is the other scope the policy accepts (Altinn's own portal).
const PortalScope = "altinn:portal/enduser"

// Path is the endpoint, relative to the Altinn platform base.
const Path = "accessmanagement/api/v1/enduser/authorizedparties"

// Party types (AuthorizedPartyTypeDto, serialised as strings).
const (
	TypeNone           = "None"
	TypePerson         = "Person"
	TypeOrganization   = "Organization"
	TypeSelfIdentified = "SelfIdentified"
)

// List is PaginatedResult<AuthorizedPartyDto>: {"links":{"next":…},"data":[…]}.
type List struct {
	Links Links   `json:"links"`
	Data  []Party `json:"data"`
}

// Links is PaginatedResultLinks; next is null on the only page the endpoint returns.
type Links struct {
	Next *string `json:"next"`
}

// Party is AuthorizedPartyDto. Access packages are codes (forretningsforer-eiendom), not URNs;
// the lists are filled only when the matching include… query flag is true.
type Party struct {
	PartyUUID                        string     `json:"partyUuid"`
	Name                             string     `json:"name"`
	OrganizationNumber               *string    `json:"organizationNumber"`
	ParentID                         *string    `json:"parentId"`
	PersonID                         *string    `json:"personId"`
	DateOfBirth                      *string    `json:"dateOfBirth"`
	PartyID                          int        `json:"partyId"`
	EmailID                          *string    `json:"emailId"`
	Type                             string     `json:"type"`
	UnitType                         *string    `json:"unitType"`
	IsDeleted                        bool       `json:"isDeleted"`
	OnlyHierarchyElementWithNoAccess bool       `json:"onlyHierarchyElementWithNoAccess"`
	AuthorizedAccessPackages         []string   `json:"authorizedAccessPackages"`
	AuthorizedResources              []string   `json:"authorizedResources"`
	AuthorizedRoles                  []string   `json:"authorizedRoles"`
	AuthorizedInstances              []Instance `json:"authorizedInstances"`
	Subunits                         []Party    `json:"subunits"`
}

// Instance is AuthorizedResourceInstance.
type Instance struct {
	ResourceID  string  `json:"resourceId"`
	InstanceID  string  `json:"instanceId"`
	InstanceRef *string `json:"instanceRef"`
}

// OrgNo is the party's organisation number, or "".
func (p Party) OrgNo() string {
	if p.OrganizationNumber == nil {
		return ""
	}
	return *p.OrganizationNumber
}

package altinn

import "net/http"

// Problem describes one Altinn error code: the server's status and title, and what it means
// for a vendor with the next step to take.
type Problem struct {
	Code    Code
	Status  int
	Title   string // the descriptor text the server sends
	Meaning string
	Fix     string
	// Path is the validation path the server reports (AUTH.VLD codes only).
	Path string
}

// problems is the catalogue of AUTH codes vendors meet and the AUTH.VLD codes of the system
// register. Titles are the descriptor texts, verbatim (typos included), of
// altinn-authentication src/Core/Problems/Problem.cs:17-130 and src/Core/Errors/ValidationErrors.cs:19-128
// at ad4f6f3671c0ba40bf923003688f5949c6a89aa2.
var problems = []Problem{
	{Code: CodeOrgNotResolved, Status: 400, Title: "Can't resolve the Organisation Number from the logged in Reportee PartyId.",
		Meaning: "The customer's organisation number is not in Enhetsregisteret (in TT02: not among the test organisations).",
		Fix:     "Check the organisation number; in TT02 use a synthetic organisation from Tenor."},
	{Code: CodeRightNotDelegable, Status: 400, Title: "One or more Right not found or not delegable.",
		Meaning: "A requested right is not registered on the system, or the request has neither rights nor packages.",
		Fix:     "Request only rights the system lists (sbs-tui system get), or add the right to the system first."},
	{Code: CodeSystemUserExists, Status: 400, Title: "Failed to create new SystemUser, existing SystemUser tied to the given System-Id.",
		Meaning: "The customer already has an active system user for this system and externalRef.",
		Fix:     "Use the existing system user (sbs-tui users list), ask the customer for more with sbs-tui request change (a standard one; an agent system user cannot be changed), or give the new request a different externalRef."},
	{Code: CodeRequestAccepted, Status: 400, Title: "The combination of External Ids refer to an already Accepted SystemUser.",
		Meaning: "A request for this system, customer and externalRef was already accepted.",
		Fix:     "Use the existing system user, or choose another externalRef."},
	{Code: CodeRequestPending, Status: 400, Title: "The combination of External Ids refer to a Pending Request, please reuse or delete.",
		Meaning: "A request for this system, customer and externalRef is waiting for the customer.",
		Fix:     "Send the customer the existing confirmUrl, or delete that request first."},
	{Code: CodeRequestDenied, Status: 400, Title: "The combination of External Ids refer to a Denied Request, please delete and renew the Request.",
		Meaning: "A request for this triple was denied.", Fix: "Delete the old request and create a new one."},
	{Code: CodeRequestRejected, Status: 400, Title: "The combination of External Ids refer to a Rejected Request, please delete and renew the Request.",
		Meaning: "The customer rejected a request for this triple.", Fix: "Delete the old request and create a new one."},
	{Code: CodeRequestNotFound, Status: 404, Title: "The Id does not refer to a Request in our system.",
		Meaning: "No such request (or it was deleted, or it is of the other type: standard vs agent).",
		Fix:     "Check the id, and --agent (for agent requests only)."},
	{Code: CodeSystemNotFound, Status: 404, Title: "The Id does not refer to a Registered System.",
		Meaning: "The system id is unknown in this environment, or it belongs to another vendor.",
		Fix:     "Register the system first (sbs-tui system register), and check the id and --env."},
	{Code: CodeRequestNotStored, Status: 404, Title: "An error occured when storing the Request.",
		Meaning: "The request could not be stored. (Over-long values do not give this code: an externalRef or integrationTitle over 255 characters makes the server answer 500.)",
		Fix:     "Try again; if it persists, report it to Altinn with the traceId."},
	{Code: CodeRequestNotNew, Status: 409, Title: "The Status of the Request is not New.",
		Meaning: "The request was already approved or rejected.", Fix: "Check its status with sbs-tui request status."},
	{Code: CodeSystemUserNotFound, Status: 404, Title: "The SystemUser was not found.",
		Meaning: "No such system user.", Fix: "List the system users with sbs-tui users list."},
	{Code: CodeRedirectInvalid, Status: 400, Title: "The RedirectUri was not found or not valid.",
		Meaning: "redirectUrl does not match any of the system's allowedRedirectUrls (scheme, host, port and path must match exactly).",
		Fix:     "Use one of the system's allowedRedirectUrls, or add the URL to the system."},
	{Code: CodeVendorOrgUnresolved, Status: 401, Title: "Can't resolve the Organisation Number for the Vendor from the Token.",
		Meaning: "The token has no consumer claim.", Fix: "Use a Maskinporten token from your own client."},
	{Code: CodeNoRedirectURLs, Status: 400, Title: "No redirect uris are set for the system",
		Meaning: "A redirectUrl was sent but the system lists no allowedRedirectUrls.",
		Fix:     "Drop redirectUrl, or add allowedRedirectUrls to the system."},
	{Code: CodeAgentRequestNotFound, Status: 404, Title: "The Id does not refer to an AgentRequest in our system.",
		Meaning: "No such agent request.", Fix: "Check the id."},
	{Code: CodeDelegationNotFound, Status: 400, Title: "Delegation not found",
		Meaning: "The client is not added to this agent system user.", Fix: "List its clients (sbs-tui sandbox clients list --agent ID)."},
	{Code: CodeAgentNeedsPackage, Status: 400, Title: "No AccessPackages found, an Agent SystemUser must have at least one",
		Meaning: "Agent system users work through access packages only.", Fix: "Add --package."},
	{Code: CodeNothingRequested, Status: 400, Title: "No AccessPackages or Single Rights found, a SystemUser must have at least one",
		Meaning: "The request asks for nothing.", Fix: "Add --package or --right."},
	{Code: CodeChangeRequestNotNew, Status: 409, Title: "The Status of the Request is not New. Please generate a new CorrellationId for a new Change Request",
		Meaning: "A change request with this correlation-id was already decided.",
		Fix:     "Generate a new correlation-id (sbs-tui request change without --correlation-id does)."},
	{Code: CodeClientNotFound, Status: 400, Title: "Client not found.",
		Meaning: "The client organisation has no client relation to the facilitator (no REGN/REVI/FFOR role or delegated package).",
		Fix:     "Check the client's organisation number; the client must have the facilitator registered as its accountant, auditor or business manager."},
	{Code: CodeClientLacksPackages, Status: 400, Title: "Client does not have the accesspackages the agent system user requires",
		Meaning: "The facilitator's relation to this client does not give the packages the agent system user holds.",
		Fix:     "Add the client to an agent system user whose packages match the relation (e.g. regnskapsfører packages for a REGN client)."},
	{Code: CodePackageNotOnSystem, Status: 400, Title: "One or more accesspackage is not found in the referenced system in the System Register.",
		Meaning: "A requested package is not registered on the system.",
		Fix:     "Request only packages the system lists, or add the package to the system first."},
	{Code: CodePackageNotDelegable, Status: 400, Title: "One or more access packages cannot be delegated. Either they are intended for clients or they cannot be delegated further.",
		Meaning: "A standard system user may only get assignable packages; this one is for agents (clients) only.",
		Fix:     "Create an agent request (--agent) with the system registered as isVisible: false, or choose an assignable package."},
	{Code: CodePackageNotForClients, Status: 400, Title: "One or more access packages cannot be delegated because they are not intended for client relationships",
		Meaning: "An agent system user may only get delegable packages.",
		Fix:     "Use a standard request for this package, or choose a delegable one."},

	{Code: CodeVldVendorOrgInvalid, Status: 400, Title: "the org number identifier is not valid ISO6523 identifier", Path: "/registersystemrequest/vendor/id",
		Meaning: "vendor.ID must be \"0192:<your organisation number>\".", Fix: "Set vendor.ID to 0192: followed by your organisation number."},
	{Code: CodeVldSystemIDFormat, Status: 400, Title: "The system id does not match the format orgnumber_xxxx...", Path: "/registersystemrequest/systemid",
		Meaning: "The system id must start with the vendor's organisation number and an underscore.", Fix: "Rename the system to <orgno>_<name>."},
	{Code: CodeVldSystemExists, Status: 400, Title: "The system id already exists", Path: "/registersystemrequest/systemid",
		Meaning: "A system with this id exists, or existed: ids of deleted systems stay reserved.", Fix: "Update the existing system, or choose a new id."},
	{Code: CodeVldRightNotFound, Status: 400, Title: "One or more resources specified in rights were not found in Altinn's resource register.", Path: "/registersystemrequest/rights/resource",
		Meaning: "A right names a resource id that does not exist in this environment.", Fix: "Check the resource id with the API owner (e.g. ske-innrapportering-boligselskap)."},
	{Code: CodeVldClientIDTaken, Status: 400, Title: "One of the client id is already tagged with an existing system", Path: "/registersystemrequest/clientid",
		Meaning: "A Maskinporten client id can be attached to one system only.", Fix: "Use a separate Maskinporten client for this system, or detach it from the other system."},
	{Code: CodeVldRedirectFormat, Status: 400, Title: "One or more of the redirect urls format is not valid. The valid format is https://xxx.xx", Path: "/registersystemrequest/allowedredirecturls",
		Meaning: "allowedRedirectUrls must be absolute https URLs.", Fix: "Use https:// URLs."},
	{Code: CodeVldDuplicateRight, Status: 400, Title: "One or more duplicate rights found", Path: "/registersystemrequest/rights/resource",
		Meaning: "The same right is listed twice.", Fix: "Remove the duplicate."},
	{Code: CodeVldDuplicatePackage, Status: 400, Title: "One or more duplicate access package(s) found", Path: "/registersystemrequest/accesspackages",
		Meaning: "The same access package is listed twice.", Fix: "Remove the duplicate."},
	{Code: CodeVldPackageNotFound, Status: 400, Title: "One or all the accesspackage(s) is not found in altinn's access packages or is not delegable", Path: "/registersystemrequest/accesspackages",
		Meaning: "An access package URN is malformed, unknown, or usable neither for standard nor for agent system users.",
		Fix:     "Use URNs from the access-package catalog (urn:altinn:accesspackage:<code>)."},
	{Code: CodeVldResourceFormat, Status: 400, Title: "One or more resource id is in wrong format. The valid format is urn:altinn:resource", Path: "/registersystemrequest/rights/resource",
		Meaning: "Every right's attribute id must be urn:altinn:resource.", Fix: "Write rights as {\"resource\":[{\"id\":\"urn:altinn:resource\",\"value\":\"<resource id>\"}]}."},
	{Code: CodeVldDuplicateClientID, Status: 400, Title: "Request contains duplicate client ids", Path: "/registersystemrequest/clientid",
		Meaning: "A client id is listed twice.", Fix: "Remove the duplicate."},
	{Code: CodeVldSystemIDMismatch, Status: 400, Title: "The system ID in the request body does not match the system ID in the URL", Path: "/registersystemrequest/systemid",
		Meaning: "The body's id differs from the system being updated.", Fix: "Keep the id; a system cannot be renamed."},
	{Code: CodeVldSystemIDSpaces, Status: 400, Title: "System ID cannot have spaces in id (leading, trailing or in between the id)", Path: "/registersystemrequest/systemid",
		Meaning: "System ids cannot contain spaces.", Fix: "Replace spaces with _ or -."},
	{Code: CodeVldRightNotDelegable, Status: 400, Title: "One or more resources specified in rights is of resource type which is not delegable.", Path: "/registersystemrequest/rights/resource",
		Meaning: "The resource exists but cannot be delegated to system users (e.g. a Maskinporten schema or an Altinn 2 service).",
		Fix:     "Use an access package or a resource of a delegable type."},
	{Code: CodeVldClientPackageVisible, Status: 400, Title: "Access packages meant for system user for client relations can't be used in combination with the flag isVisible: true", Path: "/registersystemrequest/accesspackages",
		Meaning: "isVisible: true with a client-only package (REGN/REVI/FFOR): customers could pick a system they cannot use.",
		Fix:     "Set isVisible to false; such packages are for agent system users created by request."},
}

// ProblemFor returns the catalogue entry of a code (a Code, or a code read off the wire).
func ProblemFor[C ~string](code C) (Problem, bool) {
	for _, p := range problems {
		if string(p.Code) == string(code) {
			return p, true
		}
	}
	return Problem{}, false
}

// MustProblem is ProblemFor for the Code constants, which are all in the catalogue
// (TestEveryCodeConstantIsCatalogued); an uncatalogued code gets an empty entry with status 500
// rather than a panic.
func MustProblem(code Code) Problem {
	p, ok := ProblemFor(code)
	if !ok {
		return Problem{Code: code, Status: 500}
	}
	return p
}

// Problems returns the catalogue (a copy).
func Problems() []Problem { return append([]Problem(nil), problems...) }

// ProblemBody is the Altinn ProblemDetails JSON (5.x; 4.x puts the text in detail). Extension
// members are flat top-level keys, held in Extensions.
type ProblemBody struct {
	Type              string            `json:"type,omitempty"`
	Title             string            `json:"title,omitempty"`
	Status            int               `json:"status,omitempty"`
	Detail            string            `json:"detail,omitempty"`
	Code              string            `json:"code,omitempty"`
	StatusDescription string            `json:"statusDescription,omitempty"`
	TraceID           string            `json:"traceId,omitempty"`
	ValidationErrors  []ValidationError `json:"validationErrors,omitempty"`
	// Errors is ASP.NET's ValidationProblemDetails map (model binding).
	Errors     map[string][]string `json:"errors,omitempty"`
	Extensions map[string]string   `json:"-"`
}

// ValidationError is one entry of a validation problem.
type ValidationError struct {
	Code       string            `json:"code"`
	Title      string            `json:"title,omitempty"`
	Detail     string            `json:"detail,omitempty"`
	Paths      []string          `json:"paths,omitempty"`
	Extensions map[string]string `json:"-"`
}

// Text is the entry's descriptor text, wherever the library version put it.
func (v ValidationError) Text() string {
	if v.Title != "" {
		return v.Title
	}
	return v.Detail
}

// StatusDescription returns the reason phrase the 5.x problems carry.
func StatusDescription(status int) string { return http.StatusText(status) }

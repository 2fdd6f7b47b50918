package altinn

// Code is an Altinn error code: an AUTH code of the platform's problems, an AUTH.VLD code of
// the system register's validation, or the STD code of a validation problem. Handlers name
// codes by these constants, so a misspelt code is a compile error, and
// TestEveryCodeConstantIsCatalogued keeps every constant in the catalogue.
type Code string

// AUTH codes (altinn-authentication src/Core/Problems/Problem.cs).
const (
	CodeOrgNotResolved       Code = "AUTH-00000"
	CodeRightNotDelegable    Code = "AUTH-00001"
	CodeSystemUserExists     Code = "AUTH-00004"
	CodeRequestAccepted      Code = "AUTH-00006"
	CodeRequestPending       Code = "AUTH-00007"
	CodeRequestDenied        Code = "AUTH-00008"
	CodeRequestRejected      Code = "AUTH-00009"
	CodeRequestNotFound      Code = "AUTH-00010"
	CodeSystemNotFound       Code = "AUTH-00011"
	CodeRequestNotStored     Code = "AUTH-00012"
	CodeRequestNotNew        Code = "AUTH-00013"
	CodeSystemUserNotFound   Code = "AUTH-00015"
	CodeRedirectInvalid      Code = "AUTH-00021"
	CodeVendorOrgUnresolved  Code = "AUTH-00023"
	CodeNoRedirectURLs       Code = "AUTH-00026"
	CodeAgentRequestNotFound Code = "AUTH-00030"
	CodeDelegationNotFound   Code = "AUTH-00038"
	CodeAgentNeedsPackage    Code = "AUTH-00058"
	CodeNothingRequested     Code = "AUTH-00059"
	CodeChangeRequestNotNew  Code = "AUTH-00061"
	CodePackageNotOnSystem   Code = "AUTH-00063"
	CodePackageNotDelegable  Code = "AUTH-00064"
	CodePackageNotForClients Code = "AUTH-00065"
	CodeClientNotFound       Code = "AUTH-00079"
	CodeClientLacksPackages  Code = "AUTH-00080"
)

// AUTH.VLD codes (src/Core/Errors/ValidationErrors.cs and the client-delegation controller).
const (
	CodeVldVendorOrgInvalid     Code = "AUTH.VLD-00000"
	CodeVldSystemIDFormat       Code = "AUTH.VLD-00001"
	CodeVldSystemExists         Code = "AUTH.VLD-00002"
	CodeVldRightNotFound        Code = "AUTH.VLD-00003"
	CodeVldClientIDTaken        Code = "AUTH.VLD-00004"
	CodeVldRedirectFormat       Code = "AUTH.VLD-00005"
	CodeVldDuplicateRight       Code = "AUTH.VLD-00006"
	CodeVldDuplicatePackage     Code = "AUTH.VLD-00007"
	CodeVldPackageNotFound      Code = "AUTH.VLD-00008"
	CodeVldResourceFormat       Code = "AUTH.VLD-00009"
	CodeVldDuplicateClientID    Code = "AUTH.VLD-00011"
	CodeVldSystemIDMismatch     Code = "AUTH.VLD-00012"
	CodeVldSystemIDSpaces       Code = "AUTH.VLD-00013"
	CodeVldRightNotDelegable    Code = "AUTH.VLD-00017"
	CodeVldClientPackageVisible Code = "AUTH.VLD-00018"
	// The client-delegation controller's own codes: not in the catalogue, each sent with the
	// controller's own title.
	CodeVldAgentInvalid  Code = "AUTH.VLD-00014"
	CodeVldNotAgent      Code = "AUTH.VLD-00015"
	CodeVldClientInvalid Code = "AUTH.VLD-00016"
)

// CodeStdValidation is the code of a validation problem that lists AUTH.VLD entries.
const CodeStdValidation Code = "STD-00000"

// IsValidation reports whether c is an AUTH.VLD code.
func (c Code) IsValidation() bool { return len(c) > 9 && c[:9] == "AUTH.VLD-" }

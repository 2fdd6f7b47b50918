package mp

import "strings"

// Problem describes one Maskinporten error: what the server says and what it means for the
// user. The sandbox answers with Status, OAuthError and Description; clients show Meaning and
// Fixes. Entries without a Code are errors Maskinporten reports without an MP code, and are
// recognised by Match in the description.
type Problem struct {
	Code        string // "MP-100", or "" for an uncoded error
	Key         Key    // a stable name, used for uncoded errors and in tests
	Status      int
	OAuthError  string
	Description string // the server's description, before details and the trace id
	Match       string // lower-case substring that identifies an uncoded error in a description
	Meaning     string
	Fixes       []string
}

// Key names a catalogue entry. The sandbox and the offline grant check refuse by these
// constants, so a misspelt key is a compile error (TestEveryKeyIsCatalogued keeps each one in
// the catalogue).
type Key string

// The catalogue's keys.
const (
	KeyMalformed            Key = "malformed"
	KeyReplay               Key = "replay"
	KeyClientNotFound       Key = "client-not-found"
	KeyAudience             Key = "audience"
	KeyCertificateInvalid   Key = "certificate-invalid"
	KeyKeyExpired           Key = "key-expired"
	KeyCertificateOrg       Key = "certificate-org"
	KeyX5CFormat            Key = "x5c-format"
	KeySignature            Key = "signature"
	KeyExpired              Key = "expired"
	KeyScopeNotOnClient     Key = "scope-not-on-client"
	KeyScopeIntegrationType Key = "scope-integration-type"
	KeyScopeAccess          Key = "scope-access"
	KeyDelegation           Key = "delegation"
	KeyRARType              Key = "rar-type"
	KeyRARFields            Key = "rar-fields"
	KeySystemuser           Key = "systemuser"
	KeyGrantType            Key = "grant-type"
	KeyMissingParameter     Key = "missing-parameter"
	KeyKidRequired          Key = "kid-required"
	KeyIATFuture            Key = "iat-future"
	KeyConsumerOrgSelf      Key = "consumer-org-self"
	KeyUnknownClaims        Key = "unknown-claims"
)

// The catalogue. Descriptions follow the texts observed from Maskinporten (see the spec);
// where the docs give no OAuth error, the choice follows the spec's inference.
var problems = []Problem{
	{Code: "MP-011", Key: KeyMalformed, Status: 400, OAuthError: "invalid_request",
		Description: "Invalid assertion. Invalid parameter value",
		Meaning:     "The grant is not a well-formed signed JWT with a supported algorithm.",
		Fixes: []string{
			"Send the grant as a compact JWS (three base64url parts) signed with RS256, RS384 or RS512.",
			"Check for stray whitespace or newlines in the assertion parameter.",
		}},
	{Code: "MP-012", Key: KeyReplay, Status: 400, OAuthError: "invalid_grant",
		Description: "Invalid assertion. Grant is used before",
		Meaning:     "A grant with this jti was already used.",
		Fixes:       []string{"Build a fresh grant (new jti) for every token request; never resend a grant."}},
	{Code: "MP-100", Key: KeyClientNotFound, Status: 400, OAuthError: "invalid_grant",
		Description: "Invalid assertion. Client authentication failed. Client not found",
		Meaning:     "No Maskinporten client has the client id given in the grant's iss, in this environment.",
		Fixes: []string{
			"Check client_id in your profile against Samarbeidsportalen.",
			"Clients in TEST do not exist in PROD and vice versa: check --env.",
		}},
	{Code: "MP-110", Key: KeyAudience, Status: 400, OAuthError: "invalid_grant",
		Description: "Invalid assertion. Client authentication failed. Invalid JWT claim aud",
		Meaning:     "The grant's aud is not this Maskinporten's issuer.",
		Fixes: []string{
			"Set aud to the issuer from the environment's metadata exactly, trailing slash included (e.g. https://test.maskinporten.no/).",
			"The token endpoint URL is not a valid audience.",
		}},
	{Code: "MP-120", Key: KeyCertificateInvalid, Status: 400, OAuthError: "invalid_grant",
		Description: "Invalid assertion. Client authentication failed. The JWT is signed with an invalid certificate.",
		Meaning:     "The business certificate in x5c is not trusted here: expired, revoked, or from the other environment.",
		Fixes: []string{
			"Use a test certificate against TEST and a production certificate against PROD.",
			"Check that the certificate has not expired.",
		}},
	{Code: "MP-121", Key: KeyKeyExpired, Status: 400, OAuthError: "invalid_grant",
		Description: "Invalid assertion. Client authentication failed. Expired key.",
		Meaning:     "The key registered on the client is more than a year old.",
		Fixes: []string{
			"Post the public JWK again (that renews it for a year), or generate a new key with `sbs-tui keygen` and upload it.",
		}},
	{Code: "MP-122", Key: KeyCertificateOrg, Status: 400, OAuthError: "invalid_grant",
		Description: "Invalid JWT. Invalid organization number for client. Does not match certificate orgno",
		Meaning:     "The organisation number in the business certificate is not the client's owner.",
		Fixes:       []string{"Sign with the certificate of the organisation that owns the client."}},
	{Code: "MP-123", Key: KeyX5CFormat, Status: 400, OAuthError: "invalid_grant",
		Description: "Invalid JWT header x5c",
		Meaning:     "The x5c header is not an array of base64 DER certificates.",
		Fixes:       []string{"Send x5c as a JSON array of standard-base64 DER strings, leaf certificate first."}},
	{Code: "MP-124", Key: KeySignature, Status: 400, OAuthError: "invalid_grant",
		Description: "Invalid assertion. Client authentication failed. Invalid JWT signature.",
		Meaning:     "The grant's signature does not verify with the key named by kid (or in x5c).",
		Fixes: []string{
			"Check that kid names the key you uploaded and that you sign with its private half.",
			"Keys uploaded in TEST are not in PROD: check --env.",
		}},
	{Code: "MP-130", Key: KeyExpired, Status: 400, OAuthError: "invalid_grant",
		Description: "Invalid assertion. JWT is expired",
		Meaning:     "The grant's time claims are out of range: exp is past, iat too old, or exp - iat over 120 s.",
		Fixes: []string{
			"Set iat to now and exp to at most 120 seconds later.",
			"Synchronise your clock (NTP): Maskinporten allows 10 seconds of skew.",
		}},
	{Code: "MP-200", Key: KeyScopeNotOnClient, Status: 400, OAuthError: "invalid_scope",
		Description: "Token request contains invalid scopes for client",
		Meaning:     "A requested scope is not registered on this client.",
		Fixes: []string{
			"Add the scope to the client in Samarbeidsportalen (it appears only after the API owner granted your organisation access).",
			"For altinn:authentication/systemregister.write and the two systemuser.request scopes: they are granted only once your organisation is registered as an SBS vendor (sluttbrukersystemleverandør); ask Digdir's/Altinn's servicedesk (servicedesk@altinn.no) to register it.",
			"For skatteetaten: scopes: Skatteetaten grants them per API through its onboarding (skatteetaten.github.io/api-dokumentasjon, \"Kom i gang\"; brukerstøtte at skatteetaten.no/deling/kontakt); name the API and your organisation number.",
			"Check the spelling: scopes are case-sensitive.",
		}},
	{Code: "MP-201", Key: KeyScopeIntegrationType, Status: 400, OAuthError: "invalid_scope",
		Description: "Token request contains scopes not allowed for maskinporten",
		Meaning:     "The scope exists but is not available to Maskinporten integrations.",
		Fixes:       []string{"Use a scope meant for machine-to-machine use, or a client of the right integration type."}},
	{Code: "MP-250", Key: KeyScopeAccess, Status: 403, OAuthError: "forbidden",
		Description: "Consumer has not been granted access to the scope",
		Meaning:     "The API owner has not given your organisation access to this scope.",
		Fixes: []string{
			"Ask the API owner to grant your organisation number the scope in this environment (test and production are granted separately).",
			"Altinn scopes (altinn:authentication/systemregister.write, …/systemuser.request.read/.write): register your organisation as an SBS vendor (sluttbrukersystemleverandør) with Digdir/Altinn servicedesk (servicedesk@altinn.no); the scopes are granted with that registration.",
			"skatteetaten: scopes: apply through Skatteetaten's onboarding for the API (skatteetaten.github.io/api-dokumentasjon, \"Kom i gang\"; brukerstøtte at skatteetaten.no/deling/kontakt), naming the API, the environment and your organisation number.",
		}},
	{Code: "MP-251", Key: KeyDelegation, Status: 403, OAuthError: "forbidden",
		Description: "Consumer has not delegated access to the scope to supplier",
		Meaning:     "consumer_org names an organisation that has not delegated this scope to you in Altinn.",
		Fixes:       []string{"Ask the customer to delegate the scope to your organisation in Altinn, or drop consumer_org."}},
	{Code: "MP-301", Key: KeyRARType, Status: 400, OAuthError: "invalid_request",
		Description: "Unknown authorization details type",
		Meaning:     "authorization_details names a type Maskinporten does not support.",
		Fixes:       []string{"Use type urn:altinn:systemuser (see authorization_details_types_supported in the metadata)."}},
	{Code: "MP-302", Key: KeyRARFields, Status: 400, OAuthError: "invalid_request",
		Description: "Unknown fields in the authorization details",
		Meaning:     "The authorization_details object has a field Maskinporten does not know.",
		Fixes:       []string{"Send only type, systemuser_org {authority, ID} and, if the system user has one, externalRef."}},
	{Code: "MP-303", Key: KeySystemuser, Status: 400, OAuthError: "invalid_altinn_customer_configuration",
		Description: "Invalid authorization details values. No system user found for the given system user organization",
		Meaning:     "Altinn found no approved system user for this client, vendor and customer.",
		Fixes: []string{
			"The customer has not approved the system-user request yet (check with `sbs-tui request status`).",
			"systemuser_org must be the organisation that owns the system user (for agent system users: the agent, not its client).",
			"The system user was created with an externalRef: send the same externalRef in the grant.",
			"The system in Altinn's system register does not list this client id: add it to clientId.",
		}},
	// Errors Maskinporten reports without an MP code.
	{Key: KeyGrantType, Status: 400, OAuthError: "unsupported_grant_type",
		Description: "Unsupported grant type", Match: "unsupported grant type",
		Meaning: "grant_type must be " + GrantTypeJWTBearer + ".",
		Fixes:   []string{"Post grant_type=" + GrantTypeJWTBearer + " and assertion=<grant> as a form."}},
	{Key: KeyMissingParameter, Status: 400, OAuthError: "invalid_request",
		Description: "Missing required parameter", Match: "missing required parameter",
		Meaning: "The token request lacks grant_type, assertion or a scope.",
		Fixes:   []string{"Send an application/x-www-form-urlencoded body with grant_type and assertion, and a scope claim in the grant."}},
	{Key: KeyKidRequired, Status: 400, OAuthError: "invalid_grant",
		Description: "Invalid assertion. Client authentication failed. Invalid JWT. The client requires pre-registered jwk and no key identifier (kid) provided",
		Match:       "requires pre-registered jwk",
		Meaning:     "The client has registered keys, so the grant must name one in its kid header (not x5c).",
		Fixes:       []string{"Set kid in the grant header to the kid of the key you uploaded."}},
	{Key: KeyIATFuture, Status: 400, OAuthError: "invalid_grant",
		Description: "Invalid assertion. Issue time is after now", Match: "issue time is after now",
		Meaning: "The grant's iat is more than 10 seconds ahead of Maskinporten's clock.",
		Fixes:   []string{"Your clock is fast: synchronise it with NTP (`sbs-tui doctor` shows the offset)."}},
	{Key: KeyConsumerOrgSelf, Status: 400, OAuthError: "invalid_request",
		Description: "Validation of JWT claim failed: The combination consumer_org in claim and delegation scope on client is invalid",
		Match:       "combination consumer_org",
		Meaning:     "consumer_org is your own organisation, or the scope is not a delegation scope.",
		Fixes:       []string{"Drop consumer_org when you act for yourself; it is only for suppliers acting for a customer."}},
	{Key: KeyUnknownClaims, Status: 400, OAuthError: "invalid_grant",
		Description: "Invalid assertion. Claims not allowed in the JWT", Match: "claims not allowed",
		Meaning: "The grant carries claims Maskinporten does not document.",
		Fixes:   []string{"Send only aud, iss, iat, exp, jti, scope and the optional documented claims."}},
}

// Problems returns the whole catalogue (a copy).
func Problems() []Problem { return append([]Problem(nil), problems...) }

// ProblemByKey returns the catalogue entry with the given key; it panics on an unknown key,
// which is a programming error in the sandbox.
func ProblemByKey(key Key) Problem {
	for _, p := range problems {
		if p.Key == key {
			return p
		}
	}
	panic("mp: unknown problem key " + key)
}

// findCode returns the first "MP-" followed by three digits in s, or "".
func findCode(s string) string {
	for i := 0; i+6 <= len(s); i++ {
		if s[i:i+3] == "MP-" && isDigit(s[i+3]) && isDigit(s[i+4]) && isDigit(s[i+5]) {
			return s[i : i+6]
		}
	}
	return ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// TraceID finds "(trace_id: X)" or "(correlation id: X)" in an error description, X being
// letters, digits and dashes; "" when there is none.
func TraceID(desc string) string {
	for _, marker := range []string{"(trace_id:", "(correlation id:"} {
		i := strings.Index(desc, marker)
		if i < 0 {
			continue
		}
		rest := strings.TrimPrefix(desc[i+len(marker):], " ")
		j := strings.IndexByte(rest, ')')
		if j <= 0 {
			continue
		}
		id := rest[:j]
		ok := true
		for k := 0; k < len(id); k++ {
			c := id[k]
			ok = ok && (isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-')
		}
		if ok {
			return id
		}
	}
	return ""
}

// ValidKid reports whether kid follows Digdir's rule: 1–128 letters, digits, '.', '_' or '-'.
func ValidKid(kid string) bool {
	if len(kid) == 0 || len(kid) > 128 {
		return false
	}
	for i := 0; i < len(kid); i++ {
		c := kid[i]
		if !(isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Classify finds the catalogue entry for an error body: by the MP code in error_uri or the
// description, else by a known description text. ok is false for an unknown error.
func Classify(b ErrorBody) (Problem, bool) {
	code := findCode(b.ErrorURI)
	if code == "" {
		code = findCode(b.ErrorDescription)
	}
	if code != "" {
		for _, p := range problems {
			if p.Code == code {
				return p, true
			}
		}
	}
	desc := strings.ToLower(b.ErrorDescription)
	for _, p := range problems {
		if p.Match != "" && strings.Contains(desc, p.Match) {
			return p, true
		}
	}
	return Problem{}, false
}

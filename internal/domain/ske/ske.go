// Package ske holds what the client, explain and the sandbox share about Skatteetaten's REST
// APIs: their error body {kode, melding, korrelasjonsid} and a catalogue of the codes the
// common layer (DAS-…) and the APIs sbs-tui knows (GLD_… for Innrapportering boligselskap, KB-…
// for Krav og betalinger) answer with. Sources: Skatteetaten/api-dokumentasjon docs/om/feil.md,
// docs/api/innrapportering-boligselskap.md and docs/api/kravogbetalinger.md.
package ske

import (
	"encoding/json"
	"strings"
)

// ErrorBody is Skatteetaten's error answer ("Som hovedregel vil feilmeldinger fra tjenestene
// være på følgende format").
type ErrorBody struct {
	Kode           string `json:"kode"`
	Melding        string `json:"melding"`
	Korrelasjonsid string `json:"korrelasjonsid"`
}

// ParseBody reads a Skatteetaten error body; ok is false for anything else (no kode).
func ParseBody(data []byte) (ErrorBody, bool) {
	var b ErrorBody
	if err := json.Unmarshal(data, &b); err != nil || strings.TrimSpace(b.Kode) == "" {
		return ErrorBody{}, false
	}
	return b, true
}

// Codes the sandbox's sample API answers with.
const (
	CodeUnexpected   = "DAS-001"
	CodeNoEndpoint   = "DAS-002"
	CodeNotAuthorize = "DAS-008"
	CodeGLDAuthn     = "GLD_004"
	CodeGLDAuthz     = "GLD_005"
)

// Problem is one Skatteetaten code explained.
type Problem struct {
	Code    string
	Status  int
	Text    string // Skatteetaten's own words for the code
	Meaning string
	Fixes   []string
}

const support = "If it persists, report the kode and korrelasjonsid to Skatteetaten's brukerstøtte (skatteetaten.no/deling/kontakt)."

var problems = []Problem{
	{Code: CodeUnexpected, Status: 500, Text: "Det var en uventet feil på tjenesten.",
		Meaning: "Skatteetaten's service failed; nothing in your request is known to be wrong.",
		Fixes:   []string{"Try again later.", support}},
	{Code: CodeNoEndpoint, Status: 404, Text: "Den forespurte URLen svarer ikke til et gyldig endepunkt",
		Meaning: "The URL is not an endpoint of the API.",
		Fixes: []string{
			"Check the path and version against the API's documentation; each API has its own host (https://<api>.api.skatteetaten-test.no/v<n> in test, …api.skatteetaten.no in production); the old api-test.sits.no / api.skatteetaten.no/api/… URLs were retired on 2024-10-17."}},
	{Code: "DAS-003", Status: 500, Text: "Den forespurte informasjonen er for øyeblikket utilgjengelig",
		Meaning: "A source behind the API is unavailable for now.",
		Fixes:   []string{"Try again later.", support}},
	{Code: CodeNotAuthorize, Status: 403, Text: "Du er ikke autorisert for tilgang til den forespurte ressursen.",
		Meaning: "The token is valid, but the system user may not see this party's data.",
		Fixes: []string{
			"Check that the token's system user belongs to the party in the URL (systemuser_org), or, for an agent system user, that the facilitator has added the party as a client in Altinn.",
			"Check that the system user holds the access package or right the API requires (the customer approves it through a request or a change request).",
		}},
	{Code: CodeGLDAuthn, Status: 401, Text: "Feil i forbindelse med autentisering",
		Meaning: "The API did not accept the token: missing, expired, or not from Maskinporten in this environment.",
		Fixes:   []string{"Send a fresh Maskinporten system-user token as Authorization: Bearer, from the same environment (test or production) as the API host."}},
	{Code: CodeGLDAuthz, Status: 403, Text: "Feil i forbindelse med autorisering",
		Meaning: "The token does not give access to Innrapportering boligselskap for this party.",
		Fixes: []string{
			"Request the token with the scope skatteetaten:innrapporteringboligselskap and authorization_details for the system user (type urn:altinn:systemuser).",
			"Check that the system user holds the right for the resource ske-innrapportering-boligselskap (or a package that gives it), and that the party in the request is the system user's organisation (or a client an agent system user was given).",
		}},
	{Code: "GLD_006", Status: 400, Text: "Feil i request",
		Meaning: "The request is malformed (for example a missing idempotencyKey or a bad inntektsår).",
		Fixes:   []string{"Read the melding: it names what is wrong; fix the request and send it again."}},
	{Code: "KB-003", Status: 404, Text: "Ukjent url benyttet.",
		Meaning: "The URL is not an endpoint of Krav og betalinger.",
		Fixes:   []string{"Use https://kravogbetalinger.api.skatteetaten-test.no/v1/{rettighetspakke}/{partId}/aapnekrav (or /krav, /innbetalinger; production: kravogbetalinger.api.skatteetaten.no)."}},
	{Code: "KB-004", Status: 401, Text: "Feil i forbindelse med autentisering.",
		Meaning: "Krav og betalinger did not accept the token.",
		Fixes:   []string{"Send a fresh Maskinporten token with the scope skatteetaten:kravogbetalinger, from the same environment as the API host."}},
	{Code: "KB-005", Status: 403, Text: "Feil i forbindelse med samtykketoken.",
		Meaning: "Krav og betalinger's rettighetspakker (finans, regnskapssystem) require the party's consent (samtykke), and the token carries none that fits.",
		Fixes: []string{
			"Get the party's consent for the API's services and call with the consent token (Altinn's consent API, urn:altinn:consent); a plain system-user token is not enough for these rettighetspakker.",
			"Check that {rettighetspakke} in the URL is the one your organisation was granted.",
		}},
	{Code: "KB-006", Status: 400, Text: "Feil i forbindelse med validering av inputdata.",
		Meaning: "A parameter is invalid (for example a period longer than one year).",
		Fixes:   []string{"Read the melding, fix the parameter (fraOgMed/tilOgMed at most one year apart) and send it again."}},
}

// Problems lists the catalogue.
func Problems() []Problem { return append([]Problem(nil), problems...) }

// Normalize makes "gld-005", "GLD_005" and "GLD005"-like spellings comparable: upper case,
// '-' and '_' treated alike.
func normalize(code string) string {
	return strings.NewReplacer("_", "-").Replace(strings.ToUpper(strings.TrimSpace(code)))
}

// ProblemFor finds a code, however its separator is spelled (GLD_005 = GLD-005).
func ProblemFor(code string) (Problem, bool) {
	n := normalize(code)
	for _, p := range problems {
		if normalize(p.Code) == n {
			return p, true
		}
	}
	return Problem{}, false
}

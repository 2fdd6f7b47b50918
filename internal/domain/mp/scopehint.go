package mp

import (
	"regexp"
	"strings"
)

// MP-200 and MP-250 name the refused scopes in their description ("Token request contains
// invalid scopes for client, a, b (trace_id: …)", "Consumer has not been granted access to the
// scope s"). Who can fix it depends on who owns the scope, so the hint names the scope and the
// way to get it.

var refusedScopesRE = regexp.MustCompile(`(?i)(?:invalid scopes for client,|access to the scope)\s*([^()]+)`)

// RefusedScopes reads the scopes an MP-200 or MP-250 description names (none if it names none).
func RefusedScopes(desc string) []string {
	m := refusedScopesRE.FindStringSubmatch(desc)
	if m == nil {
		return nil
	}
	var out []string
	for _, f := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' }) {
		if f = strings.TrimSuffix(strings.TrimSpace(f), "."); f != "" && len(f) <= 200 {
			out = append(out, f)
		}
	}
	return out
}

// sbsVendorScopes are granted with the organisation's registration as an SBS vendor.
var sbsVendorScopes = map[string]bool{
	"altinn:authentication/systemregister.write":     true,
	"altinn:authentication/systemuser.request.read":  true,
	"altinn:authentication/systemuser.request.write": true,
}

// ScopeHintKinds names a refused scope's hint by its parts, for callers that say it in
// another language: cause is "not_on_client" or "no_access" ("" for other problems), grant
// who grants the scope: "sbs", "skatteetaten", "dcr", "open" or "owner".
func ScopeHintKinds(p Problem, scope string) (cause, grant string) {
	switch {
	case sbsVendorScopes[scope]:
		grant = "sbs"
	case strings.HasPrefix(scope, "skatteetaten:"):
		grant = "skatteetaten"
	case strings.HasPrefix(scope, "idporten:dcr"):
		grant = "dcr"
	case strings.HasPrefix(scope, "altinn:"), strings.HasPrefix(scope, "digdir:"):
		grant = "open"
	default:
		grant = "owner"
	}
	switch p.Key {
	case KeyScopeNotOnClient:
		cause = "not_on_client"
	case KeyScopeAccess:
		cause = "no_access"
	}
	return cause, grant
}

var scopeGrants = map[string]string{
	"sbs":          "It is granted only once your organisation is registered as an SBS vendor (sluttbrukersystemleverandør): ask Altinn's servicedesk (servicedesk@altinn.no) to register it in this environment",
	"skatteetaten": "Skatteetaten grants it per API and environment through its onboarding (skatteetaten.github.io/api-dokumentasjon, \"Kom i gang\"; brukerstøtte at skatteetaten.no/deling/kontakt), naming the API and your organisation number",
	"dcr":          "It belongs on a self-service admin client, which Digdir issues on request (servicedesk@digdir.no), not on an integration's client",
	"open":         "Altinn's and Digdir's other scopes are usually open to every organisation (\"Scopes tilgjengelig for alle\" in Samarbeidsportalen); otherwise ask servicedesk@altinn.no",
	"owner":        "The API owner grants it to your organisation; ask them, naming the scope, the environment and your organisation number",
}

// ScopeHint is the likely cause and the fix for one scope refused with p (MP-200 or MP-250);
// empty for other problems.
func ScopeHint(p Problem, scope string) string {
	cause, grant := ScopeHintKinds(p, scope)
	switch cause {
	case "not_on_client":
		return "The scope " + scope + " is not on this client (or does not exist: scopes are case-sensitive): add it to the client in Samarbeidsportalen or with the self-service API. If it is not offered there: " + scopeGrants[grant] + "."
	case "no_access":
		return "Your organisation has not been granted " + scope + " in this environment (test and production are granted separately). " + scopeGrants[grant] + "."
	}
	return ""
}

// ScopeHints are the hints for every scope a description names.
func ScopeHints(p Problem, desc string) []string {
	var out []string
	for _, sc := range RefusedScopes(desc) {
		if h := ScopeHint(p, sc); h != "" {
			out = append(out, h)
		}
	}
	return out
}

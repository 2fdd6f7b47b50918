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

// ScopeHint is the likely cause and the fix for one scope refused with p (MP-200 or MP-250);
// empty for other problems.
func ScopeHint(p Problem, scope string) string {
	var cause, grant string
	switch {
	case sbsVendorScopes[scope]:
		grant = "It is granted only once your organisation is registered as an SBS vendor (sluttbrukersystemleverandør): ask Altinn's servicedesk (servicedesk@altinn.no) to register it in this environment"
	case strings.HasPrefix(scope, "skatteetaten:"):
		grant = "Skatteetaten grants it per API and environment through its onboarding (skatteetaten.github.io/api-dokumentasjon, \"Kom i gang\"; brukerstøtte at skatteetaten.no/deling/kontakt), naming the API and your organisation number"
	case strings.HasPrefix(scope, "idporten:dcr"):
		grant = "It belongs on a self-service admin client, which Digdir issues on request (servicedesk@digdir.no), not on an integration's client"
	case strings.HasPrefix(scope, "altinn:"), strings.HasPrefix(scope, "digdir:"):
		grant = "Altinn's and Digdir's other scopes are usually open to every organisation (\"Scopes tilgjengelig for alle\" in Samarbeidsportalen); otherwise ask servicedesk@altinn.no"
	default:
		grant = "The API owner grants it to your organisation; ask them, naming the scope, the environment and your organisation number"
	}
	switch p.Key {
	case KeyScopeNotOnClient:
		cause = "The scope " + scope + " is not on this client (or does not exist: scopes are case-sensitive): add it to the client in Samarbeidsportalen or with the self-service API. If it is not offered there: "
	case KeyScopeAccess:
		cause = "Your organisation has not been granted " + scope + " in this environment (test and production are granted separately). "
	default:
		return ""
	}
	return cause + grant + "."
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

package world

import (
	"fmt"
	"regexp"
	"sort"
	"sync"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
)

// DocumentedResource is a resource id that public docs name for system-user integrations.
type DocumentedResource struct {
	ID, Title, Type, Source string
}

// DocumentedResources are seeded into every new sandbox. The sources are recorded in
// docs/sandbox-fidelity.md (Interoperability, registries and hardening).
var DocumentedResources = []DocumentedResource{
	{"ske-innrapportering-boligselskap", "Innrapportering boligselskap", "GenericAccessResource", "Skatteetaten/api-dokumentasjon docs/api/innrapportering-boligselskap.md"},
	{"ske-innrapportering-amelding", "Innrapportering a-melding", "GenericAccessResource", "Skatteetaten/api-dokumentasjon docs/api/innrapportering-amelding.md, innrapportering-amelding-filopplasting.md"},
	{"ske-innrapportering-aksjonaerregisteroppgave", "Innrapportering aksjonærregisteroppgave", "GenericAccessResource", "Skatteetaten/api-dokumentasjon docs/api/innrapportering-aksjonaerregisteroppgave.md"},
	{"ske-innrapportering-internasjonal-rapportering", "Innrapportering internasjonal rapportering", "GenericAccessResource", "Skatteetaten/api-dokumentasjon docs/api/innrapportering-internasjonalrapportering.md"},
	{"ske-innrapportering-pass-stell-barn", "Innrapportering pass og stell av barn", "GenericAccessResource", "Skatteetaten/api-dokumentasjon docs/api/innrapportering-passogstell.md"},
	{"ske-krav-og-betalinger", "Krav og betalinger", "GenericAccessResource", "Skatteetaten/api-dokumentasjon docs/api/kravogbetalinger.md; Altinn/altinn-studio-docs system-user systemregistration guide"},
	{"app_ttd_endring-av-navn-v2", "Endring av navn (Digdir test app)", "AltinnApp", "Altinn/altinn-authentication test/…/SystemIntegrationTests/Tests/SystemRegisterTests.cs (a TT02 app)"},
}

// DocumentedScope is a scope that public docs name for system-user integrations.
type DocumentedScope struct {
	Name      string
	Delegable bool
	Source    string
}

// DocumentedScopes are seeded into every new sandbox, open to every organisation.
var DocumentedScopes = []DocumentedScope{
	{"skatteetaten:innrapporteringboligselskap", true, "Skatteetaten/api-dokumentasjon docs/api/innrapportering-boligselskap.md"},
	{"skatteetaten:innrapporteringamelding", true, "Skatteetaten/api-dokumentasjon docs/api/innrapportering-amelding.md"},
	{"skatteetaten:innrapporteringaksjonaerregisteroppgave", true, "Skatteetaten/api-dokumentasjon docs/api/innrapportering-aksjonaerregisteroppgave.md"},
	{"skatteetaten:innrapporteringinternasjonalrapportering", true, "Skatteetaten/api-dokumentasjon docs/api/innrapportering-internasjonalrapportering.md"},
	{"skatteetaten:innrapporteringpassogstell", true, "Skatteetaten/api-dokumentasjon docs/api/innrapportering-passogstell.md"},
	{"skatteetaten:innrapporteringboligsameie", true, "Skatteetaten/api-dokumentasjon docs/api/innrapportering-boligsameie.md"},
	{"skatteetaten:kravogbetalinger", true, "Skatteetaten/api-dokumentasjon docs/api/kravogbetalinger.md; Altinn/altinn-studio-docs system-user guides"},
	{"altinn:instances.read", false, "Altinn/altinn-studio-docs content/authentication/getting-started/maskinportenclient/_index.md"},
	{"altinn:instances.write", false, "Altinn/altinn-studio-docs content/authentication/getting-started/maskinportenclient/_index.md"},
	{"altinn:authorization/authorize", false, "Altinn/altinn-studio-docs content/authentication/getting-started/maskinportenclient/_index.md"},
	{"altinn:accessmanagement/authorizedparties", false, "Altinn/altinn-studio-docs system-user usetoken guide"},
	{"altinn:clientdelegations.read", false, "Altinn/altinn-studio-docs content/api/authentication/systemuserapi/scopes"},
	{"altinn:clientdelegations.write", false, "Altinn/altinn-studio-docs content/api/authentication/systemuserapi/scopes"},
	{"altinn:correspondence.read", false, "Altinn/altinn-studio-docs system-user Dialogporten guide (AS-dp)"},
	{"altinn:consentrequests.read", false, "Altinn/altinn-studio-docs consent retrieve-token guide"},
}

func seedDocumented(st *State) {
	for _, r := range DocumentedResources {
		if _, ok := st.Resources[r.ID]; !ok {
			st.Resources[r.ID] = r.Type
		}
		if st.ResourceTitles == nil {
			st.ResourceTitles = map[string]string{}
		}
		if _, ok := st.ResourceTitles[r.ID]; !ok {
			st.ResourceTitles[r.ID] = r.Title
		}
	}
	for _, d := range DocumentedScopes {
		if _, ok := st.Scopes[d.Name]; !ok {
			st.Scopes[d.Name] = &Scope{Name: d.Name, IntegrationTypes: []string{"maskinporten"}, AccessAll: true, Delegable: d.Delegable}
		}
	}
}

// ResourceInfo is one Resource Registry entry as the commands show it.
type ResourceInfo struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	Type  string `json:"type"`
	// Added is false when the resource was already there (re-adding is not an error).
	Added bool `json:"added,omitempty"`
}

// ScopeInfo is one scope as the commands show it.
type ScopeInfo struct {
	Name             string   `json:"name"`
	IntegrationTypes []string `json:"integration_types"`
	AccessAll        bool     `json:"access_all"`
	Delegable        bool     `json:"delegable,omitempty"`
	Added            bool     `json:"added,omitempty"`
}

// The patterns are compiled on first use, not at start-up (every command links the sandbox).
var (
	resourceIDRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{1,99}$`) })
	// A Maskinporten scope is prefix:name; the name may hold / and . (altinn:authentication/systemregister.write).
	scopeNameRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*:[A-Za-z0-9][A-Za-z0-9_./:-]*$`)
	})
)

// ResourceTypes are the types a sandbox resource may have: the delegable ones and two that are not.
func ResourceTypes() []string {
	var out []string
	for t := range altinn.DelegableResourceTypes {
		out = append(out, t)
	}
	out = append(out, "MaskinportenSchema", "Altinn2Service")
	sort.Strings(out)
	return out
}

// ValidateResourceID checks a resource identifier's form.
func ValidateResourceID(id string) error {
	if !resourceIDRe().MatchString(id) {
		return fmt.Errorf("resource id %q: use 2-100 letters, digits, '_', '.' or '-', starting with a letter or digit", id)
	}
	return nil
}

// ValidateScopeName checks a scope name's form.
func ValidateScopeName(name string) error {
	if len(name) > 255 || !scopeNameRe().MatchString(name) {
		return fmt.Errorf("scope %q: use prefix:name, e.g. altinn:instances.read (lower-case prefix; letters, digits, '_', '.', '/', ':' or '-')", name)
	}
	return nil
}

func NewScopeInfo(sc *Scope, added bool) ScopeInfo {
	return ScopeInfo{Name: sc.Name, IntegrationTypes: sc.IntegrationTypes, AccessAll: sc.AccessAll, Delegable: sc.Delegable, Added: added}
}

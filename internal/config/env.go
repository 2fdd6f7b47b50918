// Package config holds environments, profiles and key loading for sbs-tui.
package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/domain/sandboxlayout"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// Environment names.
const (
	EnvSandbox = "sandbox"
	EnvTest    = "test"
	EnvProd    = "prod"
)

// EnvNames lists the environments in the order tools should offer them.
var EnvNames = []string{EnvSandbox, EnvTest, EnvProd}

// Environment is the set of base URLs one environment consists of. All URLs end in "/"
// except the Maskinporten endpoints, which are full URLs.
type Environment struct {
	Name string `json:"name"`
	// MaskinportenIssuer is the issuer identifier; a grant's aud must equal it exactly.
	MaskinportenIssuer   string `json:"maskinporten_issuer"`
	MaskinportenMetadata string `json:"maskinporten_metadata"`
	MaskinportenToken    string `json:"maskinporten_token"`
	MaskinportenJWKS     string `json:"maskinporten_jwks"`
	// AltinnPlatform is the Altinn platform API base (TT02 pairs with Maskinporten TEST).
	AltinnPlatform string `json:"altinn_platform"`
	// AltinnApprovalUI is the host of the customer's approval page (the confirmUrl host).
	AltinnApprovalUI string `json:"altinn_approval_ui"`
	// SelfService is the Digdir self-service API's client collection (…/api/v1/clients since
	// Digdir's 2025-05-22 release; a client is …/{id}, its keys …/{id}/jwks).
	SelfService string `json:"selfservice"`
	// Skatteetaten is step 8's default Skatteetaten API when the profile names none of
	// SkatteetatenAPIs' scopes (in the sandbox: the sample API's prefix).
	Skatteetaten string `json:"skatteetaten"`
	// SkatteetatenAPIs is each known Skatteetaten API's base, by its scope's name after
	// "skatteetaten:". Since 2024-10-17 every API has its own host
	// (https://<api>.api.skatteetaten-test.no/… in test, https://<api>.api.skatteetaten.no/… in
	// production); the shared api-test.sits.no / api.skatteetaten.no hosts are retired.
	SkatteetatenAPIs map[string]string `json:"skatteetaten_apis,omitempty"`
	// Enhetsregisteret is the base of Brønnøysund's open register API (organisation names).
	Enhetsregisteret string `json:"enhetsregisteret"`
}

// IsSandbox reports whether this is the local emulator.
func (e Environment) IsSandbox() bool { return e.Name == EnvSandbox }

func maskinportenURLs(e *Environment, issuer string) {
	e.MaskinportenIssuer = issuer
	e.MaskinportenMetadata = issuer + mp.WellKnownPath
	e.MaskinportenToken = issuer + "token"
	e.MaskinportenJWKS = issuer + "jwk"
}

// The Skatteetaten APIs sbs-tui knows: scope name → path on the API's own host
// (Skatteetaten/api-dokumentasjon docs/om/url.md and the APIs' pages).
var skatteetatenPaths = map[string]string{
	"kravogbetalinger":                        "v1/",                            // /{rettighetspakke}/{partId}/aapnekrav, /krav, /innbetalinger
	"innrapporteringboligselskap":             "v1/",                            // POST /{inntektsaar}
	"innrapporteringaksjonaerregisteroppgave": "api/aksjonaerregister/1086/v1/", // RF-1086
}

// defaultSkatteetatenAPI is step 8's default when the profile has no known skatteetaten: scope:
// Krav og betalinger answers GETs.
const defaultSkatteetatenAPI = "kravogbetalinger"

func skatteetatenAPIs(e *Environment, hostPattern string) {
	e.SkatteetatenAPIs = map[string]string{}
	for api, path := range skatteetatenPaths {
		e.SkatteetatenAPIs[api] = fmt.Sprintf(hostPattern, api) + path
	}
	e.Skatteetaten = e.SkatteetatenAPIs[defaultSkatteetatenAPI]
}

// SkatteetatenAPI is the base of the Skatteetaten API for the first of scopes that names a
// known one (skatteetaten:innrapporteringboligselskap → its own host), else the default.
func (e Environment) SkatteetatenAPI(scopes []string) string {
	for _, sc := range scopes {
		if u, ok := e.SkatteetatenAPIs[strings.TrimPrefix(sc, "skatteetaten:")]; ok && strings.HasPrefix(sc, "skatteetaten:") { //i18n:ignore a scope prefix
			return u
		}
	}
	return e.Skatteetaten
}

// Builtin returns the real test or prod environment.
func Builtin(name string) (Environment, error) {
	e := Environment{Name: name}
	switch name {
	case EnvTest:
		maskinportenURLs(&e, "https://test.maskinporten.no/")
		e.AltinnPlatform = "https://platform.tt02.altinn.no/"
		e.AltinnApprovalUI = "https://am.ui.tt02.altinn.no/"
		e.SelfService = "https://api.test.samarbeid.digdir.no/" + mp.SelfServiceClientsPath
		skatteetatenAPIs(&e, "https://%s.api.skatteetaten-test.no/")
		e.Enhetsregisteret = "https://data.brreg.no/"
	case EnvProd:
		maskinportenURLs(&e, "https://maskinporten.no/")
		e.AltinnPlatform = "https://platform.altinn.no/"
		e.AltinnApprovalUI = "https://am.ui.altinn.no/"
		e.SelfService = "https://api.samarbeid.digdir.no/" + mp.SelfServiceClientsPath
		skatteetatenAPIs(&e, "https://%s.api.skatteetaten.no/")
		e.Enhetsregisteret = "https://data.brreg.no/"
	case EnvSandbox:
		return Environment{}, fmt.Errorf("the sandbox environment needs its base URL: use Sandbox(url)") //i18n:ignore a programmer's error (Builtin called with sandbox), never a user's
	default:
		return Environment{}, CheckEnvName(name)
	}
	return e, nil
}

// Sandbox returns the environment served by a sandbox at base (e.g. http://127.0.0.1:8421).
func Sandbox(base string) Environment {
	e := Environment{Name: EnvSandbox}
	maskinportenURLs(&e, sandboxlayout.Join(base, sandboxlayout.Maskinporten))
	e.AltinnPlatform = sandboxlayout.Join(base, sandboxlayout.AltinnPlatform)
	e.AltinnApprovalUI = sandboxlayout.Join(base, sandboxlayout.AltinnApprovalUI)
	e.SelfService = sandboxlayout.Join(base, sandboxlayout.SelfService) + mp.SelfServiceClientsPath
	e.Skatteetaten = sandboxlayout.Join(base, sandboxlayout.Skatteetaten)
	e.Enhetsregisteret = sandboxlayout.Join(base, sandboxlayout.Brreg)
	return e
}

// CheckEnvName returns nil for a known environment name and a helpful error otherwise.
// ver2 gets its own message: the host was shut down in 2024 but old configs still name it.
func CheckEnvName(name string) error {
	switch name {
	case EnvSandbox, EnvTest, EnvProd:
		return nil
	}
	if strings.Contains(strings.ToLower(name), "ver2") {
		return i18n.Errorf("config.env_ver2", "Name", name)
	}
	return i18n.Errorf("config.env_unknown", "Name", name, "Names", strings.Join(EnvNames, ", "))
}

// ApplyOverrides replaces any URL the profile overrides, and returns warnings for values that
// look wrong (a ver2 host, an issuer without its trailing slash).
func (e Environment) ApplyOverrides(o URLOverrides) (Environment, []error) {
	var warnings []error
	fields := o.fields()
	for _, field := range slices.Sorted(maps.Keys(fields)) {
		if v := fields[field]; strings.Contains(v, "ver2.maskinporten.no") || strings.Contains(v, "integrasjon-ver2") {
			warnings = append(warnings, i18n.Errorf("config.warn_ver2", "Field", field, "URL", v))
		}
	}
	if ss := strings.TrimRight(o.SelfService, "/"); ss != "" && !strings.HasSuffix(ss, "/"+mp.SelfServiceClientsPath) {
		warnings = append(warnings, i18n.Errorf("config.warn_selfservice", "URL", o.SelfService, "Path", mp.SelfServiceClientsPath, "Use", mp.SelfServiceCurrentBase(o.SelfService)))
	}
	if u := strings.ToLower(o.Skatteetaten); strings.Contains(u, "api-test.sits.no") || strings.Contains(u, "://api.skatteetaten.no") {
		warnings = append(warnings, i18n.Errorf("config.warn_ske_host", "URL", o.Skatteetaten))
	}
	if iss := o.MaskinportenIssuer; iss != "" {
		base := iss
		if !strings.HasSuffix(base, "/") {
			warnings = append(warnings, i18n.Errorf("config.warn_issuer_slash", "Issuer", iss))
			base += "/"
		}
		maskinportenURLs(&e, base)
		e.MaskinportenIssuer = iss // the aud is what the user configured, verbatim
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&e.MaskinportenMetadata, o.MaskinportenMetadata)
	set(&e.MaskinportenToken, o.MaskinportenToken)
	set(&e.MaskinportenJWKS, o.MaskinportenJWKS)
	set(&e.AltinnPlatform, o.AltinnPlatform)
	set(&e.AltinnApprovalUI, o.AltinnApprovalUI)
	set(&e.SelfService, o.SelfService)
	if o.Skatteetaten != "" {
		// The user said where Skatteetaten is: step 8 suggests that, not a built-in API host.
		e.Skatteetaten, e.SkatteetatenAPIs = o.Skatteetaten, nil
	}
	return e, warnings
}

// URLOverrides lets a profile point any part of an environment elsewhere.
type URLOverrides struct {
	MaskinportenIssuer   string `yaml:"maskinporten_issuer,omitempty"`
	MaskinportenMetadata string `yaml:"maskinporten_metadata,omitempty"`
	MaskinportenToken    string `yaml:"maskinporten_token,omitempty"`
	MaskinportenJWKS     string `yaml:"maskinporten_jwks,omitempty"`
	AltinnPlatform       string `yaml:"altinn_platform,omitempty"`
	AltinnApprovalUI     string `yaml:"altinn_approval_ui,omitempty"`
	SelfService          string `yaml:"selfservice,omitempty"`
	Skatteetaten         string `yaml:"skatteetaten,omitempty"`
}

func (o URLOverrides) fields() map[string]string {
	return map[string]string{
		"maskinporten_issuer":   o.MaskinportenIssuer,
		"maskinporten_metadata": o.MaskinportenMetadata,
		"maskinporten_token":    o.MaskinportenToken,
		"maskinporten_jwks":     o.MaskinportenJWKS,
		"altinn_platform":       o.AltinnPlatform,
		"altinn_approval_ui":    o.AltinnApprovalUI,
		"selfservice":           o.SelfService,
		"skatteetaten":          o.Skatteetaten,
	}
}

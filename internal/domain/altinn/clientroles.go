package altinn

import "slices"

// Client roles are the Enhetsregisteret roles through which Altinn gives an organisation (the
// facilitator, such as an accounting firm) access packages for another (its client), as
// Access Management's IngestRolePackage does. A client can be added to an agent system user
// only when the facilitator holds every one of the system user's packages for it: through
// these roles, or because the client delegated the package to the facilitator itself.
var clientRolePackages = map[string][]string{
	"REGN": {"regnskapsforer-med-signeringsrettighet", "regnskapsforer-uten-signeringsrettighet", "regnskapsforer-lonn"},
	"REVI": {"ansvarlig-revisor", "revisormedarbeider"},
	"FFOR": {"forretningsforer-eiendom"},
}

// ClientRoles are the client roles (REGN: regnskapsfører, REVI: revisor, FFOR:
// forretningsfører), sorted.
func ClientRoles() []string {
	out := make([]string, 0, len(clientRolePackages))
	for r := range clientRolePackages {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// RolePackages are the package codes a client role gives its holder (nil for another role).
func RolePackages(role string) []string { return slices.Clone(clientRolePackages[role]) }

// PackagesNoRoleGives are the codes among codes that no client role gives: for a client to be
// added to an agent system user with one of them, the client must delegate it to the
// facilitator directly.
func PackagesNoRoleGives(codes []string) []string {
	var out []string
	for _, c := range codes {
		given := false
		for _, pkgs := range clientRolePackages {
			given = given || slices.Contains(pkgs, c)
		}
		if !given {
			out = append(out, c)
		}
	}
	return out
}

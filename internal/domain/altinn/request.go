package altinn

import (
	"fmt"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
)

// SystemTerms is what a request is checked against: the system's rights, packages and
// allowed redirect URLs.
type SystemTerms struct {
	Rights              []Right
	AccessPackages      []PackageRef
	AllowedRedirectURLs []string
}

// ValidateRequestTerms applies the request rules that follow the system lookup and the
// Enhetsregisteret check (§3.3 step 4), first failure wins, as the server does. Rights and
// packages distinguish nil (absent in JSON) from empty, as the server does.
func ValidateRequestTerms(rights []Right, pkgs []PackageRef, redirectURL string, agent bool, sys SystemTerms, cat *accesspackages.Catalog) *Violation {
	if redirectURL != "" {
		if len(sys.AllowedRedirectURLs) == 0 {
			return &Violation{Code: "AUTH-00026", Field: "redirectUrl", Message: "the system has no allowedRedirectUrls, so no redirectUrl may be sent"}
		}
		if !RedirectMatches(sys.AllowedRedirectURLs, redirectURL) {
			return &Violation{Code: "AUTH-00021", Field: "redirectUrl",
				Message: fmt.Sprintf("%q matches none of the system's allowedRedirectUrls (%s); scheme, host, port and path must match, the query is ignored", redirectURL, strings.Join(sys.AllowedRedirectURLs, ", "))}
		}
	}
	onSystem := map[string]bool{}
	for _, p := range sys.AccessPackages {
		onSystem[accesspackages.URN(p.URN)] = true
	}
	var missing, wrongFlag []string
	for _, p := range pkgs {
		urn := accesspackages.URN(p.URN)
		if !onSystem[urn] {
			missing = append(missing, urn)
			continue
		}
		pkg, ok := cat.Lookup(urn)
		if ok && ((agent && !pkg.IsDelegable) || (!agent && !pkg.IsAssignable)) {
			wrongFlag = append(wrongFlag, urn)
		}
	}
	if agent {
		if len(pkgs) == 0 {
			return &Violation{Code: "AUTH-00058", Field: "accessPackages", Message: "an agent request needs at least one access package"}
		}
	} else {
		if rights == nil && pkgs == nil {
			return &Violation{Code: "AUTH-00001", Field: "rights", Message: "a standard request needs rights or access packages"}
		}
		if len(rights) == 0 && len(pkgs) == 0 {
			return &Violation{Code: "AUTH-00059", Field: "accessPackages", Message: "a standard request needs at least one right or access package"}
		}
		sysRights := map[string]bool{}
		for _, r := range sys.Rights {
			sysRights[r.Key()] = true
		}
		for _, r := range rights {
			if !sysRights[r.Key()] {
				return &Violation{Code: "AUTH-00001", Field: "rights", Message: fmt.Sprintf("right %s is not registered on the system", describeRight(r))}
			}
		}
	}
	if len(missing) > 0 {
		return &Violation{Code: "AUTH-00063", Field: "accessPackages", Message: "not registered on the system: " + strings.Join(missing, ", "),
			Extensions: map[string]string{"NotFoundPackages": strings.Join(missing, ", ")}}
	}
	if len(wrongFlag) > 0 {
		if agent {
			return &Violation{Code: "AUTH-00065", Field: "accessPackages", Message: "not delegable, so not for agent system users: " + strings.Join(wrongFlag, ", "),
				Extensions: map[string]string{"NotDelegablePackages": strings.Join(wrongFlag, ", ")}}
		}
		return &Violation{Code: "AUTH-00064", Field: "accessPackages",
			Message:    "client-only packages need an agent request (--agent): " + strings.Join(wrongFlag, ", "),
			Extensions: map[string]string{"NotDelegablePackages": strings.Join(wrongFlag, ", ")}}
	}
	return nil
}

func describeRight(r Right) string {
	var vals []string
	for _, a := range r.Resource {
		vals = append(vals, a.Value)
	}
	return strings.Join(vals, "/")
}

// SuggestAgent reports whether a set of packages can only be requested as an agent request,
// and which packages force it.
func SuggestAgent(pkgs []PackageRef, cat *accesspackages.Catalog) (agent bool, forcing []string) {
	for _, p := range pkgs {
		if pkg, ok := cat.Lookup(p.URN); ok && pkg.ClientOnly() {
			forcing = append(forcing, pkg.Code)
		}
	}
	return len(forcing) > 0, forcing
}

package altinn

import (
	"fmt"
	"net/url"
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
// packages distinguish nil (absent in JSON) from empty, as the server does. Packages are
// compared as exact strings and rights by their resource attributes only, as
// SystemUserService.ValidateAccessPackages / ValidateRights do (altinn-authentication
// src/Authentication/Services/SystemUserService.cs:643-758): no normalisation happens here.
// A nil agent package list never reaches these rules on the server ([Required] model binding
// answers 400 first); here it gives AUTH-00058 like an empty one.
func ValidateRequestTerms(rights []Right, pkgs []PackageRef, redirectURL string, agent bool, sys SystemTerms, cat *accesspackages.Catalog) *Violation {
	if v := ValidateRedirect(redirectURL, sys.AllowedRedirectURLs); v != nil {
		return v
	}
	if agent {
		if len(pkgs) == 0 {
			return &Violation{Code: CodeAgentNeedsPackage, Field: "accessPackages", Rule: "agent_needs_package", Message: "an agent request needs at least one access package"}
		}
		return ValidateRequestedPackages(pkgs, sys.AccessPackages, true, cat)
	}
	if rights == nil && pkgs == nil {
		return &Violation{Code: CodeRightNotDelegable, Field: "rights", Rule: "standard_needs_any", Message: "a standard request needs rights or access packages"}
	}
	if len(rights) == 0 && len(pkgs) == 0 {
		return &Violation{Code: CodeNothingRequested, Field: "accessPackages", Rule: "nothing_requested", Message: "a standard request needs at least one right or access package"}
	}
	if len(rights) > 0 {
		if bad, ok := MatchRights(rights, sys.Rights); !ok {
			v := &Violation{Code: CodeRightNotDelegable, Field: "rights", Rule: "more_rights", Message: "more rights requested than the system lists"}
			if bad >= 0 {
				v.Rule, v.Want = "right_not_on_system", describeRight(rights[bad])
				v.Message = fmt.Sprintf("right %s is not registered on the system (rights are matched by their resource attributes)", v.Want)
			}
			return v
		}
	}
	if len(pkgs) > 0 {
		return ValidateRequestedPackages(pkgs, sys.AccessPackages, false, cat)
	}
	return nil
}

// ValidateRedirect checks a request's redirectUrl against the system's allowed ones
// (AuthenticationHelper.ValidateRedirectUrl): none allowed → AUTH-00026, no match → AUTH-00021.
func ValidateRedirect(redirectURL string, allowed []string) *Violation {
	if redirectURL == "" {
		return nil
	}
	if len(allowed) == 0 {
		return &Violation{Code: CodeNoRedirectURLs, Field: "redirectUrl", Rule: "no_redirects", Message: "the system has no allowedRedirectUrls, so no redirectUrl may be sent"}
	}
	if !RedirectIsAbsolute(redirectURL) {
		// new Uri(redirectURL) throws on a relative URL and the server answers 500
		// (AuthenticationHelper.cs:688).
		return &Violation{Field: "redirectUrl", Blocking: true, Rule: "redirect_relative", Value: redirectURL, Message: fmt.Sprintf("%q must be an absolute URL (Altinn answers 500 to a relative one)", redirectURL)}
	}
	if !RedirectMatches(allowed, redirectURL) {
		return &Violation{Code: CodeRedirectInvalid, Field: "redirectUrl", Rule: "redirect_no_match", Value: redirectURL, Want: strings.Join(allowed, ", "),
			Message: fmt.Sprintf("%q matches none of the system's allowedRedirectUrls (%s); scheme, host, port and path must match, the query is ignored", redirectURL, strings.Join(allowed, ", "))}
	}
	return nil
}

// RedirectIsAbsolute reports whether .NET's new Uri(u) would accept u: an absolute URL.
func RedirectIsAbsolute(u string) bool {
	p, err := url.Parse(u)
	return err == nil && p.IsAbs() && p.Host != ""
}

// MatchRights reports whether every requested right is on the system, the way
// SystemUserService.ValidateRights does (SystemUserService.cs:643-679, 760-808): more rights
// than the system has fail at once; a right matches a system right with the same number of
// resource attributes that all appear in it, in any order; action is ignored. bad is the index
// of the first right that does not match, or -1 for the count check.
func MatchRights(requested, system []Right) (bad int, ok bool) {
	if len(requested) > len(system) {
		return -1, false
	}
	for i, rr := range requested {
		if len(rr.Resource) == 0 {
			// The server indexes Resource[0] and fails (500); here it is simply not found.
			return i, false
		}
		found := false
		for _, sr := range system {
			if len(sr.Resource) != len(rr.Resource) || !hasPair(sr.Resource, rr.Resource[0]) {
				continue
			}
			all := true
			for _, p := range sr.Resource {
				all = all && hasPair(rr.Resource, p)
			}
			if all {
				found = true
				break
			}
		}
		if !found {
			return i, false
		}
	}
	return 0, true
}

func hasPair(list []AttributePair, p AttributePair) bool {
	for _, q := range list {
		if q.ID == p.ID && q.Value == p.Value {
			return true
		}
	}
	return false
}

// ValidateRequestedPackages checks requested packages against the system's as
// SystemUserService.ValidateAccessPackages does (SystemUserService.cs:681-758): more packages
// than the system has → AUTH-00063 without details; each URN must equal one of the system's
// exactly (AUTH-00063, NotFoundPackages); a package the catalog does not know, or without the
// flag the request type needs, is not delegable (AUTH-00065 agent / AUTH-00064 standard).
func ValidateRequestedPackages(pkgs, system []PackageRef, agent bool, cat *accesspackages.Catalog) *Violation {
	if len(system) < len(pkgs) {
		return &Violation{Code: CodePackageNotOnSystem, Field: "accessPackages", Rule: "more_packages", Message: "more access packages requested than the system lists"}
	}
	var missing, wrongFlag []string
	for _, p := range pkgs {
		found := false
		for _, sp := range system {
			found = found || sp.URN == p.URN
		}
		if !found {
			missing = append(missing, p.URN)
			continue
		}
		pkg, ok := cat.Lookup(p.URN)
		if !ok || (agent && !pkg.IsDelegable) || (!agent && !pkg.IsAssignable) {
			wrongFlag = append(wrongFlag, p.URN)
		}
	}
	if len(missing) > 0 {
		return &Violation{Code: CodePackageNotOnSystem, Field: "accessPackages", Rule: "package_not_on_system", Want: strings.Join(missing, ", "),
			Message:    "not registered on the system (URNs are compared exactly): " + strings.Join(missing, ", "),
			Extensions: map[string]string{"NotFoundPackages": strings.Join(missing, ", ")}}
	}
	if len(wrongFlag) > 0 {
		if agent {
			return &Violation{Code: CodePackageNotForClients, Field: "accessPackages", Rule: "package_not_for_clients", Want: strings.Join(wrongFlag, ", "),
				Message:    "not delegable, so not for agent system users: " + strings.Join(wrongFlag, ", "),
				Extensions: map[string]string{"NotDelegablePackages": strings.Join(wrongFlag, ", ")}}
		}
		return &Violation{Code: CodePackageNotDelegable, Field: "accessPackages", Rule: "package_client_only", Want: strings.Join(wrongFlag, ", "),
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

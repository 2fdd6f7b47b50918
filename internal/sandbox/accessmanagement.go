package sandbox

import (
	"hash/fnv"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	ap "github.com/sbs-tui/sbs-tui/internal/domain/authorizedparties"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/authentication"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Access Management's end-user authorized-parties list, as Altinn/altinn-authorization-tmp
// (f7ff53b) serves it at {platform}accessmanagement/api/v1/enduser/authorizedparties
// (Api.Enduser/Controllers/AuthorizedPartiesController.cs):
//   - Access Management trusts Altinn's own tokens only: a system user's Maskinporten token
//     must be exchanged first (AS-am), a raw one is a bare 401;
//   - the policy EnduserAuthorizedParty needs altinn:portal/enduser or
//     altinn:accessmanagement/authorizedparties, else a bare 403 (ScopeAccessRequirement);
//   - the caller is the token's user id, else its system user (authorization_details'
//     systemuser_id[0]); neither is 401 "Unknown user type";
//   - 200 {"links":{"next":null},"data":[AuthorizedPartyDto…]}: for an agent system user the
//     clients its facilitator added, each with the packages delegated for it; for a standard
//     system user its own organisation with what the customer gave it. Lists are filled only
//     for the include… flags that are true (all default false).

// accessManagementHost is Access Management's authorized-parties list.
type accessManagementHost struct{ authentication.Base }

func (s accessManagementHost) mountAccessManagement(mux *http.ServeMux) {
	mux.HandleFunc("GET "+env.AltinnPrefix+ap.Path, s.authorizedParties)
}

// amFlags are the query's include… flags ASP.NET binds as bool.
var amFlags = []string{"includeRoles", "includeAccessPackages", "includeResources", "includeInstances"}

// amFilters are the AuthorizedPartiesIncludeFilter flags (true/false/auto).
var amFilters = []string{"includePartiesViaKeyRoles", "includeSubParties", "includeInactiveParties"}

func (s accessManagementHost) authorizedParties(w http.ResponseWriter, r *http.Request) {
	c := env.Ring{Env: s.Env}.AuthenticateToken(r, true)
	if c == nil || !c.Exchanged {
		w.Header().Set("WWW-Authenticate", "Bearer")
		env.WriteEmpty(w, http.StatusUnauthorized)
		return
	}
	if !c.HasScope(ap.Scope) && !c.HasScope(ap.PortalScope) {
		env.WriteEmpty(w, http.StatusForbidden)
		return
	}
	q := r.URL.Query()
	include := map[string]bool{}
	errs := map[string][]string{}
	for _, f := range amFlags {
		v := q.Get(f)
		switch strings.ToLower(v) {
		case "", "false":
		case "true":
			include[f] = true
		default:
			errs[f] = []string{"The value '" + v + "' is not valid."}
		}
	}
	for _, f := range amFilters {
		if v := q.Get(f); v != "" && !slices.Contains([]string{"true", "false", "auto"}, strings.ToLower(v)) {
			errs[f] = []string{"The value '" + v + "' is not valid."}
		}
	}
	var filter []string
	for _, v := range q["partyFilter"] {
		id, err := uuid.Parse(v)
		if err != nil {
			errs["partyFilter"] = append(errs["partyFilter"], "The value '"+v+"' is not valid.")
			continue
		}
		filter = append(filter, id.String())
	}
	if len(errs) > 0 {
		s.WriteModelErrors(w, errs)
		return
	}
	if len(c.AuthorizationDetails) == 0 || c.AuthorizationDetails[0].Type != "urn:altinn:systemuser" || len(c.AuthorizationDetails[0].SystemUserID) == 0 {
		env.AltinnJSON(w, http.StatusUnauthorized, "Unknown user type")
		return
	}
	out := ap.List{Data: []ap.Party{}}
	_ = s.Env.Store.View(func(st *world.State) error {
		out.Data = authorizedPartiesOf(st, c.AuthorizationDetails[0].SystemUserID[0], include)
		return nil
	})
	if len(filter) > 0 {
		out.Data = slices.DeleteFunc(out.Data, func(p ap.Party) bool { return !slices.Contains(filter, p.PartyUUID) })
	}
	env.AltinnJSON(w, http.StatusOK, out)
}

// authorizedPartiesOf is what the system user id may act for: an unknown or deleted system
// user reaches nothing (an empty list, as for any party without connections).
func authorizedPartiesOf(st *world.State, systemUserID string, include map[string]bool) []ap.Party {
	out := []ap.Party{}
	su := st.SystemUsers[strings.ToLower(systemUserID)]
	if su == nil || su.Deleted {
		return out
	}
	if su.Agent {
		for _, d := range st.ClientDelegations {
			if d.AgentID == su.ID {
				out = append(out, amParty(st, d.ClientOrgNo, d.Packages, nil, include))
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].OrgNo() < out[j].OrgNo() })
		return out
	}
	var resources []string
	for _, rt := range su.Rights {
		resources = append(resources, strings.Split(world.ResourceValues(rt), "/")...)
	}
	return append(out, amParty(st, su.OwnerOrg, altinn.PackageCodes(su.AccessPackages), resources, include))
}

// amParty is one organisation as AuthorizedPartyDto.
func amParty(st *world.State, org string, packages, resources []string, include map[string]bool) ap.Party {
	name := org
	if o, ok := st.Orgs[org]; ok && o.Name != "" {
		name = o.Name
	}
	orgNo := org
	p := ap.Party{
		PartyUUID: world.PartyUUID(org), Name: name, OrganizationNumber: &orgNo, PartyID: amPartyID(org),
		Type: ap.TypeOrganization, UnitType: amUnitType(name),
		AuthorizedAccessPackages: []string{}, AuthorizedResources: []string{}, AuthorizedRoles: []string{},
		AuthorizedInstances: []ap.Instance{}, Subunits: []ap.Party{},
	}
	if include["includeAccessPackages"] {
		p.AuthorizedAccessPackages = append(p.AuthorizedAccessPackages, packages...)
		sort.Strings(p.AuthorizedAccessPackages)
	}
	if include["includeResources"] {
		p.AuthorizedResources = append(p.AuthorizedResources, resources...)
		sort.Strings(p.AuthorizedResources)
	}
	return p
}

// amPartyID is a stable Altinn 2 party id for an organisation (real ones are 5xxxxxxx).
func amPartyID(org string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(org))
	return 50000000 + int(h.Sum32()%1000000)
}

// amUnitType is Enhetsregisteret's organisation form as the name shows it.
func amUnitType(name string) *string {
	var t string
	switch up := strings.ToUpper(name); {
	case strings.HasSuffix(up, " ASA"):
		t = "ASA"
	case strings.HasSuffix(up, " AS"):
		t = "AS"
	case strings.Contains(up, "BORETTSLAG"):
		t = "BRL"
	default:
		return nil
	}
	return &t
}

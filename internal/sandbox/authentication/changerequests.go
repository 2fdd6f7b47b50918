package authentication

import (
	"net/http"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/sandboxlayout"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/refusal"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Change requests, vendor side, as ChangeRequestSystemUserController
// (src/Authentication/Controllers/ChangeRequestSystemUserController.cs) and
// ChangeRequestSystemUserService (src/Authentication/Services/ChangeRequestSystemUserService.cs)
// at ad4f6f3671c0ba40bf923003688f5949c6a89aa2 have them.

func (s ChangeRequestsHost) MountChangeRequests(mux *http.ServeMux) {
	write := []string{world.ScopeRequestWrite}
	read := []string{world.ScopeRequestRead}
	base := env.AltinnPrefix + "authentication/api/v1/systemuser/changerequest/vendor"
	mux.HandleFunc("POST "+base, s.altinnAuth(write, s.createChangeRequest))
	mux.HandleFunc("GET "+base+"/{requestId}", s.altinnAuth(read, s.getChangeRequest))
	mux.HandleFunc("GET "+base+"/byexternalref/{systemId}/{orgNo}/{externalRef}", s.altinnAuth(read, s.getChangeRequestByRef))
	mux.HandleFunc("GET "+base+"/bysystem/{systemId}", s.altinnAuth(read, s.listChangeRequests))
	mux.HandleFunc("DELETE "+base+"/{requestId}", s.altinnAuth(write, s.deleteChangeRequest))
}

// changeRequestDTO renders a change request (ChangeRequestResponse); confirm adds the
// confirmUrl, which the list does not carry.
func (s ChangeRequestsHost) changeRequestDTO(r *http.Request, q *world.ChangeRequest, confirm bool) altinn.ChangeRequest {
	out := altinn.ChangeRequest{ID: q.ID, ExternalRef: q.ExternalRef, SystemID: q.SystemID, SystemUserID: q.SystemUserID, PartyOrgNo: q.PartyOrgNo,
		RequiredRights: world.NonNil(q.RequiredRights), UnwantedRights: world.NonNil(q.UnwantedRights),
		RequiredAccessPackages: world.NonNil(q.RequiredAccessPackages), UnwantedAccessPackages: world.NonNil(q.UnwantedAccessPackages),
		Status: q.Status, RedirectURL: q.RedirectURL, Created: altinn.Time{Time: q.Created},
		TimedOut: s.Env.Opts.Now().Sub(q.Created) > altinn.RequestTimeout}
	if confirm {
		out.ConfirmURL = altinn.ChangeRequestConfirmURL(env.BaseURL(r)+sandboxlayout.AltinnApprovalUI, q.ID)
	}
	return out
}

// parseQueryGUID binds a [FromQuery] Guid: absent is Guid.Empty, unreadable a model error.
func parseQueryGUID(v string) (string, bool) {
	if v == "" {
		return uuid.Nil.String(), true
	}
	id, err := uuid.Parse(v)
	if err != nil {
		return "", false
	}
	return id.String(), true
}

// createChangeRequest is CreateChangeRequest (ChangeRequestSystemUserController.cs:82-166) with
// ChangeRequestSystemUserService.CreateChangeRequest/ValidateChangeRequest (:55-91, :577-635).
func (s ChangeRequestsHost) createChangeRequest(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	q := r.URL.Query()
	corr, ok1 := parseQueryGUID(q.Get("correlation-id"))
	suID, ok2 := parseQueryGUID(q.Get("system-user-id"))
	if !ok1 || !ok2 {
		field, v := "correlation-id", q.Get("correlation-id")
		if ok1 {
			field, v = "system-user-id", q.Get("system-user-id")
		}
		s.writeModelError(w, field, "The value '"+v+"' is not valid.")
		return
	}
	var b altinn.ChangeRequestBody
	if !s.decodeAltinnBody(w, r, &b) {
		return
	}
	trim(&b.RedirectURL)
	if corr == uuid.Nil.String() {
		env.WriteText(w, http.StatusBadRequest, "Missing or invalid QueryParameter: correlation-id. Generate a unique UUID (RFC 4122) for this Change Request, and add as a Query Parameter.")
		return
	}
	if c.OrgNo == "" {
		s.writeStatusProblem(w, http.StatusUnauthorized)
		return
	}
	var (
		result   *world.ChangeRequest
		created  bool
		noChange bool
	)
	err := s.Env.Store.Update(func(st *world.State) error {
		su := st.SystemUsers[suID]
		if su == nil || su.Deleted {
			return refusal.Problem(altinn.CodeSystemUserNotFound, nil)
		}
		if corr == su.ID {
			return refusal.Text(http.StatusBadRequest, "The correlation-id should not be the same as the system-user-id. Generate a unique id.")
		}
		sys := st.Systems[su.SystemID]
		if sys == nil || sys.VendorOrg != c.OrgNo {
			return refusal.Status(http.StatusUnauthorized) // Unauthorized() (ChangeRequestSystemUserController.cs:125)
		}
		if b.Empty() {
			noChange = true
			result = &world.ChangeRequest{ID: corr, SystemUserID: su.ID, SystemID: su.SystemID, PartyOrgNo: su.OwnerOrg, ExternalRef: su.ExternalRef,
				Status: altinn.StatusNoChangeNeeded, RedirectURL: b.RedirectURL}
			return nil // not stored
		}
		// An existing change request with this id, on the caller's system, is returned as it is.
		existing := st.ChangeRequests[corr]
		if existing != nil && !existing.Deleted {
			if es := st.Systems[existing.SystemID]; es != nil && es.VendorOrg == c.OrgNo {
				result = existing
				return nil
			}
		}
		// Agent system users cannot be changed (ChangeRequestSystemUserService.cs:58-62).
		if su.Agent {
			return refusal.Problem(altinn.CodeSystemUserNotFound, nil)
		}
		if existing != nil && !existing.Deleted {
			if existing.Status == altinn.StatusNew {
				return refusal.Problem(altinn.CodeRequestPending, nil)
			}
			return refusal.Problem(altinn.CodeChangeRequestNotNew, nil)
		}
		if _, ok := st.Orgs[su.OwnerOrg]; !ok {
			return refusal.Problem(altinn.CodeOrgNotResolved, nil)
		}
		// Rights and packages are checked against the system as a new request's are.
		if b.RedirectURL != "" || len(b.RequiredRights) > 0 || len(b.RequiredAccessPackages) > 0 {
			if v := validateChange(b, sys, s.Env); v != nil {
				if v.Code == "" {
					return refusal.Unhandled() // a relative redirectUrl: new Uri() throws → 500
				}
				return refusal.Problem(v.Code, v.Extensions)
			}
		}
		// A soft-deleted change request keeps its id: the insert violates the primary key
		// and the exception surfaces as a 500.
		if existing != nil {
			return refusal.Unhandled()
		}
		result = &world.ChangeRequest{ID: corr, SystemUserID: su.ID, SystemID: su.SystemID, VendorOrg: c.OrgNo, PartyOrgNo: su.OwnerOrg,
			ExternalRef: su.ExternalRef, RequiredRights: world.NonNil(b.RequiredRights), UnwantedRights: world.NonNil(b.UnwantedRights),
			RequiredAccessPackages: world.NonNil(b.RequiredAccessPackages), UnwantedAccessPackages: world.NonNil(b.UnwantedAccessPackages),
			Status: altinn.StatusNew, RedirectURL: b.RedirectURL, Created: s.Env.Opts.Now(), Seq: st.NextSeq()}
		st.ChangeRequests[corr] = result
		st.Touch(&st.ChangeRequests, corr)
		created = true
		return nil
	})
	switch {
	case err != nil:
		s.render(w, err)
	case noChange:
		// Not stored; created stays .NET's default DateTime and confirmUrl is "".
		dto := s.changeRequestDTO(r, result, false)
		dto.Created = altinn.Time{}
		type withConfirm struct {
			altinn.ChangeRequest
			ConfirmURL string `json:"confirmUrl"`
		}
		env.AltinnJSON(w, http.StatusOK, withConfirm{ChangeRequest: dto})
	case created:
		w.Header().Set("Location", env.BaseURL(r)+env.AltinnPrefix+"authentication/api/v1/systemuser/changerequest/"+result.ID)
		env.AltinnJSON(w, http.StatusCreated, s.changeRequestDTO(r, result, true))
	default:
		env.AltinnJSON(w, http.StatusOK, s.changeRequestDTO(r, result, true))
	}
}

// validateChange is the tail of ValidateChangeRequest (ChangeRequestSystemUserService.cs:604-632):
// the redirect URL, then required rights and required packages as for a standard request.
func validateChange(b altinn.ChangeRequestBody, sys *world.System, s *env.Env) *altinn.Violation {
	if v := altinn.ValidateRedirect(b.RedirectURL, sys.AllowedRedirectURLs); v != nil {
		return v
	}
	if len(b.RequiredRights) > 0 {
		if bad, ok := altinn.MatchRights(b.RequiredRights, sys.Rights); !ok {
			msg := "more rights requested than the system lists"
			if bad >= 0 {
				msg = "a required right is not registered on the system"
			}
			return &altinn.Violation{Code: altinn.CodeRightNotDelegable, Field: "requiredRights", Message: msg}
		}
	}
	if len(b.RequiredAccessPackages) > 0 {
		return altinn.ValidateRequestedPackages(b.RequiredAccessPackages, sys.AccessPackages, false, s.Catalog)
	}
	return nil
}

// findChangeRequest is GetChangeRequestByGuid/ByExternalRef's rule: not deleted, and the system
// (looked up by systemID) must be the caller's (AUTH-00011).
func (s ChangeRequestsHost) findChangeRequest(w http.ResponseWriter, r *http.Request, c *env.Caller, systemOf func(*world.ChangeRequest) string, match func(*world.ChangeRequest) bool, packages bool) {
	if c.OrgNo == "" {
		s.writeStatusProblem(w, http.StatusUnauthorized)
		return
	}
	var found *world.ChangeRequest
	err := s.Env.Store.View(func(st *world.State) error {
		var cands []*world.ChangeRequest
		for _, q := range st.ChangeRequests {
			if !q.Deleted && match(q) {
				cands = append(cands, q)
			}
		}
		if len(cands) == 0 {
			return refusal.Problem(altinn.CodeRequestNotFound, nil)
		}
		sort.Slice(cands, func(i, j int) bool { return cands[i].Seq < cands[j].Seq })
		sys := st.Systems[systemOf(cands[0])]
		if sys == nil || sys.VendorOrg != c.OrgNo {
			return refusal.Problem(altinn.CodeSystemNotFound, nil)
		}
		cp := *cands[0]
		found = &cp
		return nil
	})
	if err != nil {
		s.render(w, err)
		return
	}
	dto := s.changeRequestDTO(r, found, true)
	if !packages {
		// GetChangeRequestByExternalRef copies the rights but not the packages
		// (ChangeRequestSystemUserService.cs:196-207), so they come back empty.
		dto.RequiredAccessPackages, dto.UnwantedAccessPackages = []altinn.PackageRef{}, []altinn.PackageRef{}
	}
	env.AltinnJSON(w, http.StatusOK, dto)
}

func (s ChangeRequestsHost) getChangeRequest(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	id, ok := s.pathGUID(w, r, "requestId")
	if !ok {
		return
	}
	id = strings.ToLower(id)
	s.findChangeRequest(w, r, c, func(q *world.ChangeRequest) string { return q.SystemID }, func(q *world.ChangeRequest) bool { return q.ID == id }, true)
}

func (s ChangeRequestsHost) getChangeRequestByRef(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	sysID, org, ref := r.PathValue("systemId"), r.PathValue("orgNo"), r.PathValue("externalRef")
	s.findChangeRequest(w, r, c, func(*world.ChangeRequest) string { return sysID },
		func(q *world.ChangeRequest) bool {
			return q.SystemID == sysID && q.PartyOrgNo == org && q.ExternalRef == ref
		}, false)
}

// listChangeRequests is GetAllChangeRequestsForVendor: the service ignores the continuation
// token and always answers the first page (ChangeRequestSystemUserService.cs:481-503), with a
// next link while there are more than 50. Following it gives the same page again.
func (s ChangeRequestsHost) listChangeRequests(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	sysID := r.PathValue("systemId")
	if _, ok := s.vendorList(w, r, c); !ok {
		return // the token is checked, not used: the service always answers the first page
	}
	var items []*world.ChangeRequest
	owned := false
	_ = s.Env.Store.View(func(st *world.State) error {
		sys := st.Systems[sysID]
		owned = sys != nil && sys.VendorOrg == c.OrgNo
		for _, q := range st.ChangeRequests {
			if owned && !q.Deleted && q.SystemID == sysID {
				cp := *q
				items = append(items, &cp)
			}
		}
		return nil
	})
	if !owned {
		s.writeProblem(w, altinn.CodeSystemNotFound, nil)
		return
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Seq < items[j].Seq })
	env.AltinnJSON(w, http.StatusOK, guidPage(r, items, func(q *world.ChangeRequest) string { return q.ID },
		func(q *world.ChangeRequest) altinn.ChangeRequest { return s.changeRequestDTO(r, q, false) }))
}

// deleteChangeRequest soft-deletes, with no ownership check (ChangeRequestSystemUserController.cs:414-425).
func (s ChangeRequestsHost) deleteChangeRequest(w http.ResponseWriter, r *http.Request, _ *env.Caller) {
	id, ok := s.pathGUID(w, r, "requestId")
	if !ok {
		return
	}
	id = strings.ToLower(id)
	RequestsHost{s.Base}.softDelete(w, func(st *world.State) *bool {
		if q := st.ChangeRequests[id]; q != nil {
			st.Touch(&st.ChangeRequests, id)
			return &q.Deleted
		}
		return nil
	})
}

// DecideChange approves or rejects a change request as the customer
// (ApproveAndDelegateChangeOnSystemUser, ChangeRequestSystemUserService.cs:302-437): on approval
// the required packages and rights the system user lacks are delegated, the unwanted ones it
// holds are revoked.
func (s ChangeRequestsHost) DecideChange(id string, approve bool) (*world.ChangeRequest, error) {
	var out *world.ChangeRequest
	err := s.Env.Store.Update(func(st *world.State) error {
		q := st.ChangeRequests[id]
		if q == nil || q.Deleted {
			return refusal.Problem(altinn.CodeRequestNotFound, nil)
		}
		if q.Status != altinn.StatusNew {
			return refusal.Problem(altinn.CodeRequestNotNew, nil)
		}
		st.Touch(&st.ChangeRequests, id)
		if !approve {
			q.Status = altinn.StatusRejected
			cp := *q
			out = &cp
			return nil
		}
		if st.Systems[q.SystemID] == nil {
			return refusal.Problem(altinn.CodeSystemNotFound, nil)
		}
		su := st.SystemUsers[q.SystemUserID]
		if su == nil || su.Deleted {
			return refusal.Problem(altinn.CodeSystemUserNotFound, nil)
		}
		st.Touch(&st.SystemUsers, su.ID)
		for _, p := range q.RequiredAccessPackages {
			if !hasPackage(su.AccessPackages, p.URN) {
				su.AccessPackages = append(su.AccessPackages, p)
			}
		}
		var keep []altinn.PackageRef
		for _, p := range su.AccessPackages {
			if !hasPackage(q.UnwantedAccessPackages, p.URN) {
				keep = append(keep, p)
			}
		}
		su.AccessPackages = keep
		for _, rt := range q.RequiredRights {
			if _, held := altinn.MatchRights([]altinn.Right{rt}, su.Rights); !held {
				su.Rights = append(su.Rights, rt)
			}
		}
		var keepRights []altinn.Right
		for _, rt := range su.Rights {
			if _, unwanted := altinn.MatchRights([]altinn.Right{rt}, q.UnwantedRights); !unwanted {
				keepRights = append(keepRights, rt)
			}
		}
		su.Rights = keepRights
		q.Status = altinn.StatusAccepted
		cp := *q
		out = &cp
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func hasPackage(list []altinn.PackageRef, urn string) bool {
	for _, p := range list {
		if p.URN == urn {
			return true
		}
	}
	return false
}

func (s ChangeRequestsHost) DecideChangeErr(id string, approve bool) (*world.ChangeRequest, error) {
	return s.DecideChange(strings.ToLower(id), approve)
}

// ChangeRequestsHost is the Altinn change-request API.
type ChangeRequestsHost struct{ Base }

package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"sort"

	"github.com/google/uuid"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
)

func (s *Sandbox) mountAltinn(mux *http.ServeMux) {
	write := []string{ScopeSystemRegisterWrite, ScopeSystemRegisterAdmin}
	reg := altinnPrefix + "authentication/api/v1/systemregister/vendor"
	mux.HandleFunc("POST "+reg, s.altinnAuth(write, s.createSystem))
	mux.HandleFunc("GET "+reg, s.altinnAuth(write, s.listSystems))
	mux.HandleFunc("GET "+reg+"/{systemId}", s.altinnAuth(write, s.getSystem))
	mux.HandleFunc("PUT "+reg+"/{systemId}", s.altinnAuth(write, s.updateSystem))
	mux.HandleFunc("PUT "+reg+"/{systemId}/rights", s.altinnAuth(write, s.updateSystemRights))
	mux.HandleFunc("PUT "+reg+"/{systemId}/accesspackages", s.altinnAuth(write, s.updateSystemPackages))
	mux.HandleFunc("DELETE "+reg+"/{systemId}", s.altinnAuth(write, s.deleteSystem))
	s.mountRequests(mux)
	s.mountChangeRequests(mux)
	s.mountClientDelegation(mux)
	s.mountSystemUsers(mux)
	s.mountExchange(mux)
	s.mountAltinnOpenID(mux)
	s.mountAccessPackages(mux)
}

// ScopeSystemRegisterAdmin is Digdir's internal scope that bypasses the ownership check.
const ScopeSystemRegisterAdmin = "altinn:authentication/systemregister.admin"

func trimDefinition(d *altinn.SystemDefinition) {
	trim(&d.ID)
	trim(&d.Vendor.ID)
}

func (c *caller) owns(vendorOrg string) bool {
	return c.OrgNo == vendorOrg || c.hasScope(ScopeSystemRegisterAdmin)
}

func registeredSystem(sys *System) altinn.RegisteredSystem {
	urls := make([]string, 0, len(sys.AllowedRedirectURLs))
	for _, u := range sys.AllowedRedirectURLs {
		urls = append(urls, altinn.NormalizeURL(u))
	}
	return altinn.RegisteredSystem{
		ID: sys.ID, Vendor: altinn.VendorRef{ID: "0192:" + sys.VendorOrg}, Name: sys.Name, Description: sys.Description,
		Rights: sys.Rights, AccessPackages: sys.AccessPackages, IsDeleted: sys.Deleted,
		ClientID: nonNil(sys.ClientIDs), IsVisible: sys.IsVisible, AllowedRedirectURLs: urls,
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// createSystem follows §2.5: VLD-00000 alone first, then every rule collected, with the
// ownership check (403) winning over validation errors.
func (s *Sandbox) createSystem(w http.ResponseWriter, r *http.Request, c *caller) {
	var d altinn.SystemDefinition
	if !s.bindSystemDefinition(w, r, &d, "registerNewSystem") {
		return
	}
	trimDefinition(&d)
	var internalID string
	var violations []altinn.Violation
	forbidden, conflict := false, false
	err := s.store.update(func(st *State) error {
		violations = altinn.ValidateSystemCreate(d, s.catalog, registryView{st})
		if len(violations) > 0 && violations[0].Code == "AUTH.VLD-00000" {
			return errReported
		}
		if !c.owns(d.Vendor.OrgNo()) {
			forbidden = true
			return errReported
		}
		if len(violations) > 0 {
			return errReported
		}
		// Create does not validate duplicate client ids: the second row violates
		// maskinporten_client's primary key and the server answers 409
		// (SystemRegisterController.cs:326-327; Migration/v0.00/02-setup-client-table.sql:7).
		if dupClientID(d.ClientID) {
			conflict = true
			return errReported
		}
		internalID = uuid.NewString()
		st.Systems[d.ID] = &System{
			ID: d.ID, InternalID: internalID, VendorOrg: d.Vendor.OrgNo(), Name: d.Name, Description: d.Description,
			Rights: nonNil(d.Rights), AccessPackages: nonNil(d.AccessPackages), ClientIDs: nonNil(d.ClientID),
			IsVisible: d.Visible(), AllowedRedirectURLs: nonNil(d.AllowedRedirectURLs), Created: s.opts.Now(),
		}
		return nil
	})
	switch {
	case forbidden:
		writeEmpty(w, http.StatusForbidden)
	case conflict:
		writeText(w, http.StatusConflict, "The System already exist: "+d.ID)
	case len(violations) > 0:
		s.writeValidation(w, violations)
	case err != nil:
		s.internalError(w, err)
	default:
		// The body is the new internal GUID as a JSON string, not the system.
		altinnJSON(w, http.StatusOK, internalID)
	}
}

// errReported aborts a store update whose answer is already decided.
var errReported = errors.New("reported")

func (s *Sandbox) listSystems(w http.ResponseWriter, r *http.Request, c *caller) {
	var out []altinn.SystemSummary
	_ = s.store.view(func(st *State) error {
		for _, sys := range st.Systems {
			if sys.VendorOrg != c.OrgNo || sys.Deleted {
				continue
			}
			out = append(out, altinn.SystemSummary{
				SystemID: sys.ID, SystemVendorOrgNumber: sys.VendorOrg, SystemVendorOrgName: "",
				Name: sys.Name, Description: sys.Description, Rights: nonNil(sys.Rights),
				AccessPackages: nonNil(sys.AccessPackages), IsVisible: sys.IsVisible,
			})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].SystemID < out[j].SystemID })
	altinnJSON(w, http.StatusOK, nonNil(out))
}

func (s *Sandbox) getSystem(w http.ResponseWriter, r *http.Request, c *caller) {
	id := r.PathValue("systemId")
	var sys *altinn.RegisteredSystem
	status := http.StatusOK
	_ = s.store.view(func(st *State) error {
		found := st.Systems[id]
		switch {
		case found == nil:
			status = http.StatusNotFound
		case !c.owns(found.VendorOrg):
			status = http.StatusForbidden
		default:
			rs := registeredSystem(found) // soft-deleted systems are returned too
			sys = &rs
		}
		return nil
	})
	if sys == nil {
		writeEmpty(w, status)
		return
	}
	altinnJSON(w, http.StatusOK, sys)
}

// updateSystem is the full replace: ownership, vendor, id, deleted, then the re-checked rules.
func (s *Sandbox) updateSystem(w http.ResponseWriter, r *http.Request, c *caller) {
	id := r.PathValue("systemId")
	var d altinn.SystemDefinition
	if !s.bindSystemDefinition(w, r, &d, "proposedUpdateToSystem") {
		return
	}
	trimDefinition(&d)
	s.mutateSystem(w, id, c, func(st *State, sys *System) ([]altinn.Violation, string) {
		if d.Vendor.OrgNo() != sys.VendorOrg {
			return nil, "notfound"
		}
		if d.ID != id {
			return []altinn.Violation{{Code: "AUTH.VLD-00012", Field: "id"}}, ""
		}
		if sys.Deleted {
			return nil, "Cannot update a system marked as deleted."
		}
		if vs := altinn.ValidateSystemUpdate(d, s.catalog, registryView{st}); len(vs) > 0 {
			return vs, ""
		}
		sys.Name, sys.Description = d.Name, d.Description
		sys.Rights, sys.AccessPackages = nonNil(d.Rights), nonNil(d.AccessPackages)
		sys.ClientIDs, sys.IsVisible = nonNil(d.ClientID), d.Visible()
		sys.AllowedRedirectURLs = nonNil(d.AllowedRedirectURLs)
		return nil, ""
	})
}

func (s *Sandbox) updateSystemRights(w http.ResponseWriter, r *http.Request, c *caller) {
	var rights []altinn.Right
	if !s.decodeAltinnBody(w, r, &rights) {
		return
	}
	s.mutateSystem(w, r.PathValue("systemId"), c, func(st *State, sys *System) ([]altinn.Violation, string) {
		if sys.Deleted {
			return nil, "Cannot update a system marked as deleted."
		}
		if vs := altinn.ValidateRights(rights, registryView{st}); len(vs) > 0 {
			return vs, ""
		}
		sys.Rights = nonNil(rights)
		return nil, ""
	})
}

func (s *Sandbox) updateSystemPackages(w http.ResponseWriter, r *http.Request, c *caller) {
	var pkgs []altinn.PackageRef
	if !s.decodeAltinnBody(w, r, &pkgs) {
		return
	}
	s.mutateSystem(w, r.PathValue("systemId"), c, func(st *State, sys *System) ([]altinn.Violation, string) {
		if sys.Deleted {
			return nil, "Cannot update a system marked as deleted."
		}
		// The isVisible check uses the stored value.
		if vs := altinn.ValidatePackages(pkgs, sys.IsVisible, s.catalog); len(vs) > 0 {
			return vs, ""
		}
		sys.AccessPackages = nonNil(pkgs)
		return nil, ""
	})
}

// mutateSystem runs fn on an owned system; fn returns violations, or a text for a plain 400
// ("notfound" for the 404 text), or neither on success.
func (s *Sandbox) mutateSystem(w http.ResponseWriter, id string, c *caller, fn func(*State, *System) ([]altinn.Violation, string)) {
	var vs []altinn.Violation
	var text string
	status := 0
	err := s.store.update(func(st *State) error {
		sys := st.Systems[id]
		if sys == nil {
			text = "notfound"
			return errReported
		}
		if !c.owns(sys.VendorOrg) {
			status = http.StatusForbidden
			return errReported
		}
		vs, text = fn(st, sys)
		if len(vs) > 0 || text != "" {
			return errReported
		}
		return nil
	})
	switch {
	case status != 0:
		writeEmpty(w, status)
	case text == "notfound":
		writeText(w, http.StatusNotFound, fmt.Sprintf("System with ID '%s' not found.", id))
	case text != "":
		writeText(w, http.StatusBadRequest, text)
	case len(vs) > 0:
		s.writeValidation(w, vs)
	case err != nil:
		s.internalError(w, err)
	default:
		altinnJSON(w, http.StatusOK, altinn.Succeeded{Succeeded: true})
	}
}

func (s *Sandbox) deleteSystem(w http.ResponseWriter, r *http.Request, c *caller) {
	id := r.PathValue("systemId")
	status := 0
	err := s.store.update(func(st *State) error {
		sys := st.Systems[id]
		if sys == nil {
			status = http.StatusBadRequest
			return errReported
		}
		if !c.owns(sys.VendorOrg) {
			status = http.StatusForbidden
			return errReported
		}
		// Soft delete: the id stays reserved, the client ids are released.
		sys.Deleted = true
		sys.ClientIDs = nil
		return nil
	})
	switch {
	case status == http.StatusBadRequest:
		s.writeProblemBody(w, 400, altinn.ProblemBody{Type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
			Title: "One or more validation errors occurred.", Status: 400, TraceID: s.traceID(),
			Errors: map[string][]string{"return": {"System not found"}}})
	case status != 0:
		writeEmpty(w, status)
	case err != nil:
		s.internalError(w, err)
	default:
		altinnJSON(w, http.StatusOK, altinn.Succeeded{Succeeded: true})
	}
}

func dupClientID(ids []string) bool {
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return true
		}
		seen[id] = true
	}
	return false
}

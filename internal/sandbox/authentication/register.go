package authentication

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/refusal"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// MountRegister serves the vendor side of the system register.
func (s RegisterHost) MountRegister(mux *http.ServeMux) {
	write := []string{world.ScopeSystemRegisterWrite, ScopeSystemRegisterAdmin}
	reg := env.AltinnPrefix + "authentication/api/v1/systemregister/vendor"
	mux.HandleFunc("POST "+reg, s.altinnAuth(write, s.createSystem))
	mux.HandleFunc("GET "+reg, s.altinnAuth(write, s.listSystems))
	mux.HandleFunc("GET "+reg+"/{systemId}", s.altinnAuth(write, s.getSystem))
	mux.HandleFunc("PUT "+reg+"/{systemId}", s.altinnAuth(write, s.updateSystem))
	mux.HandleFunc("PUT "+reg+"/{systemId}/rights", s.altinnAuth(write, s.updateSystemRights))
	mux.HandleFunc("PUT "+reg+"/{systemId}/accesspackages", s.altinnAuth(write, s.updateSystemPackages))
	mux.HandleFunc("DELETE "+reg+"/{systemId}", s.altinnAuth(write, s.deleteSystem))
	mux.HandleFunc("GET "+reg+"/{systemId}/changelog", s.altinnAuth(write, s.getChangeLog))
}

// ScopeSystemRegisterAdmin is Digdir's internal scope that bypasses the ownership check.
const ScopeSystemRegisterAdmin = "altinn:authentication/systemregister.admin"

func trimDefinition(d *altinn.SystemDefinition) {
	trim(&d.ID)
	trim(&d.Vendor.ID)
}

// owns is HasWriteAccess: the caller's org, or the admin scope found as a case-insensitive
// substring of the scope claim (AuthenticationHelper.ContainsRequiredScope, :418-431).
func owns(c *env.Caller, vendorOrg string) bool {
	return c.OrgNo == vendorOrg || strings.Contains(strings.ToLower(strings.Join(c.Scopes, " ")), ScopeSystemRegisterAdmin)
}

func registeredSystem(sys *world.System) altinn.RegisteredSystem {
	urls := make([]string, 0, len(sys.AllowedRedirectURLs))
	for _, u := range sys.AllowedRedirectURLs {
		urls = append(urls, altinn.NormalizeURL(u))
	}
	return altinn.RegisteredSystem{
		ID: sys.ID, Vendor: altinn.VendorRef{ID: "0192:" + sys.VendorOrg}, Name: sys.Name, Description: sys.Description,
		Rights: sys.Rights, AccessPackages: sys.AccessPackages, IsDeleted: sys.Deleted,
		ClientID: world.NonNil(sys.ClientIDs), IsVisible: sys.IsVisible, AllowedRedirectURLs: urls,
	}
}

// createSystem follows §2.5: VLD-00000 alone first, then every rule collected, with the
// ownership check (403) winning over validation errors.
func (s RegisterHost) createSystem(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	var d altinn.SystemDefinition
	if !s.bindSystemDefinition(w, r, &d, "registerNewSystem") {
		return
	}
	trimDefinition(&d)
	var internalID string
	err := s.Env.Store.Update(func(st *world.State) error {
		violations := altinn.ValidateSystemCreate(d, s.Env.Catalog, world.RegistryView{State: st})
		if len(violations) > 0 && violations[0].Code == altinn.CodeVldVendorOrgInvalid {
			return refusal.Validation(violations)
		}
		if !owns(c, d.Vendor.OrgNo()) {
			return refusal.Empty(http.StatusForbidden)
		}
		if len(violations) > 0 {
			return refusal.Validation(violations)
		}
		// Create does not validate duplicate client ids: the second row violates
		// maskinporten_client's primary key and the server answers 409
		// (SystemRegisterController.cs:326-327; Migration/v0.00/02-setup-client-table.sql:7).
		if dupClientID(d.ClientID) {
			return refusal.Text(http.StatusConflict, "The System already exist: "+d.ID)
		}
		internalID = uuid.NewString()
		st.Systems[d.ID] = &world.System{
			ID: d.ID, InternalID: internalID, VendorOrg: d.Vendor.OrgNo(), Name: d.Name, Description: d.Description,
			Rights: world.NonNil(d.Rights), AccessPackages: world.NonNil(d.AccessPackages), ClientIDs: world.NonNil(d.ClientID),
			IsVisible: d.Visible(), AllowedRedirectURLs: world.NonNil(d.AllowedRedirectURLs), Created: s.Env.Opts.Now(),
		}
		st.Touch(&st.Systems, d.ID)
		s.logChange(st, st.Systems[d.ID], c, world.ChangeCreate, world.CSSystem(d))
		return nil
	})
	if err != nil {
		s.render(w, err)
		return
	}
	// The body is the new internal GUID as a JSON string, not the system.
	env.AltinnJSON(w, http.StatusOK, internalID)
}

func (s RegisterHost) listSystems(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	if c.OrgNo == "" { // no consumer: Forbid()
		env.WriteEmpty(w, http.StatusForbidden)
		return
	}
	var out []altinn.SystemSummary
	_ = s.Env.Store.View(func(st *world.State) error {
		for _, sys := range st.Systems {
			if sys.VendorOrg != c.OrgNo || sys.Deleted {
				continue
			}
			out = append(out, altinn.SystemSummary{
				SystemID: sys.ID, SystemVendorOrgNumber: sys.VendorOrg, SystemVendorOrgName: "",
				Name: sys.Name, Description: sys.Description, Rights: world.NonNil(sys.Rights),
				AccessPackages: world.NonNil(sys.AccessPackages), IsVisible: sys.IsVisible,
			})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].SystemID < out[j].SystemID })
	env.AltinnJSON(w, http.StatusOK, world.NonNil(out))
}

func (s RegisterHost) getSystem(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	id := r.PathValue("systemId")
	var sys *altinn.RegisteredSystem
	status := http.StatusOK
	_ = s.Env.Store.View(func(st *world.State) error {
		found := st.Systems[id]
		switch {
		case found == nil:
			status = http.StatusNotFound
		case !owns(c, found.VendorOrg):
			status = http.StatusForbidden
		default:
			rs := registeredSystem(found) // soft-deleted systems are returned too
			sys = &rs
		}
		return nil
	})
	if sys == nil {
		if status == http.StatusNotFound {
			s.writeStatusProblem(w, status) // NotFound() (SystemRegisterController.cs:140)
			return
		}
		env.WriteEmpty(w, status)
		return
	}
	env.AltinnJSON(w, http.StatusOK, sys)
}

// updateSystem is the full replace: ownership, vendor, id, deleted, then the re-checked rules.
func (s RegisterHost) updateSystem(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	id := r.PathValue("systemId")
	var d altinn.SystemDefinition
	data, ok := s.bindSystemDefinitionRaw(w, r, &d, "proposedUpdateToSystem")
	if !ok {
		return
	}
	trimDefinition(&d)
	s.mutateSystem(w, id, c, func(st *world.State, sys *world.System) error {
		if d.Vendor.OrgNo() != sys.VendorOrg {
			return refusal.Text(http.StatusNotFound, fmt.Sprintf("System with ID '%s' not found.", id))
		}
		if d.ID != id {
			return refusal.Validation([]altinn.Violation{{Code: altinn.CodeVldSystemIDMismatch, Field: "id"}})
		}
		if sys.Deleted {
			return refusal.Text(http.StatusBadRequest, "Cannot update a system marked as deleted.")
		}
		// A null clientId fails CombineClientIds, null rights the rights validation: an
		// unhandled exception, 500 (SystemRegisterController.cs:203-209).
		if len(nullMembers(data, "clientId", "rights")) > 0 {
			return refusal.Unhandled()
		}
		if vs := altinn.ValidateSystemUpdate(d, s.Env.Catalog, world.RegistryView{State: st}); len(vs) > 0 {
			return refusal.Validation(vs)
		}
		sys.Name, sys.Description = d.Name, d.Description
		sys.Rights, sys.AccessPackages = world.NonNil(d.Rights), world.NonNil(d.AccessPackages)
		sys.ClientIDs, sys.IsVisible = world.NonNil(d.ClientID), d.Visible()
		sys.AllowedRedirectURLs = world.NonNil(d.AllowedRedirectURLs)
		s.logChange(st, sys, c, world.ChangeUpdate, world.CSSystem(d))
		return nil
	})
}

func (s RegisterHost) updateSystemRights(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	replaceSystemList(s, w, r, c, func(st *world.State, sys *world.System, rights []altinn.Right) error {
		if vs := altinn.ValidateRights(rights, world.RegistryView{State: st}); len(vs) > 0 {
			return refusal.Validation(vs)
		}
		sys.Rights = world.NonNil(rights)
		s.logChange(st, sys, c, world.ChangeRights, world.CSRights(rights))
		return nil
	})
}

func (s RegisterHost) updateSystemPackages(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	replaceSystemList(s, w, r, c, func(st *world.State, sys *world.System, pkgs []altinn.PackageRef) error {
		// The isVisible check uses the stored value.
		if vs := altinn.ValidatePackages(pkgs, sys.IsVisible, s.Env.Catalog); len(vs) > 0 {
			return refusal.Validation(vs)
		}
		sys.AccessPackages = world.NonNil(pkgs)
		s.logChange(st, sys, c, world.ChangeAccessPackage, world.CSPackages(pkgs))
		return nil
	})
}

// replaceSystemList is PUT …/rights and …/accesspackages: the body, one list, replaces that
// list of the system once apply has validated it.
func replaceSystemList[T any](s RegisterHost, w http.ResponseWriter, r *http.Request, c *env.Caller, apply func(st *world.State, sys *world.System, list []T) error) {
	var list []T
	if !s.decodeAltinnBody(w, r, &list) {
		return
	}
	// An unknown system is not checked for: its null Vendor is dereferenced → 500
	// (SystemRegisterController.cs:344-345, 382-383).
	if !s.systemKnown(r.PathValue("systemId")) {
		s.writeUnhandled(w)
		return
	}
	s.mutateSystem(w, r.PathValue("systemId"), c, func(st *world.State, sys *world.System) error {
		if sys.Deleted {
			return refusal.Text(http.StatusBadRequest, "Cannot update a system marked as deleted.")
		}
		return apply(st, sys, list)
	})
}

// mutateSystem runs fn on an owned system; fn refuses, or changes the system.
func (s RegisterHost) mutateSystem(w http.ResponseWriter, id string, c *env.Caller, fn func(*world.State, *world.System) error) {
	err := s.Env.Store.Update(func(st *world.State) error {
		sys := st.Systems[id]
		if sys == nil {
			return refusal.Text(http.StatusNotFound, fmt.Sprintf("System with ID '%s' not found.", id))
		}
		if !owns(c, sys.VendorOrg) {
			return refusal.Empty(http.StatusForbidden)
		}
		st.Touch(&st.Systems, id) // fn changes it or refuses
		return fn(st, sys)
	})
	if err != nil {
		s.render(w, err)
		return
	}
	env.AltinnJSON(w, http.StatusOK, altinn.Succeeded{Succeeded: true})
}

func (s RegisterHost) deleteSystem(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	id := r.PathValue("systemId")
	err := s.Env.Store.Update(func(st *world.State) error {
		sys := st.Systems[id]
		if sys == nil {
			return refusal.ModelError("return", "System not found")
		}
		if !owns(c, sys.VendorOrg) {
			return refusal.Empty(http.StatusForbidden)
		}
		// Soft delete: the id stays reserved, the client ids are released.
		st.Touch(&st.Systems, id)
		sys.Deleted = true
		sys.ClientIDs = nil
		s.logChange(st, sys, c, world.ChangeDelete, nil)
		return nil
	})
	if err != nil {
		s.render(w, err)
		return
	}
	env.AltinnJSON(w, http.StatusOK, altinn.Succeeded{Succeeded: true})
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

// RegisterHost is the Altinn system register (systems, rights, access packages, change log).
type RegisterHost struct{ Base }

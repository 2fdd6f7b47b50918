package sandbox

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Digdir's self-service API as it is since its 2025-05-22 release: the old client collection
// answers 404, and an organisation that has not signed the terms of use gets 428
// PRECONDITION_REQUIRED when a client is created for it.

// mountLegacySelfService answers the pre-2025-05-22 paths (/clients, /clients/…) with a 404 in
// the API's error shape, for every method, as Digdir's host does now that they are gone.
func (s selfServiceHost) mountLegacySelfService(mux *http.ServeMux, prefix string) {
	gone := func(w http.ResponseWriter, r *http.Request) {
		env.WriteJSON(w, s.Env.Opts.Now(), http.StatusNotFound, mp.ErrorBody{Error: string(mp.SSMovedPath),
			ErrorDescription: "No endpoint " + r.Method + " " + r.URL.Path})
	}
	mux.HandleFunc(prefix+mp.SelfServiceLegacyClientsPath, gone)
	mux.HandleFunc(prefix+mp.SelfServiceLegacyClientsPath+"/", gone)
}

var errTermsUnsigned = errors.New(mp.SelfServiceTermsText)

// termsSigned refuses client creation for an organisation (the caller's, or client_orgno's)
// that has not signed Digdir's terms of use.
func termsSigned(st *world.State, caller, clientOrg string) error {
	for _, org := range []string{caller, clientOrg} {
		if st.Orgs[org].TermsUnsigned {
			return errTermsUnsigned
		}
	}
	return nil
}

func (s selfServiceHost) termsUnsigned(w http.ResponseWriter) {
	env.WriteJSON(w, s.Env.Opts.Now(), http.StatusPreconditionRequired, mp.ErrorBody{Error: string(mp.SSPreconditionRequired),
		ErrorDescription: mp.SelfServiceTermsText})
}

// SetTermsSigned records whether org has signed Digdir's terms of use (bruksvilkår); while it
// has not, the self-service API refuses to create clients for it (428 PRECONDITION_REQUIRED).
func (s *Sandbox) SetTermsSigned(org string, signed bool) error {
	if err := orgno.Validate(org); err != nil {
		return err
	}
	return s.Store.Update(func(st *world.State) error {
		o, ok := st.Orgs[org]
		if !ok {
			return fmt.Errorf("organisation %s is not in the sandbox; `sbs-tui sandbox orgs add` adds organisations", org)
		}
		o.TermsUnsigned = !signed
		st.Orgs[org] = o
		st.Touch(&st.Orgs, org)
		return nil
	})
}

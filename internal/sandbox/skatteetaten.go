package sandbox

import (
	"github.com/sbs-tui/sbs-tui/internal/domain/ske"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"net/http"
	"strings"
	"time"
)

// A sample Skatteetaten API: it takes raw Maskinporten system-user tokens, as Skatteetaten's
// APIs do, and answers with JSON.

// SampleAPIPath is the sample API's "who am I" resource, relative to the Skatteetaten prefix.
const SampleAPIPath = "api/sample/v1/whoami"

func (s skatteetatenHost) mountSkatteetaten(mux *http.ServeMux, prefix string) {
	mux.HandleFunc("GET "+prefix+SampleAPIPath, s.skeWhoAmI)
	mux.HandleFunc("GET "+prefix+"api/sample/v1/parties/{orgNo}/status", s.skePartyStatus)
	mux.HandleFunc("GET "+prefix+SampleAccessPath, s.skeAccess)
	mux.HandleFunc(prefix, s.skeNoEndpoint)
}

// skeCaller checks the token: sandbox Maskinporten, a skatteetaten: scope, a system user.
func (s skatteetatenHost) skeCaller(w http.ResponseWriter, r *http.Request) *env.Caller {
	c := env.Ring{Env: s.Env}.Authenticate(r, false)
	if c == nil {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		skeFail(w, http.StatusUnauthorized, ske.CodeGLDAuthn, "Feil i forbindelse med autentisering: et gyldig tilgangstoken fra Maskinporten kreves (Authorization: Bearer …).")
		return nil
	}
	hasScope := false
	for _, sc := range c.Scopes {
		hasScope = hasScope || strings.HasPrefix(sc, "skatteetaten:")
	}
	if !hasScope {
		skeFail(w, http.StatusForbidden, ske.CodeGLDAuthz, "Feil i forbindelse med autorisering: tokenet har ikke noe skatteetaten:-scope (det har: "+strings.Join(c.Scopes, " ")+").")
		return nil
	}
	if len(c.AuthorizationDetails) == 0 || len(c.AuthorizationDetails[0].SystemUserID) == 0 {
		skeFail(w, http.StatusForbidden, ske.CodeGLDAuthz, "Feil i forbindelse med autorisering: API-et brukes gjennom en systembruker; be om tokenet med authorization_details av typen urn:altinn:systemuser.")
		return nil
	}
	return c
}

func (s skatteetatenHost) skeWhoAmI(w http.ResponseWriter, r *http.Request) {
	c := s.skeCaller(w, r)
	if c == nil {
		return
	}
	su := c.AuthorizationDetails[0]
	var vendorName, partyName string
	_ = s.Env.Store.View(func(st *world.State) error {
		vendorName, partyName = st.Orgs[c.OrgNo].Name, st.Orgs[su.SystemUserOrg.OrgNo()].Name
		return nil
	})
	env.AltinnJSON(w, http.StatusOK, map[string]any{
		"message": "Hei fra Skatteetatens sandkasse-API: tokenet ditt er godtatt.",
		"vendor":  map[string]string{"orgNo": c.OrgNo, "name": vendorName},
		"party":   map[string]string{"orgNo": su.SystemUserOrg.OrgNo(), "name": partyName},
		"systemUser": map[string]any{
			"id": su.SystemUserID, "systemId": su.SystemID,
		},
		"scope":          strings.Join(c.Scopes, " "),
		"clientId":       c.ClientID,
		"tokenExpiresAt": c.Exp.UTC().Format(time.RFC3339),
	})
}

func (s skatteetatenHost) skePartyStatus(w http.ResponseWriter, r *http.Request) {
	c := s.skeCaller(w, r)
	if c == nil {
		return
	}
	org := r.PathValue("orgNo")
	if owner := c.AuthorizationDetails[0].SystemUserOrg.OrgNo(); owner != org {
		// An agent (client) system user acts for the facilitator's clients: the API's
		// authorization lookup allows the clients the facilitator added to it.
		agent, delegated := false, false
		_ = s.Env.Store.View(func(st *world.State) error {
			for _, id := range c.AuthorizationDetails[0].SystemUserID {
				if su := st.SystemUsers[id]; su != nil && su.Agent {
					agent = true
					delegated = delegated || st.ClientDelegations[su.ID+"/"+org] != nil
				}
			}
			return nil
		})
		switch {
		case delegated:
		case agent:
			skeFail(w, http.StatusForbidden, ske.CodeNotAuthorize, "Du er ikke autorisert for tilgang til den forespurte ressursen. "+
				"Klientsystembrukeren til "+owner+" har ingen klientdelegering for "+org+": tilretteleggeren må legge klienten til systembrukeren i Altinn.")
			return
		default:
			skeFail(w, http.StatusForbidden, ske.CodeNotAuthorize, "Du er ikke autorisert for tilgang til den forespurte ressursen. "+
				"Systembrukeren tilhører "+owner+", ikke "+org+"; be om et token for systembrukeren til den organisasjonen.")
			return
		}
	}
	env.AltinnJSON(w, http.StatusOK, map[string]any{
		"orgNo": org, "inntektsaar": s.Env.Opts.Now().Year() - 1, "status": "MOTTATT",
		"innsendinger": []map[string]any{{"id": "sample-1", "mottatt": s.Env.Opts.Now().Add(-48 * time.Hour).UTC().Format(time.RFC3339), "status": "GODKJENT"}},
	})
}

// SampleAccessPath is the sample API's "what may I do" resource.
const SampleAccessPath = "api/sample/v1/access"

// skeAccess reports what the token's system user may do now. That is not in the token (which
// only names the system user): an API asks Altinn's authorization at call time. So after an
// approved change request the next call shows the new packages and rights, and an agent system
// user's clients show as the facilitator adds them.
func (s skatteetatenHost) skeAccess(w http.ResponseWriter, r *http.Request) {
	c := s.skeCaller(w, r)
	if c == nil {
		return
	}
	su := c.AuthorizationDetails[0]
	rights, packages, clients := []string{}, []string{}, []string{}
	agent := false
	_ = s.Env.Store.View(func(st *world.State) error {
		for _, id := range su.SystemUserID {
			u := st.SystemUsers[id]
			if u == nil {
				continue
			}
			agent = agent || u.Agent
			for _, p := range u.AccessPackages {
				packages = append(packages, p.URN)
			}
			for _, r := range u.Rights {
				rights = append(rights, world.ResourceValues(r))
			}
			for _, d := range world.DelegatedClients(st, u.ID) {
				clients = append(clients, d.ClientOrganizationNumber)
			}
		}
		return nil
	})
	kind := "standard"
	if agent {
		kind = "agent"
	}
	env.AltinnJSON(w, http.StatusOK, map[string]any{
		"systemUser":     map[string]any{"id": su.SystemUserID, "systemId": su.SystemID, "owner": su.SystemUserOrg.OrgNo(), "type": kind},
		"accessPackages": packages, "rights": rights, "clients": clients,
	})
}

// skatteetatenHost is the sample Skatteetaten API.
type skatteetatenHost struct{ Env *env.Env }

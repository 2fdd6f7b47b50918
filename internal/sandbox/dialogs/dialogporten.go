package dialogs

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/dialogporten"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Dialogporten's end-user dialog search, as Altinn/dialogporten (743f07f) serves it at
// {platform}dialogporten/api/v1/enduser/dialogs: a Maskinporten system-user token (raw or
// exchanged at Altinn) with digdir:dialogporten; the list holds the dialogs of the parties
// asked for whose service resource the system user was delegated (a right on the resource or
// an access package that covers it). An authenticated caller with nothing delegated gets 200
// with an empty list (AS-dp: "Uten slike rettigheter vil listen fra Dialogporten alltid være tom").

// Prefix is where the sandbox serves Dialogporten: on the Altinn platform host,
// as https://platform.tt02.altinn.no/dialogporten/.
const Prefix = "dialogporten/"

// seedDialog is one dialog the sandbox's Dialogporten holds, with what grants access to it.
type seedDialog struct {
	item dialogporten.Item
	// resource is the service resource's id in the Resource Registry; packages are the access
	// packages that cover it.
	resource string
	packages []string
}

const SeedCustomer = "313367002"

// seedDialogs are the sandbox's dialogs: three for Lystig Ærlig Tiger AS (the seeded customer)
// and one for Fjellvåken Borettslag. They are fixed, so every sandbox shows the same list.
var seedDialogs = sync.OnceValue(func() []seedDialog {
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	text := func(nb string) dialogporten.ContentValue {
		return dialogporten.ContentValue{Value: []dialogporten.Localization{{Value: nb, LanguageCode: "nb"}}, MediaType: "text/plain"}
	}
	mk := func(id, org, resource, typ, party, status, title, summary, created string, packages ...string) seedDialog {
		sender := map[string]string{"skd": "Skatteetaten", "ttd": "Testdepartementet"}[org]
		sum, snd := text(summary), text(sender)
		return seedDialog{resource: resource, packages: packages, item: dialogporten.Item{
			ID: id, Org: org, ServiceResource: "urn:altinn:resource:" + resource, ServiceResourceType: typ,
			Party: dialogporten.PartyOrgPrefix + party, Status: status, SystemLabel: "Default",
			CreatedAt: at(created), UpdatedAt: at(created), ContentUpdatedAt: at(created), FromServiceOwnerTransmissionsCount: 1,
			HasUnopenedContent: true, EndUserContext: &dialogporten.EndUserContext{Revision: "0194d1c3-7c2a-7000-8000-" + id[len(id)-12:], SystemLabels: []string{"Default"}},
			Content: &dialogporten.Content{Title: text(title), Summary: &sum, SenderName: &snd},
		}}
	}
	return []seedDialog{
		mk("0194d1c3-7c2a-7e51-b1a4-3f6e2a9c0001", "skd", "ske-innrapportering-boligselskap", "GenericAccessResource", SeedCustomer, dialogporten.StatusRequiresAttention,
			"Tilbakemelding på innrapportering boligselskap", "Skatteetaten ber om retting av to andelseiere.", "2026-01-20T08:15:00Z", "urn:altinn:accesspackage:skattegrunnlag"),
		mk("0194d1c3-7c2a-7e51-b1a4-3f6e2a9c0002", "skd", "ske-krav-og-betalinger", "GenericAccessResource", SeedCustomer, dialogporten.StatusInProgress,
			"Krav og betalinger", "Innbetaling registrert; restbeløp 0 kr.", "2026-02-03T10:00:00Z", "urn:altinn:accesspackage:skattegrunnlag"),
		mk("0194d1c3-7c2a-7e51-b1a4-3f6e2a9c0003", "ttd", "app_ttd_endring-av-navn-v2", "AltinnApp", SeedCustomer, dialogporten.StatusCompleted,
			"Endring av navn", "Skjemaet er sendt inn.", "2025-11-12T12:30:00Z"),
		mk("0194d1c3-7c2a-7e51-b1a4-3f6e2a9c0004", "skd", "ske-innrapportering-boligselskap", "GenericAccessResource", "312000008", dialogporten.StatusInProgress,
			"Innrapportering boligselskap 2025", "Mottatt; under behandling.", "2026-01-28T09:00:00Z", "urn:altinn:accesspackage:skattegrunnlag"),
	}
})

var dpPartyRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^urn:altinn:(organization:identifier-no:\d{9}|person:identifier-no:\d{11})$`)
})

func (s Host) MountDialogporten(mux *http.ServeMux, prefix string) {
	mux.HandleFunc("GET "+prefix+dialogporten.SearchPath, s.dpSearchDialogs)
}

// dpProblem writes Dialogporten's ValidationProblemDetails (ErrorResponseBuilderExtensions.cs).
func (s Host) dpProblem(w http.ResponseWriter, status int, errs map[string][]string) {
	p := dialogporten.Problem{Status: status, Instance: "/" + dialogporten.SearchPath, Errors: errs, TraceID: env.TraceID()}
	switch status {
	case http.StatusBadRequest:
		p.Type, p.Title = "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1", "One or more validation errors occurred."
	case http.StatusForbidden:
		p.Type, p.Title = "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.3", "Forbidden."
	}
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

func (s Host) dpSearchDialogs(w http.ResponseWriter, r *http.Request) {
	// ASP.NET's JWT bearer handler: no token is a bare 401 with a challenge, a bad one says so.
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		w.Header().Set("WWW-Authenticate", "Bearer")
		env.WriteEmpty(w, http.StatusUnauthorized)
		return
	}
	c := env.Ring{Env: s.Env}.AuthenticateToken(r, true)
	if c == nil {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		env.WriteEmpty(w, http.StatusUnauthorized)
		return
	}
	// UserTypeValidationMiddleware runs before the endpoint's policy: a Maskinporten token
	// without a system user is no end user.
	if len(c.AuthorizationDetails) == 0 || len(c.AuthorizationDetails[0].SystemUserID) == 0 {
		s.dpProblem(w, http.StatusForbidden, map[string][]string{"Type": {
			"The request was authenticated, but we were unable to determine valid user type in order to authorize the request. Valid user types for this endpoint are: Person, SystemUser, IdportenEmailIdentifiedUser"}})
		return
	}
	// The EndUser policy: a failed requirement is ASP.NET's bare 403 (dialogporten#1490).
	if !c.HasScope(dialogporten.Scope) && !c.HasScope(dialogporten.Scope+".noconsent") {
		env.WriteEmpty(w, http.StatusForbidden)
		return
	}
	q := r.URL.Query()
	parties, resources := q["party"], q["serviceResource"]
	errs := map[string][]string{}
	if len(parties) == 0 && len(resources) == 0 {
		errs[""] = []string{"Either ServiceResource or Party must be specified."}
	}
	for i, p := range parties {
		if !dpPartyRe().MatchString(p) {
			errs["Party["+strconv.Itoa(i)+"]"] = []string{"'Party' must be a valid party identifier: urn:altinn:organization:identifier-no:<9 digits> or urn:altinn:person:identifier-no:<11 digits>."}
		}
	}
	if len(parties) > 20 {
		errs["Party.Count"] = []string{"'Party Count' must be less than or equal to '20'."}
	}
	if len(resources) > 20 {
		errs["ServiceResource.Count"] = []string{"'Service Resource Count' must be less than or equal to '20'."}
	}
	limit := 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			errs["Limit"] = []string{"'Limit' must be between 1 and 1000."}
		}
		limit = n
	}
	if len(errs) > 0 {
		s.dpProblem(w, http.StatusBadRequest, errs)
		return
	}
	start := 0
	if tok := q.Get("continuationToken"); tok != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, "sandbox:"))
		if err != nil || n < 0 {
			s.dpProblem(w, http.StatusBadRequest, map[string][]string{"ContinuationToken": {"Invalid continuation token."}})
			return
		}
		start = n
	}
	var visible []dialogporten.Item
	_ = s.Env.Store.View(func(st *world.State) error {
		for _, d := range seedDialogs() {
			if len(parties) > 0 && !slices.Contains(parties, d.item.Party) {
				continue
			}
			if len(resources) > 0 && !slices.Contains(resources, d.item.ServiceResource) {
				continue
			}
			if dpAuthorized(st, c, d) {
				visible = append(visible, d.item)
			}
		}
		return nil
	})
	out := dialogporten.List{Items: []dialogporten.Item{}, OrderBy: "id_desc"}
	if start < len(visible) {
		end := min(start+limit, len(visible))
		out.Items = visible[start:end]
		if end < len(visible) {
			tok := "sandbox:" + strconv.Itoa(end)
			out.HasNextPage, out.ContinuationToken = true, &tok
		}
	}
	env.AltinnJSON(w, http.StatusOK, out)
}

// dpAuthorized asks what Altinn's authorization would: may the token's system user see the
// dialog's party and service resource? Its own organisation's dialogs, or (an agent system
// user) its clients' ones, and only for a resource right or an access package it holds.
func dpAuthorized(st *world.State, c *env.Caller, d seedDialog) bool {
	party := strings.TrimPrefix(d.item.Party, dialogporten.PartyOrgPrefix)
	for _, id := range c.AuthorizationDetails[0].SystemUserID {
		u := st.SystemUsers[id]
		if u == nil || u.Deleted {
			continue
		}
		if u.OwnerOrg != party && !(u.Agent && st.ClientDelegations[u.ID+"/"+party] != nil) {
			continue
		}
		for _, p := range u.AccessPackages {
			if slices.Contains(d.packages, p.URN) {
				return true
			}
		}
		for _, r := range u.Rights {
			if slices.Contains(strings.Split(world.ResourceValues(r), "/"), d.resource) {
				return true
			}
		}
	}
	return false
}

// Host is Dialogporten's end-user dialog search.
type Host struct{ Env *env.Env }

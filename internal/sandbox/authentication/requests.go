package authentication

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/refusal"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

func (s RequestsHost) MountRequests(mux *http.ServeMux) {
	write := []string{world.ScopeRequestWrite}
	read := []string{world.ScopeRequestRead}
	base := env.AltinnPrefix + "authentication/api/v1/systemuser/request/vendor"
	mux.HandleFunc("POST "+base, s.altinnAuth(write, s.createRequest(false)))
	mux.HandleFunc("POST "+base+"/agent", s.altinnAuth(write, s.createRequest(true)))
	mux.HandleFunc("GET "+base+"/{requestId}", s.altinnAuth(read, s.getRequest(false)))
	mux.HandleFunc("GET "+base+"/agent/{requestId}", s.altinnAuth(read, s.getRequest(true)))
	mux.HandleFunc("GET "+base+"/byexternalref/{systemId}/{orgNo}/{externalRef}", s.altinnAuth(read, s.getRequestByRef(false)))
	mux.HandleFunc("GET "+base+"/agent/byexternalref/{systemId}/{orgNo}/{externalRef}", s.altinnAuth(read, s.getRequestByRef(true)))
	mux.HandleFunc("GET "+base+"/bysystem/{systemId}", s.altinnAuth(read, s.listRequests(false)))
	mux.HandleFunc("GET "+base+"/agent/bysystem/{systemId}", s.altinnAuth(read, s.listRequests(true)))
	mux.HandleFunc("DELETE "+base+"/{requestId}", s.altinnAuth(write, s.deleteRequest))
}

// requestBody binds both request kinds; nil slices tell "absent" from "[]", and nil
// pointers "absent" from "".
type requestBody struct {
	SystemID         string              `json:"systemId"`
	PartyOrgNo       string              `json:"partyOrgNo"`
	ExternalRef      *string             `json:"externalRef"`
	IntegrationTitle *string             `json:"integrationTitle"`
	Rights           []altinn.Right      `json:"rights"`
	AccessPackages   []altinn.PackageRef `json:"accessPackages"`
	RedirectURL      string              `json:"redirectUrl"`
}

// requestDTO renders a request; agent responses have no rights, standard ones always do.
// escalated is true only in the vendor's list (listed): the GETs by id and by external
// reference build their answer field by field and leave it out (S/RequestSystemUserService.cs
// 351-364, 382-395, 418-429 at ad4f6f36), while the list returns the rows as read, escalated
// included (R/RequestRepository.cs 438-466).
func (s RequestsHost) requestDTO(r *http.Request, q *world.Request, listed bool) any {
	confirm := altinn.ConfirmURL(env.BaseURL(r)+"/altinn-ui/", q.ID, q.Agent)
	timedOut := s.Env.Opts.Now().Sub(q.Created) > altinn.RequestTimeout
	type common struct {
		ID               string              `json:"id"`
		IntegrationTitle string              `json:"integrationTitle"`
		ExternalRef      string              `json:"externalRef"`
		SystemID         string              `json:"systemId"`
		PartyOrgNo       string              `json:"partyOrgNo"`
		Rights           *[]altinn.Right     `json:"rights,omitempty"`
		AccessPackages   []altinn.PackageRef `json:"accessPackages"`
		Status           string              `json:"status"`
		RedirectURL      string              `json:"redirectUrl,omitempty"`
		ConfirmURL       string              `json:"confirmUrl"`
		Escalated        bool                `json:"escalated"`
		Created          string              `json:"created"`
		TimedOut         bool                `json:"timedOut"`
	}
	out := common{ID: q.ID, IntegrationTitle: q.IntegrationTitle, ExternalRef: q.ExternalRef, SystemID: q.SystemID,
		PartyOrgNo: q.PartyOrgNo, AccessPackages: world.NonNil(q.AccessPackages), Status: q.Status, RedirectURL: q.RedirectURL,
		ConfirmURL: confirm, Escalated: listed && q.Escalated, Created: pgTimestamp(q.Created), TimedOut: timedOut}
	if !q.Agent {
		rights := world.NonNil(q.Rights)
		out.Rights = &rights
	}
	return out
}

// createRequest follows RequestSystemUserController.CreateRequest/CreateAgentRequest
// (src/Authentication/Controllers/RequestSystemUserController.cs:97-184) and
// RequestSystemUserService.CreateRequest/CreateAgentRequest (Services/RequestSystemUserService.cs:50-250):
// model binding; an existing system user for the triple → AUTH-00004 (whoever asks); an existing
// request of this type for the triple, on the caller's system → 200 with it; then the service's
// rules, first failure wins; else 201.
func (s RequestsHost) createRequest(agent bool) altinnHandler {
	return func(w http.ResponseWriter, r *http.Request, c *env.Caller) {
		var b requestBody
		data, ok := s.readAltinnBody(w, r, &b)
		if !ok {
			return
		}
		if !s.bindRequest(w, data, &b, agent) {
			return
		}
		if c.OrgNo == "" { // RequestSystemUserController.cs:104-107
			s.writeProblem(w, altinn.CodeVendorOrgUnresolved, nil)
			return
		}
		// TrimStringsActionFilter trims every string, externalRef included; "" stays "".
		trim(&b.SystemID)
		trim(&b.PartyOrgNo)
		trim(&b.RedirectURL)
		if b.IntegrationTitle != nil {
			trim(b.IntegrationTitle)
		}
		// ExternalRef ?? PartyOrgNo: an empty (or blank, once trimmed) externalRef stays "" for
		// the duplicate checks (RequestSystemUserController.cs:111,164) and is stored as the
		// party's org number (RequestSystemUserService.cs:135-138).
		ref := b.PartyOrgNo
		if b.ExternalRef != nil {
			ref = strings.TrimSpace(*b.ExternalRef)
		}
		storedRef := ref
		if storedRef == "" {
			storedRef = b.PartyOrgNo
		}
		if agent {
			b.Rights = nil
		}
		var (
			result  *world.Request
			created bool
		)
		err := s.Env.Store.Update(func(st *world.State) error {
			if world.ActiveSystemUser(st, b.SystemID, b.PartyOrgNo, ref) != nil {
				return refusal.Problem(altinn.CodeSystemUserExists, nil)
			}
			// Soft-deleted systems are found too: GetRegisteredSystemInfo does not filter them
			// (SystemRegisterRepository.cs:245-263).
			sys := st.Systems[b.SystemID]
			owned := sys != nil && sys.VendorOrg == c.OrgNo
			if owned {
				if q := requestByTriple(st, agent, b.SystemID, b.PartyOrgNo, ref); q != nil && q.Status != altinn.StatusTimedout {
					result = q
					return nil
				}
			}
			if sys == nil {
				return refusal.Problem(altinn.CodeSystemNotFound, nil)
			}
			// ValidateExternalRequestId looks up standard requests only, for both kinds
			// (RequestSystemUserService.cs:259-283; RequestRepository.cs:190-204).
			if q := requestByTriple(st, false, b.SystemID, b.PartyOrgNo, ref); q != nil {
				switch q.Status {
				case altinn.StatusAccepted:
					return refusal.Problem(altinn.CodeRequestAccepted, nil)
				case altinn.StatusNew:
					return refusal.Problem(altinn.CodeRequestPending, nil)
				case altinn.StatusDenied:
					return refusal.Problem(altinn.CodeRequestDenied, nil)
				case altinn.StatusRejected:
					return refusal.Problem(altinn.CodeRequestRejected, nil)
				}
			}
			if !owned {
				return refusal.Problem(altinn.CodeSystemNotFound, nil)
			}
			if _, ok := st.Orgs[b.PartyOrgNo]; !ok {
				return refusal.Problem(altinn.CodeOrgNotResolved, nil)
			}
			terms := altinn.SystemTerms{Rights: sys.Rights, AccessPackages: sys.AccessPackages, AllowedRedirectURLs: sys.AllowedRedirectURLs}
			if v := altinn.ValidateRequestTerms(b.Rights, b.AccessPackages, b.RedirectURL, agent, terms, s.Env.Catalog); v != nil {
				if v.Code == "" {
					// A relative redirectUrl: new Uri() throws (AuthenticationHelper.cs:688) → 500.
					return refusal.Unhandled()
				}
				return refusal.Problem(v.Code, v.Extensions)
			}
			// IntegrationTitle?.Trim() ?? the nb name: "" is kept (RequestSystemUserService.cs:145).
			title := sys.Name["nb"]
			if b.IntegrationTitle != nil {
				title = *b.IntegrationTitle
			}
			// external_ref and integration_title are varchar(255): a longer value makes the
			// insert throw, re-thrown as a 500 (RequestRepository.cs:102-106). redirect_urls is
			// text since migration v0.27.
			if !dbColumnFits(storedRef, 255) || !dbColumnFits(title, 255) {
				return refusal.Unhandled()
			}
			result = &world.Request{ID: uuid.NewString(), Agent: agent, SystemID: b.SystemID, VendorOrg: c.OrgNo, PartyOrgNo: b.PartyOrgNo,
				ExternalRef: storedRef, IntegrationTitle: title, Rights: b.Rights, AccessPackages: b.AccessPackages,
				Status: altinn.StatusNew, RedirectURL: b.RedirectURL, Created: s.Env.Opts.Now(), Seq: st.NextSeq()}
			st.Requests[result.ID] = result
			st.Touch(&st.Requests, result.ID)
			created = true
			return nil
		})
		switch {
		case err != nil:
			s.render(w, err)
		case created:
			w.Header().Set("Location", env.BaseURL(r)+env.AltinnPrefix+"authentication/api/v1/systemuser/request/"+result.ID)
			env.AltinnJSON(w, http.StatusCreated, s.requestDTO(r, result, false))
		default:
			env.AltinnJSON(w, http.StatusOK, s.requestDTO(r, result, false))
		}
	}
}

// requestByTriple is RequestRepository.GetRequestByExternalReferences: a non-deleted request
// of one type for (system, party, externalRef).
func requestByTriple(st *world.State, agent bool, systemID, party, ref string) *world.Request {
	for _, q := range st.Requests {
		if !q.Deleted && q.Agent == agent && q.SystemID == systemID && q.PartyOrgNo == party && q.ExternalRef == ref {
			return q
		}
	}
	return nil
}

// findRequest applies the vendor lookups' rules: type-specific, not deleted, and the request's
// system must be the caller's (AUTH-00011 otherwise).
func (s RequestsHost) findRequest(w http.ResponseWriter, r *http.Request, c *env.Caller, agent bool, match func(*world.Request) bool) {
	if c.OrgNo == "" { // Unauthorized() (RequestSystemUserController.cs:224-227)
		s.writeStatusProblem(w, http.StatusUnauthorized)
		return
	}
	var found *world.Request
	err := s.Env.Store.View(func(st *world.State) error {
		for _, q := range st.Requests {
			if q.Deleted || q.Agent != agent || !match(q) {
				continue
			}
			if q.VendorOrg != c.OrgNo {
				return refusal.Problem(altinn.CodeSystemNotFound, nil)
			}
			cp := *q
			found = &cp
			return nil
		}
		return refusal.Problem(altinn.CodeRequestNotFound, nil)
	})
	if err != nil {
		s.render(w, err)
		return
	}
	env.AltinnJSON(w, http.StatusOK, s.requestDTO(r, found, false))
}

func (s RequestsHost) getRequest(agent bool) altinnHandler {
	return func(w http.ResponseWriter, r *http.Request, c *env.Caller) {
		id, ok := s.pathGUID(w, r, "requestId")
		if !ok {
			return
		}
		s.findRequest(w, r, c, agent, func(q *world.Request) bool { return q.ID == id })
	}
}

func (s RequestsHost) getRequestByRef(agent bool) altinnHandler {
	return func(w http.ResponseWriter, r *http.Request, c *env.Caller) {
		sysID, org, ref := r.PathValue("systemId"), r.PathValue("orgNo"), r.PathValue("externalRef")
		s.findRequest(w, r, c, agent, func(q *world.Request) bool {
			return q.SystemID == sysID && q.PartyOrgNo == org && q.ExternalRef == ref
		})
	}
}

// pageToken and parsePageToken make the system-user list's token, Opaque<long>: base64url of
// the sequence number as JSON.
func pageToken(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(seq, 10)))
}

func parsePageToken(tok string) int64 {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(tok, "="))
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(string(b), 10, 64)
	return n
}

// paginate returns one page of items (sorted by seq) from the token on, and the next link.
func paginate[T any](r *http.Request, items []T, seqOf func(T) int64) altinn.Page[T] {
	sort.Slice(items, func(i, j int) bool { return seqOf(items[i]) < seqOf(items[j]) })
	from := parsePageToken(r.URL.Query().Get("token"))
	start := sort.Search(len(items), func(i int) bool { return seqOf(items[i]) >= from })
	items = items[start:]
	page := altinn.Page[T]{Data: items}
	if len(items) > altinn.PageSize {
		page.Data = items[:altinn.PageSize]
		next := *r.URL
		q := url.Values{"token": {pageToken(seqOf(items[altinn.PageSize]))}}
		next.RawQuery = q.Encode()
		page.Links.Next = env.BaseURL(r) + next.RequestURI()
	}
	page.Data = world.NonNil(page.Data)
	return page
}

func (s RequestsHost) listRequests(agent bool) altinnHandler {
	return func(w http.ResponseWriter, r *http.Request, c *env.Caller) {
		sysID := r.PathValue("systemId")
		after, ok := s.vendorList(w, r, c)
		if !ok {
			return
		}
		var items []*world.Request
		owned := false
		_ = s.Env.Store.View(func(st *world.State) error {
			// Soft-deleted systems still list (GetRegisteredSystemById does not filter them,
			// RequestSystemUserService.cs:762-772).
			sys := st.Systems[sysID]
			owned = sys != nil && sys.VendorOrg == c.OrgNo
			for _, q := range st.Requests {
				if owned && !q.Deleted && q.Agent == agent && q.SystemID == sysID && q.ID > after {
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
		// Standard: ORDER BY id, "id > token" (RequestRepository.cs:541-545); agent: no ORDER BY
		// (:623-626), which the sandbox shows as creation order. Either way the token is the id of
		// the first item of the next page (Page.cs:40-47), so the item at each page boundary is
		// never listed: Altinn's lists skip one request per page, and so does the sandbox.
		if agent {
			sort.Slice(items, func(i, j int) bool { return items[i].Seq < items[j].Seq })
		} else {
			sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
		}
		env.AltinnJSON(w, http.StatusOK, guidPage(r, items, func(q *world.Request) string { return q.ID },
			func(q *world.Request) any { return s.requestDTO(r, q, true) }))
	}
}

// guidPage is the first page of items, in the 5.x envelope; with more than a page, next
// repeats the request with token naming the first item left out (Page.cs:40-47).
func guidPage[E, T any](r *http.Request, items []E, id func(E) string, dto func(E) T) altinn.Page[T] {
	out := altinn.Page[T]{Data: []T{}}
	if len(items) > altinn.PageSize {
		next := *r.URL
		next.RawQuery = url.Values{"token": {guidToken(id(items[altinn.PageSize]))}}.Encode()
		out.Links.Next = env.BaseURL(r) + next.RequestURI()
		items = items[:altinn.PageSize]
	}
	for _, q := range items {
		out.Data = append(out.Data, dto(q))
	}
	return out
}

// guidToken and parseGUIDToken make the request lists' continuation token the way Altinn's
// Opaque<Guid> does: base64url of the JSON-quoted id (src/Authentication/Model/Opaque.cs). An
// unreadable token is a model-binding error (400).
func guidToken(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(`"` + id + `"`)) }

func parseGUIDToken(tok string) (string, bool) {
	if tok == "" {
		return "", true
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(tok, "="))
	if err != nil {
		return "", false
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		return "", false
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return "", false
	}
	return id.String(), true
}

func (s RequestsHost) deleteRequest(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	// requestId binds as a Guid: anything else is a model-binding 400
	// (RequestSystemUserController.cs:750).
	id, ok := s.pathGUID(w, r, "requestId")
	if !ok {
		return
	}
	// The real server checks no ownership here (code reading); neither do we.
	s.softDelete(w, func(st *world.State) *bool {
		if q := st.Requests[id]; q != nil {
			st.Touch(&st.Requests, id)
			return &q.Deleted
		}
		return nil
	})
}

// softDelete sets the deleted flag deleted finds: 202, or AUTH-00010 when there is none or it
// is set already.
func (s RequestsHost) softDelete(w http.ResponseWriter, deleted func(*world.State) *bool) {
	err := s.Env.Store.Update(func(st *world.State) error {
		if d := deleted(st); d != nil && !*d {
			*d = true
			return nil
		}
		return refusal.Problem(altinn.CodeRequestNotFound, nil)
	})
	if err != nil {
		s.render(w, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// Decide approves or rejects a request as the customer: approval creates the system user
// with the request's id. Only New requests can be decided (AUTH-00013). A refusal is a
// *refusal.Refusal.
func (s RequestsHost) Decide(id string, approve bool) (*world.Request, error) {
	var out *world.Request
	err := s.Env.Store.Update(func(st *world.State) error {
		q := st.Requests[id]
		if q == nil || q.Deleted {
			return refusal.Problem(altinn.CodeRequestNotFound, nil)
		}
		if q.Status != altinn.StatusNew {
			return refusal.Problem(altinn.CodeRequestNotNew, nil)
		}
		st.Touch(&st.Requests, id)
		if !approve {
			q.Status = altinn.StatusRejected
		} else {
			if world.ActiveSystemUser(st, q.SystemID, q.PartyOrgNo, q.ExternalRef) != nil {
				return refusal.Problem(altinn.CodeSystemUserExists, nil)
			}
			world.AcceptRequest(st, q, s.Env.Opts.Now())
		}
		cp := *q
		out = &cp
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Escalate forwards a New request to the customer's Tilgangsstyrer, as the approval page's
// «Ja, send videre» does when the person lacks the rights: the request stays New, marked
// escalated (C/RequestSystemUserController.cs:466, R/RequestRepository.cs:376-390). already
// reports a request that was forwarded before.
func (s RequestsHost) Escalate(id string) (already bool, err error) {
	err = s.Env.Store.Update(func(st *world.State) error {
		q := st.Requests[id]
		if q == nil || q.Deleted {
			return refusal.Problem(altinn.CodeRequestNotFound, nil)
		}
		if q.Status != altinn.StatusNew {
			return refusal.Problem(altinn.CodeRequestNotNew, nil)
		}
		if already = q.Escalated; !already {
			q.Escalated = true
			st.Touch(&st.Requests, id)
		}
		return nil
	})
	return already, err
}

// DecisionError is a refused approval or rejection: its Code and Title name the Altinn code.
type DecisionError = refusal.Refusal

// RequestsHost is the Altinn system-user requests API (standard and agent).
type RequestsHost struct{ Base }

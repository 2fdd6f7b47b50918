package altinn

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
)

const (
	registerPath = "authentication/api/v1/systemregister/vendor"
	requestPath  = "authentication/api/v1/systemuser/request/vendor"
	usersPath    = "authentication/api/v1/systemuser/vendor"
	catalogPath  = "accessmanagement/api/v1/meta/info/accesspackages/"
)

// maxPages bounds pagination: a server that keeps sending next links cannot loop us forever.
const maxPages = 200

func esc(s string) string { return url.PathEscape(s) }

// AsError returns err's *Error, if it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsNotFound reports whether err is Altinn's 404.
func IsNotFound(err error) bool {
	e, ok := AsError(err)
	return ok && e.NotFound()
}

// GetSystem reads a system (also a soft-deleted one: IsDeleted tells).
func (c *Client) GetSystem(ctx context.Context, id string) (*altinn.RegisteredSystem, error) {
	var out altinn.RegisteredSystem
	_, err := c.do(ctx, call{op: op("read_system", id), method: http.MethodGet, url: registerPath + "/" + esc(id),
		scope: ScopeSystemRegisterWrite, out: &out, idempotent: true})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListSystems lists the vendor's systems (in the list's own, shorter shape).
func (c *Client) ListSystems(ctx context.Context) ([]altinn.SystemSummary, error) {
	var out []altinn.SystemSummary
	_, err := c.do(ctx, call{op: op("list_systems", ""), method: http.MethodGet, url: registerPath, scope: ScopeSystemRegisterWrite, out: &out, idempotent: true})
	return out, err
}

// CreateSystem registers a system and returns its internal id. A create whose outcome is
// unknown (timeout, dropped connection, 5xx) is never blindly re-sent: the system is looked up
// first, and only re-created if it is not there. recovered is true when the lookup found it.
func (c *Client) CreateSystem(ctx context.Context, d altinn.SystemDefinition) (internalID string, recovered bool, err error) {
	for attempt := 0; attempt < c.retry.Attempts; attempt++ {
		_, err = c.do(ctx, call{op: op("register_system", d.ID), method: http.MethodPost, url: registerPath, scope: ScopeSystemRegisterWrite, body: d, out: &internalID})
		if err == nil || !IsTransient(err) {
			return internalID, false, err
		}
		if werr := c.sleep(ctx, c.backoff(attempt)); werr != nil {
			return "", false, err
		}
		sys, lerr := c.GetSystem(ctx, d.ID)
		if lerr == nil && !sys.IsDeleted && sys.Vendor.ID == d.Vendor.ID {
			return "", true, nil
		}
		if lerr != nil && !IsNotFound(lerr) {
			return "", false, fmt.Errorf("%w (and looking the system up to see whether it was created failed too: %v)", err, lerr)
		}
	}
	return "", false, err
}

// UpdateSystem replaces a system (PUT is idempotent, so it is retried).
func (c *Client) UpdateSystem(ctx context.Context, d altinn.SystemDefinition) error {
	_, err := c.do(ctx, call{op: op("update_system", d.ID), method: http.MethodPut, url: registerPath + "/" + esc(d.ID),
		scope: ScopeSystemRegisterWrite, body: d, out: &altinn.Succeeded{}, idempotent: true})
	return err
}

// UpdateRights replaces a system's rights.
func (c *Client) UpdateRights(ctx context.Context, id string, rights []altinn.Right) error {
	if rights == nil {
		rights = []altinn.Right{}
	}
	_, err := c.do(ctx, call{op: op("update_rights", id), method: http.MethodPut, url: registerPath + "/" + esc(id) + "/rights",
		scope: ScopeSystemRegisterWrite, body: rights, idempotent: true})
	return err
}

// UpdatePackages replaces a system's access packages.
func (c *Client) UpdatePackages(ctx context.Context, id string, pkgs []altinn.PackageRef) error {
	if pkgs == nil {
		pkgs = []altinn.PackageRef{}
	}
	_, err := c.do(ctx, call{op: op("update_packages", id), method: http.MethodPut, url: registerPath + "/" + esc(id) + "/accesspackages",
		scope: ScopeSystemRegisterWrite, body: pkgs, idempotent: true})
	return err
}

// DeleteSystem soft-deletes a system: its id stays reserved, its client ids are released.
func (c *Client) DeleteSystem(ctx context.Context, id string) error {
	_, err := c.do(ctx, call{op: op("delete_system", id), method: http.MethodDelete, url: registerPath + "/" + esc(id),
		scope: ScopeSystemRegisterWrite, idempotent: true})
	return err
}

func requestBase(agent bool) string {
	if agent {
		return requestPath + "/agent"
	}
	return requestPath
}

// CreateRequest asks a customer for a system user. created is false when the server answered
// 200 with an existing request for the same (system, party, externalRef) — whatever its
// status. A create with an unknown outcome is recovered by looking the request up by its
// external reference before anything is sent again.
func (c *Client) CreateRequest(ctx context.Context, r altinn.CreateRequest, agent bool) (req *altinn.Request, created bool, err error) {
	if agent {
		r.Rights = nil
	}
	ref := r.ExternalRef
	if ref == "" {
		ref = r.PartyOrgNo
	}
	for attempt := 0; attempt < c.retry.Attempts; attempt++ {
		var out altinn.Request
		var status int
		status, err = c.do(ctx, call{op: op("create_request", r.PartyOrgNo), method: http.MethodPost, url: requestBase(agent),
			scope: ScopeRequestWrite, body: r, out: &out})
		if err == nil {
			return &out, status == http.StatusCreated, nil
		}
		if e, ok := AsError(err); ok && e.Code == string(altinn.CodeSystemUserExists) {
			// The customer approved an earlier request for the triple: Altinn refuses a new one
			// rather than returning the old, as it does while that one waits. The old request
			// gives the id and status; if it was deleted, the refusal is all there is.
			if found, lerr := c.GetRequestByExternalRef(ctx, r.SystemID, r.PartyOrgNo, ref, agent); lerr == nil {
				return found, false, nil
			}
			return nil, false, err
		}
		if !IsTransient(err) {
			return nil, false, err
		}
		if werr := c.sleep(ctx, min(max(c.backoff(attempt), RetryAfterOf(err)), c.retry.Max)); werr != nil {
			return nil, false, err
		}
		found, lerr := c.GetRequestByExternalRef(ctx, r.SystemID, r.PartyOrgNo, ref, agent)
		if lerr == nil {
			return found, true, nil
		}
		if !IsNotFound(lerr) {
			return nil, false, fmt.Errorf("%w (and looking the request up to see whether it was created failed too: %v)", err, lerr)
		}
	}
	return nil, false, err
}

// GetRequest reads a request by id; agent selects the agent route (lookups are type-specific).
func (c *Client) GetRequest(ctx context.Context, id string, agent bool) (*altinn.Request, error) {
	var out altinn.Request
	_, err := c.do(ctx, call{op: op("read_request", id), method: http.MethodGet, url: requestBase(agent) + "/" + esc(id),
		scope: ScopeRequestRead, out: &out, idempotent: true})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// GetRequestByExternalRef reads a request by its (system, party, externalRef) triple.
func (c *Client) GetRequestByExternalRef(ctx context.Context, systemID, orgNo, ref string, agent bool) (*altinn.Request, error) {
	var out altinn.Request
	_, err := c.do(ctx, call{op: op("lookup_request", orgNo), method: http.MethodGet,
		url:   requestBase(agent) + "/byexternalref/" + esc(systemID) + "/" + esc(orgNo) + "/" + esc(ref),
		scope: ScopeRequestRead, out: &out, idempotent: true})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListRequests lists a system's requests of one type, following next links and dropping
// duplicates. Altinn's pages skip one request each: the continuation token is the id of the
// first item of the next page and the next query asks for ids after it (RequestRepository.cs,
// Page.cs), so that item is never listed. The token is base64url of the id as JSON
// (Opaque<Guid>), so each skipped request is read by its id and added.
func (c *Client) ListRequests(ctx context.Context, systemID string, agent bool) ([]altinn.Request, error) {
	list, links, err := listAllLinks(ctx, c, op("list_requests", systemID), requestBase(agent)+"/bysystem/"+esc(systemID), ScopeRequestRead,
		func(r altinn.Request) string { return r.ID })
	if err != nil {
		return list, err
	}
	return addBoundaryItems(ctx, list, links, func(r altinn.Request) string { return r.ID },
		func(r altinn.Request) bool { return r.SystemID == systemID },
		func(ctx context.Context, id string) (*altinn.Request, error) { return c.GetRequest(ctx, id, agent) })
}

// addBoundaryItems adds to list the item each next link's token names, read by its id with
// get: Altinn's paging leaves that item out of the pages. Items already listed, deleted
// meanwhile, or not of the system (mine) are left out.
func addBoundaryItems[T any](ctx context.Context, list []T, links []string, id func(T) string, mine func(T) bool,
	get func(context.Context, string) (*T, error)) ([]T, error) {
	seen := make(map[string]bool, len(list))
	for _, r := range list {
		seen[id(r)] = true
	}
	for _, link := range links {
		bid := boundaryID(link)
		if bid == "" || seen[bid] {
			continue
		}
		seen[bid] = true
		r, err := get(ctx, bid)
		switch {
		case IsNotFound(err):
			continue // deleted meanwhile
		case err != nil:
			return list, fmt.Errorf("read %s, which Altinn's paging leaves out of the list: %w", bid, err)
		case mine(*r):
			list = append(list, *r)
		}
	}
	return list, nil
}

// boundaryID finds the request id in a next link's continuation token, or "".
func boundaryID(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	tok := u.Query().Get("token")
	if tok == "" {
		return ""
	}
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.StdEncoding} {
		if b, err := enc.DecodeString(tok); err == nil {
			return findGUID(string(b))
		}
	}
	return findGUID(tok)
}

// findGUID returns the first 8-4-4-4-12 hex GUID in s, lower-cased, or "".
func findGUID(s string) string {
	const n = 36
	for i := 0; i+n <= len(s); i++ {
		ok := true
		for j := 0; j < n && ok; j++ {
			c := s[i+j]
			switch j {
			case 8, 13, 18, 23:
				ok = c == '-'
			default:
				ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
			}
		}
		if ok {
			return strings.ToLower(s[i : i+n])
		}
	}
	return ""
}

// DeleteRequest soft-deletes a request (needed before re-requesting a triple).
func (c *Client) DeleteRequest(ctx context.Context, id string) error {
	_, err := c.do(ctx, call{op: op("delete_request", id), method: http.MethodDelete, url: requestPath + "/" + esc(id),
		scope: ScopeRequestWrite, idempotent: true})
	return err
}

// ListSystemUsers lists a system's system users (standard and agent).
func (c *Client) ListSystemUsers(ctx context.Context, systemID string) ([]altinn.SystemUser, error) {
	return listAll(ctx, c, op("list_users", systemID), usersPath+"/bysystem/"+esc(systemID), ScopeSystemRegisterWrite,
		func(u altinn.SystemUser) string { return u.ID })
}

// FindSystemUser looks up the system user of (system, customer, externalRef); ref defaults to
// the customer's organisation number on the server.
func (c *Client) FindSystemUser(ctx context.Context, systemID, orgNo, ref string) (*altinn.SystemUser, error) {
	q := url.Values{"system-id": {systemID}, "orgno": {orgNo}}
	if ref != "" {
		q.Set("external-ref", ref)
	}
	var out altinn.SystemUser
	_, err := c.do(ctx, call{op: op("lookup_user", orgNo), method: http.MethodGet, url: usersPath + "/byquery?" + q.Encode(),
		scope: ScopeRequestWrite, out: &out, idempotent: true})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func listAll[T any](ctx context.Context, c *Client, op Operation, path, scope string, id func(T) string) ([]T, error) {
	out, _, err := listAllLinks(ctx, c, op, path, scope, id)
	return out, err
}

// listAllLinks is listAll that also returns the next links it followed.
func listAllLinks[T any](ctx context.Context, c *Client, op Operation, path, scope string, id func(T) string) ([]T, []string, error) {
	seen := map[string]bool{}
	var out []T
	var links []string
	next := path
	for page := 0; next != ""; page++ {
		if page == maxPages {
			return out, links, fmt.Errorf("%s: stopped after %d pages", op, maxPages)
		}
		var p altinn.Page[T]
		if _, err := c.do(ctx, call{op: op, method: http.MethodGet, url: next, scope: scope, out: &p, idempotent: true}); err != nil {
			return out, links, err
		}
		if page > 0 {
			links = append(links, next)
		}
		fresh := 0
		for _, item := range p.Data {
			if k := id(item); !seen[k] {
				seen[k] = true
				out = append(out, item)
				fresh++
			}
		}
		// A page with nothing new means the server ignores the token (the change-request
		// list does: ChangeRequestSystemUserService.GetAllChangeRequestsForVendor); stop.
		if fresh == 0 && page > 0 {
			break
		}
		next = p.Links.Next
	}
	return out, links, nil
}

// FetchCatalog reads the live access-package catalog (no authentication needed).
func (c *Client) FetchCatalog(ctx context.Context) (*accesspackages.Catalog, error) {
	var raw jsonRaw
	u := c.platform + catalogPath + "export"
	if _, err := c.do(ctx, call{op: op("read_catalog", ""), method: http.MethodGet, url: u, out: &raw, idempotent: true}); err != nil {
		return nil, err
	}
	return accesspackages.FromExport(raw, u)
}

type jsonRaw []byte

func (j *jsonRaw) UnmarshalJSON(b []byte) error {
	*j = append((*j)[:0], b...)
	return nil
}

// Exchange trades a Maskinporten token for an Altinn token (optional; the vendor APIs accept
// Maskinporten tokens directly).
func (c *Client) Exchange(ctx context.Context, maskinportenToken string) (string, error) {
	var out string
	_, err := c.do(ctx, call{op: op("exchange_token", ""), method: http.MethodGet,
		url: "authentication/api/v1/exchange/maskinporten", bearer: maskinportenToken, out: &out, idempotent: true})
	return out, err
}

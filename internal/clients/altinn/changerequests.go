package altinn

import (
	"context"
	"net/http"
	"net/url"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
)

const changeRequestPath = "authentication/api/v1/systemuser/changerequest/vendor"

// CreateChangeRequest asks the customer to change a standard system user's rights and
// packages. correlationID is the vendor's own UUID for the change request; it becomes its id,
// so sending it again returns the same change request (200) and a retry is safe. created is
// true for 201; a body asking for nothing answers 200 with status NoChangeNeeded.
func (c *Client) CreateChangeRequest(ctx context.Context, correlationID, systemUserID string, b altinn.ChangeRequestBody) (cr *altinn.ChangeRequest, created bool, err error) {
	q := url.Values{"correlation-id": {correlationID}, "system-user-id": {systemUserID}}
	for _, l := range []*[]altinn.Right{&b.RequiredRights, &b.UnwantedRights} {
		if *l == nil {
			*l = []altinn.Right{}
		}
	}
	for _, l := range []*[]altinn.PackageRef{&b.RequiredAccessPackages, &b.UnwantedAccessPackages} {
		if *l == nil {
			*l = []altinn.PackageRef{}
		}
	}
	var out altinn.ChangeRequest
	status, err := c.do(ctx, call{op: op("create_change", systemUserID), method: http.MethodPost,
		url: changeRequestPath + "?" + q.Encode(), scope: ScopeRequestWrite, body: b, out: &out, idempotent: true})
	if err != nil {
		return nil, false, err
	}
	return &out, status == http.StatusCreated, nil
}

// GetChangeRequest reads a change request by id.
func (c *Client) GetChangeRequest(ctx context.Context, id string) (*altinn.ChangeRequest, error) {
	var out altinn.ChangeRequest
	_, err := c.do(ctx, call{op: op("read_change", id), method: http.MethodGet, url: changeRequestPath + "/" + esc(id),
		scope: ScopeRequestRead, out: &out, idempotent: true})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// GetChangeRequestByExternalRef reads a change request by its system user's (system, party,
// externalRef). Altinn leaves the package lists of this answer empty; read by id for them.
func (c *Client) GetChangeRequestByExternalRef(ctx context.Context, systemID, orgNo, ref string) (*altinn.ChangeRequest, error) {
	var out altinn.ChangeRequest
	_, err := c.do(ctx, call{op: op("lookup_change", orgNo), method: http.MethodGet,
		url:   changeRequestPath + "/byexternalref/" + esc(systemID) + "/" + esc(orgNo) + "/" + esc(ref),
		scope: ScopeRequestRead, out: &out, idempotent: true})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListChangeRequests lists a system's change requests. Altinn answers the first 50 whatever
// the token says, so this stops when a page brings nothing new, and reads the one item the
// token names (the 51st) by its id.
func (c *Client) ListChangeRequests(ctx context.Context, systemID string) ([]altinn.ChangeRequest, error) {
	list, links, err := listAllLinks(ctx, c, op("list_changes", systemID), changeRequestPath+"/bysystem/"+esc(systemID), ScopeRequestRead,
		func(r altinn.ChangeRequest) string { return r.ID })
	if err != nil {
		return list, err
	}
	return addBoundaryItems(ctx, list, links, func(r altinn.ChangeRequest) string { return r.ID },
		func(r altinn.ChangeRequest) bool { return r.SystemID == systemID }, c.GetChangeRequest)
}

// DeleteChangeRequest soft-deletes a change request.
func (c *Client) DeleteChangeRequest(ctx context.Context, id string) error {
	_, err := c.do(ctx, call{op: op("delete_change", id), method: http.MethodDelete, url: changeRequestPath + "/" + esc(id),
		scope: ScopeRequestWrite, idempotent: true})
	return err
}

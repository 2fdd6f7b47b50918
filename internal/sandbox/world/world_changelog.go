package world

import (
	"encoding/json"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
)

// Change types as SystemChangeType serialises them.
const (
	ChangeCreate        = "create"
	ChangeUpdate        = "update"
	ChangeRights        = "rightsupdate"
	ChangeAccessPackage = "accesspackageupdate"
	ChangeDelete        = "delete"
)

// SystemChange is one change-log entry.
type SystemChange struct {
	SystemInternalID   string          `json:"system_internal_id"`
	ChangedByOrgNumber string          `json:"changed_by_orgno,omitempty"`
	ChangeType         string          `json:"change_type"`
	ChangedData        json.RawMessage `json:"changed_data,omitempty"`
	ClientID           string          `json:"client_id,omitempty"`
	Created            time.Time       `json:"created"`
	Seq                int64           `json:"seq"`
}

// changedData is how the server stores the changed object: System.Text.Json with default
// options (PascalCase names, nulls written) of RegisterSystemRequest, a List<Right> or a
// List<AccessPackage>; AttributePair and VendorInfo name their properties explicitly.
type csRight struct {
	Action   *string                `json:"Action"`
	Resource []altinn.AttributePair `json:"Resource"`
}

type csPackage struct {
	Urn string `json:"Urn"`
}

func CSRights(rs []altinn.Right) []csRight {
	out := make([]csRight, 0, len(rs))
	for _, r := range rs {
		cr := csRight{Resource: NonNil(r.Resource)}
		if r.Action != "" {
			a := r.Action
			cr.Action = &a
		}
		out = append(out, cr)
	}
	return out
}

func CSPackages(ps []altinn.PackageRef) []csPackage {
	out := make([]csPackage, 0, len(ps))
	for _, p := range ps {
		out = append(out, csPackage{Urn: p.URN})
	}
	return out
}

func CSSystem(d altinn.SystemDefinition) any {
	return struct {
		ID                  string              `json:"Id"`
		Vendor              struct{ ID string } `json:"Vendor"`
		Name                map[string]string   `json:"Name"`
		Description         map[string]string   `json:"Description"`
		Rights              []csRight           `json:"Rights"`
		AccessPackages      []csPackage         `json:"AccessPackages"`
		ClientID            []string            `json:"ClientId"`
		IsVisible           bool                `json:"IsVisible"`
		AllowedRedirectURLs []string            `json:"AllowedRedirectUrls"`
	}{d.ID, struct{ ID string }{d.Vendor.ID}, d.Name, d.Description, CSRights(d.Rights), CSPackages(d.AccessPackages),
		NonNil(d.ClientID), d.Visible(), NonNil(d.AllowedRedirectURLs)}
}

func NonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

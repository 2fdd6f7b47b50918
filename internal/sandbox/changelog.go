package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
)

// The system register's change log (GET systemregister/vendor/{systemId}/changelog,
// SystemRegisterController.cs:446-464): one entry per create, full update, rights update,
// access-package update and delete, newest first (SystemChangeLogRepository.GetChangeLogAsync).

// Change types as SystemChangeType serialises them.
const (
	changeCreate        = "create"
	changeUpdate        = "update"
	changeRights        = "rightsupdate"
	changeAccessPackage = "accesspackageupdate"
	changeDelete        = "delete"
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

func csRights(rs []altinn.Right) []csRight {
	out := make([]csRight, 0, len(rs))
	for _, r := range rs {
		cr := csRight{Resource: nonNil(r.Resource)}
		if r.Action != "" {
			a := r.Action
			cr.Action = &a
		}
		out = append(out, cr)
	}
	return out
}

func csPackages(ps []altinn.PackageRef) []csPackage {
	out := make([]csPackage, 0, len(ps))
	for _, p := range ps {
		out = append(out, csPackage{Urn: p.URN})
	}
	return out
}

func csSystem(d altinn.SystemDefinition) any {
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
	}{d.ID, struct{ ID string }{d.Vendor.ID}, d.Name, d.Description, csRights(d.Rights), csPackages(d.AccessPackages),
		nonNil(d.ClientID), d.Visible(), nonNil(d.AllowedRedirectURLs)}
}

// logChange appends a change-log entry; data nil logs no data (delete).
func (s registerHost) logChange(st *State, sys *System, c *caller, kind string, data any) {
	e := &SystemChange{SystemInternalID: sys.InternalID, ChangedByOrgNumber: c.OrgNo, ChangeType: kind, ClientID: c.ClientID,
		Created: s.sb.opts.Now(), Seq: st.nextSeq()}
	if data != nil {
		e.ChangedData, _ = json.Marshal(data)
	}
	st.SystemChangeLog[uuid.NewString()] = e
}

func (s registerHost) getChangeLog(w http.ResponseWriter, r *http.Request, c *caller) {
	id := r.PathValue("systemId")
	var entries []*SystemChange
	var found *System
	_ = s.sb.store.view(func(st *State) error {
		found = st.Systems[id]
		if found == nil || !c.owns(found.VendorOrg) {
			return nil
		}
		for _, e := range st.SystemChangeLog {
			if e.SystemInternalID == found.InternalID {
				cp := *e
				entries = append(entries, &cp)
			}
		}
		return nil
	})
	switch {
	case found == nil:
		writeText(w, http.StatusNotFound, fmt.Sprintf("System with ID %s not found.", id))
		return
	case !c.owns(found.VendorOrg):
		writeEmpty(w, http.StatusForbidden)
		return
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Seq > entries[j].Seq })
	type entry struct {
		SystemInternalID   string          `json:"systemInternalId"`
		ChangedByOrgNumber string          `json:"changedByOrgNumber,omitempty"`
		ChangeType         string          `json:"changeType"`
		ChangedData        json.RawMessage `json:"changedData,omitempty"`
		ClientID           string          `json:"clientId,omitempty"`
		Created            string          `json:"created"`
	}
	out := []entry{}
	for _, e := range entries {
		out = append(out, entry{e.SystemInternalID, e.ChangedByOrgNumber, e.ChangeType, e.ChangedData, e.ClientID,
			e.Created.UTC().Format("2006-01-02T15:04:05.999999+00:00")})
	}
	altinnJSON(w, http.StatusOK, out)
}

package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"

	"github.com/google/uuid"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// The system register's change log (GET systemregister/vendor/{systemId}/changelog,
// SystemRegisterController.cs:446-464): one entry per create, full update, rights update,
// access-package update and delete, newest first (SystemChangeLogRepository.GetChangeLogAsync).

// logChange appends a change-log entry; data nil logs no data (delete).
func (s registerHost) logChange(st *world.State, sys *world.System, c *caller, kind string, data any) {
	e := &world.SystemChange{SystemInternalID: sys.InternalID, ChangedByOrgNumber: c.OrgNo, ChangeType: kind, ClientID: c.ClientID,
		Created: s.sb.opts.Now(), Seq: st.NextSeq()}
	if data != nil {
		e.ChangedData, _ = json.Marshal(data)
	}
	id := uuid.NewString()
	st.SystemChangeLog[id] = e
	st.Touch(&st.SystemChangeLog, id)
}

func (s registerHost) getChangeLog(w http.ResponseWriter, r *http.Request, c *caller) {
	id := r.PathValue("systemId")
	var entries []*world.SystemChange
	var found *world.System
	_ = s.sb.store.View(func(st *world.State) error {
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

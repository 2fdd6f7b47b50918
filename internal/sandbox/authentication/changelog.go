package authentication

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"

	"github.com/google/uuid"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// The system register's change log (GET systemregister/vendor/{systemId}/changelog,
// SystemRegisterController.cs:446-464): one entry per create, full update, rights update,
// access-package update and delete, newest first (SystemChangeLogRepository.GetChangeLogAsync).

// logChange appends a change-log entry; data nil logs no data (delete).
func (s RegisterHost) logChange(st *world.State, sys *world.System, c *env.Caller, kind string, data any) {
	e := &world.SystemChange{SystemInternalID: sys.InternalID, ChangedByOrgNumber: c.OrgNo, ChangeType: kind, ClientID: c.ClientID,
		Created: s.Env.Opts.Now(), Seq: st.NextSeq()}
	if data != nil {
		e.ChangedData, _ = json.Marshal(data)
	}
	id := uuid.NewString()
	st.SystemChangeLog[id] = e
	st.Touch(&st.SystemChangeLog, id)
}

func (s RegisterHost) getChangeLog(w http.ResponseWriter, r *http.Request, c *env.Caller) {
	id := r.PathValue("systemId")
	var entries []*world.SystemChange
	var found *world.System
	_ = s.Env.Store.View(func(st *world.State) error {
		found = st.Systems[id]
		if found == nil || !owns(c, found.VendorOrg) {
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
		env.WriteText(w, http.StatusNotFound, fmt.Sprintf("System with ID %s not found.", id))
		return
	case !owns(c, found.VendorOrg):
		env.WriteEmpty(w, http.StatusForbidden)
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
	env.AltinnJSON(w, http.StatusOK, out)
}

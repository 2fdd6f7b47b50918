package world

import (
	"fmt"
	"strconv"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
)

// GeneratedOrgBase is where generated organisation numbers start: the 3xx series Tenor uses
// for synthetic organisations, above the seeded ones.
const GeneratedOrgBase = 32_000_000

var (
	orgAdjectives = []string{"Lystig", "Ærlig", "Rask", "Kvikk", "Modig", "Mild", "Snill", "Stille", "Glad", "Klok",
		"Sterk", "Lun", "Frisk", "Trofast", "Blid", "Flink", "Varm", "Kald", "Høy", "Lett"}
	orgNouns = []string{"Tiger", "Elg", "Katt", "Rev", "Ugle", "Hare", "Bjørn", "Gaupe", "Oter", "Ørn",
		"Laks", "Sel", "Ekorn", "Grevling", "Hjort", "Måke", "Spurv", "Ulv", "Rein", "Sild"}
	orgForms = []string{"AS", "AS", "AS", "Regnskap AS", "Borettslag", "SA", "ENK", "Holding AS"}
)

// generatedOrg returns the i-th synthetic organisation: a number whose MOD11 check digit is
// valid (prefixes whose check digit would be 10 are skipped by the caller) and a name in the
// style of Tenor's test data.
func GeneratedOrgName(i int) string {
	a := orgAdjectives[i%len(orgAdjectives)]
	b := orgAdjectives[(i/len(orgAdjectives)+i+7)%len(orgAdjectives)]
	n := orgNouns[(i/7)%len(orgNouns)]
	f := orgForms[(i/3)%len(orgForms)]
	if a == b {
		b = orgAdjectives[(i+3)%len(orgAdjectives)]
	}
	return fmt.Sprintf("%s %s %s %s", a, b, n, f)
}

// CheckDigit returns the MOD11 check digit for an eight-digit prefix, or -1 when none exists.
func CheckDigit(prefix int) int {
	s := strconv.Itoa(prefix)
	for _, c := range []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"} {
		if orgno.Validate(s+c) == nil {
			return int(c[0] - '0')
		}
	}
	return -1
}

func UserKey(systemID, owner, ref string) string { return systemID + "\x00" + owner + "\x00" + ref }

// DecideInState applies the customer's decision to a New request: approval creates the system
// user (with the request's id) unless one exists for the triple already, which it reports as
// false. It is decide's rule, applied inside a caller's update.
// active indexes the existing system users by triple (see userKey), so that deciding thousands
// of requests does not scan every system user for each.
func DecideInState(st *State, q *Request, approve bool, now time.Time, active map[string]bool) bool {
	st.Touch(&st.Requests, q.ID)
	if !approve {
		q.Status = altinn.StatusRejected
		return true
	}
	k := UserKey(q.SystemID, q.PartyOrgNo, q.ExternalRef)
	if active[k] {
		return false
	}
	active[k] = true
	AcceptRequest(st, q, now)
	return true
}

// AcceptRequest marks a New request Accepted and creates its system user: with the request's
// id, and the rights and access packages the request asked for. Approving one request and
// approving many both end here, so the two cannot create different system users (approving
// many once dropped the packages).
func AcceptRequest(st *State, q *Request, now time.Time) *SystemUser {
	q.Status = altinn.StatusAccepted
	st.Touch(&st.Requests, q.ID)
	su := &SystemUser{ID: q.ID, SystemID: q.SystemID, OwnerOrg: q.PartyOrgNo, ExternalRef: q.ExternalRef,
		IntegrationTitle: q.IntegrationTitle, Agent: q.Agent, Created: now, Seq: st.NextSeq(),
		Rights: q.Rights, AccessPackages: q.AccessPackages}
	st.SystemUsers[q.ID] = su
	st.Touch(&st.SystemUsers, q.ID)
	return su
}

package sandbox

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/google/uuid"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Many customers: synthetic organisations for the Enhetsregisteret stand-in, and deciding many
// requests at once, so that bulk requests and the status board can be exercised at scale.

// MaxGeneratedOrgs caps one AddOrgs call.
const MaxGeneratedOrgs = 100_000

// AddOrgs adds n synthetic organisations with valid organisation numbers to the
// Enhetsregisteret stand-in, in one write, and returns them in number order. Numbers already
// registered are skipped, so repeated calls keep adding new ones.
func (s *Sandbox) AddOrgs(n int) ([]world.Org, error) {
	if n < 1 || n > MaxGeneratedOrgs {
		return nil, fmt.Errorf("count must be between 1 and %d, not %d", MaxGeneratedOrgs, n)
	}
	var added []world.Org
	err := s.Store.Update(func(st *world.State) error {
		var err error
		added, err = addOrgs(st, n)
		return err
	})
	return added, err
}

// addOrgs adds n synthetic organisations to st (touched), in number order.
func addOrgs(st *world.State, n int) ([]world.Org, error) {
	var added []world.Org
	for prefix := world.GeneratedOrgBase; len(added) < n; prefix++ {
		if prefix > 39_999_999 {
			return nil, errors.New("the synthetic number range is used up")
		}
		d := world.CheckDigit(prefix)
		if d < 0 {
			continue
		}
		no := strconv.Itoa(prefix) + strconv.Itoa(d)
		if _, ok := st.Orgs[no]; ok {
			continue
		}
		o := world.Org{OrgNo: no, Name: world.GeneratedOrgName(prefix - world.GeneratedOrgBase)}
		st.Orgs[no] = o
		st.Touch(&st.Orgs, no)
		added = append(added, o)
	}
	return added, nil
}

// DecideAllOptions select and split the requests DecideAll decides.
type DecideAllOptions struct {
	// SystemID limits the decision to one system's requests ("" for all).
	SystemID string
	// Approve and Reject are the fractions (0–1) of the waiting requests to approve and to
	// reject; the rest stay New. Approve 1 and Reject 0 decide everything.
	Approve, Reject float64
	// Seed picks which requests get which decision (the same seed, the same split).
	Seed uint64
}

// DecideAllResult counts what DecideAll did.
type DecideAllResult struct {
	Waiting  int `json:"waiting"`
	Approved int `json:"approved"`
	Rejected int `json:"rejected"`
	Left     int `json:"left"`
	// Refused counts approvals refused because the customer already has a system user for the
	// same system and external reference (AUTH-00004); those requests stay New.
	Refused int `json:"refused"`
}

// DecideAll approves and rejects fractions of the waiting (New, not deleted, not timed out)
// requests as their customers would, in one write: approval creates the system user.
func (s *Sandbox) DecideAll(o DecideAllOptions) (DecideAllResult, error) {
	if o.Approve < 0 || o.Reject < 0 || o.Approve+o.Reject > 1.0000001 {
		return DecideAllResult{}, fmt.Errorf("the fractions to approve (%g) and reject (%g) must be between 0 and 1 and add up to at most 1", o.Approve, o.Reject)
	}
	var res DecideAllResult
	now := s.Opts.Now()
	err := s.Store.Update(func(st *world.State) error {
		res = DecideAllResult{}
		var waiting []*world.Request
		for _, q := range st.Requests {
			if q.Deleted || q.Status != altinn.StatusNew || now.Sub(q.Created) > altinn.RequestTimeout {
				continue
			}
			if o.SystemID != "" && q.SystemID != o.SystemID {
				continue
			}
			waiting = append(waiting, q)
		}
		sort.Slice(waiting, func(i, j int) bool { return waiting[i].Seq < waiting[j].Seq })
		rng := rand.New(rand.NewPCG(o.Seed, 0x5b5))
		rng.Shuffle(len(waiting), func(i, j int) { waiting[i], waiting[j] = waiting[j], waiting[i] })
		res.Waiting = len(waiting)
		active := map[string]bool{}
		for _, su := range st.SystemUsers {
			if !su.Deleted {
				active[world.UserKey(su.SystemID, su.OwnerOrg, su.ExternalRef)] = true
			}
		}
		nApprove := int(float64(len(waiting))*o.Approve + 0.5)
		nReject := min(int(float64(len(waiting))*o.Reject+0.5), len(waiting)-nApprove)
		for i, q := range waiting {
			switch {
			case i < nApprove:
				if world.DecideInState(st, q, true, now, active) {
					res.Approved++
				} else {
					res.Refused++
				}
			case i < nApprove+nReject:
				world.DecideInState(st, q, false, now, active)
				res.Rejected++
			}
		}
		res.Left = res.Waiting - res.Approved - res.Rejected
		return nil
	})
	return res, err
}

// RequestSeed describes requests AddRequests writes straight into the state.
type RequestSeed struct {
	SystemID string
	// Orgs are the customers, one request each (they must be in the register).
	Orgs     []string
	Agent    bool
	Packages []altinn.PackageRef
	// RefPrefix makes each request's external reference RefPrefix+orgNo ("" for the orgNo).
	RefPrefix string
}

// AddRequests creates one New request per organisation in a single write, bypassing the HTTP
// API and its per-request save. It is the fast path for load tests and demos of the status
// board; the API path (what `request bulk` uses) is the one to test behaviour with.
func (s *Sandbox) AddRequests(seed RequestSeed) ([]world.Request, error) {
	var out []world.Request
	now := s.Opts.Now()
	err := s.Store.Update(func(st *world.State) error {
		out = out[:0]
		sys := st.Systems[seed.SystemID]
		if sys == nil || sys.Deleted {
			return fmt.Errorf("system %s is not registered", seed.SystemID)
		}
		for _, org := range seed.Orgs {
			if _, ok := st.Orgs[org]; !ok {
				return fmt.Errorf("organisation %s is not in the register (add it with AddOrgs)", org)
			}
			q := &world.Request{ID: uuid.NewString(), Agent: seed.Agent, SystemID: seed.SystemID, VendorOrg: sys.VendorOrg, PartyOrgNo: org,
				ExternalRef: seed.RefPrefix + org, IntegrationTitle: sys.Name["nb"], AccessPackages: seed.Packages,
				Status: altinn.StatusNew, Created: now, Seq: st.NextSeq()}
			st.Requests[q.ID] = q
			st.Touch(&st.Requests, q.ID)
			out = append(out, *q)
		}
		return nil
	})
	return out, err
}

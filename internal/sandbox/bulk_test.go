package sandbox

import (
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

func TestAddOrgsValidNumbersNamesAndNoRepeats(t *testing.T) {
	t.Parallel()
	sb := openTest(t)
	first, err := sb.AddOrgs(500)
	if err != nil || len(first) != 500 {
		t.Fatalf("AddOrgs: %d %v", len(first), err)
	}
	second, err := sb.AddOrgs(10)
	if err != nil || len(second) != 10 {
		t.Fatalf("AddOrgs again: %d %v", len(second), err)
	}
	seen := map[string]bool{}
	names := map[string]bool{}
	for _, o := range append(first, second...) {
		if err := orgno.Validate(o.OrgNo); err != nil {
			t.Fatalf("generated %s: %v", o.OrgNo, err)
		}
		if seen[o.OrgNo] {
			t.Fatalf("%s generated twice", o.OrgNo)
		}
		seen[o.OrgNo] = true
		if len(strings.Fields(o.Name)) < 3 {
			t.Fatalf("name %q", o.Name)
		}
		names[o.Name] = true
	}
	if len(names) < 400 {
		t.Errorf("only %d distinct names among 510", len(names))
	}
	_ = sb.View(func(st *world.State) error {
		if len(st.Orgs) != len(world.SeedOrgs)+510 {
			t.Errorf("register holds %d orgs", len(st.Orgs))
		}
		return nil
	})
	if _, err := sb.AddOrgs(0); err == nil {
		t.Error("count 0 accepted")
	}
}

// withDemoSystem registers the vendor's system 974761076_demo straight into the state.
func withDemoSystem(t *testing.T, sb *Sandbox) {
	t.Helper()
	err := sb.Update(func(st *world.State) error {
		st.Systems["974761076_demo"] = &world.System{ID: "974761076_demo", VendorOrg: "974761076", Name: map[string]string{"nb": "Demo"}}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDecideAllSplitsTheWaitingRequests(t *testing.T) {
	t.Parallel()
	sb := openTest(t)
	orgs, _ := sb.AddOrgs(100)
	withDemoSystem(t, sb)
	var nos []string
	for _, o := range orgs {
		nos = append(nos, o.OrgNo)
	}
	reqs, err := sb.AddRequests(RequestSeed{SystemID: "974761076_demo", Orgs: nos})
	if err != nil || len(reqs) != 100 {
		t.Fatalf("AddRequests: %d %v", len(reqs), err)
	}
	if _, err := sb.DecideAll(DecideAllOptions{Approve: 0.8, Reject: 0.3}); err == nil {
		t.Fatal("fractions over 1 accepted")
	}
	res, err := sb.DecideAll(DecideAllOptions{Approve: 0.5, Reject: 0.2, Seed: 1})
	if err != nil || res.Waiting != 100 || res.Approved != 50 || res.Rejected != 20 || res.Left != 30 {
		t.Fatalf("DecideAll: %+v %v", res, err)
	}
	count := map[string]int{}
	users := 0
	_ = sb.View(func(st *world.State) error {
		for _, q := range st.Requests {
			count[q.Status]++
		}
		users = len(st.SystemUsers)
		return nil
	})
	if count[altinn.StatusAccepted] != 50 || count[altinn.StatusRejected] != 20 || count[altinn.StatusNew] != 30 || users != 50 {
		t.Fatalf("statuses %v, %d system users", count, users)
	}
	// The rest: everything still waiting is approved; decided ones are left alone.
	res, err = sb.DecideAll(DecideAllOptions{Approve: 1})
	if err != nil || res.Waiting != 30 || res.Approved != 30 {
		t.Fatalf("DecideAll rest: %+v %v", res, err)
	}
	// A second request for a customer who already has the system user is refused (AUTH-00004 rule).
	_ = sb.Update(func(st *world.State) error {
		st.Requests["dup"] = &world.Request{ID: "dup", SystemID: "974761076_demo", VendorOrg: "974761076", PartyOrgNo: nos[0], ExternalRef: nos[0],
			Status: altinn.StatusNew, Created: sb.Opts.Now(), Seq: st.NextSeq()}
		return nil
	})
	if res, err = sb.DecideAll(DecideAllOptions{Approve: 1}); err != nil || res.Refused != 1 || res.Approved != 0 {
		t.Fatalf("duplicate: %+v %v", res, err)
	}
}

// Approving many requests creates the same system users as approving each by id: with the
// request's access packages and rights (approving many once dropped them, and every token of
// those system users carried no package).
func TestDecideAllGivesTheRequestsPackagesAndRights(t *testing.T) {
	t.Parallel()
	sb := openTest(t)
	orgs, _ := sb.AddOrgs(2)
	withDemoSystem(t, sb)
	pkgs := []altinn.PackageRef{{URN: "urn:altinn:accesspackage:skattegrunnlag"}}
	reqs, err := sb.AddRequests(RequestSeed{SystemID: "974761076_demo", Orgs: []string{orgs[0].OrgNo, orgs[1].OrgNo}, Packages: pkgs})
	if err != nil {
		t.Fatal(err)
	}
	rights := []altinn.Right{{Resource: []altinn.AttributePair{{ID: "urn:altinn:resource", Value: "ske-krav-og-betalinger"}}}}
	_ = sb.Update(func(st *world.State) error {
		for _, q := range reqs {
			st.Requests[q.ID].Rights = rights
		}
		return nil
	})
	if _, err := sb.Approve(reqs[0].ID); err != nil {
		t.Fatal(err)
	}
	if res, err := sb.DecideAll(DecideAllOptions{Approve: 1}); err != nil || res.Approved != 1 {
		t.Fatalf("DecideAll: %+v %v", res, err)
	}
	_ = sb.View(func(st *world.State) error {
		for _, q := range reqs {
			su := st.SystemUsers[q.ID]
			if su == nil || len(su.AccessPackages) != 1 || su.AccessPackages[0].URN != pkgs[0].URN || len(su.Rights) != 1 {
				t.Errorf("system user of request %s: %+v", q.ID, su)
			}
		}
		return nil
	})
}

package steps

import (
	"context"
	"sort"
	"strings"

	altinnclient "github.com/sbs-tui/sbs-tui/internal/clients/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
)

// ChangePlan says whether step 5 should ask for a change instead of a new system user: the
// customer already has a system user for this system (and externalRef), and the request now
// asks for packages or rights it was not granted.
type ChangePlan struct {
	SystemUser *altinn.SystemUser `json:"system_user"`
	// HavePackages and HaveRights are what the system user was granted: its accepted request,
	// changed by accepted change requests. Altinn has no vendor endpoint that reads a system
	// user's delegations, so this is what the vendor asked for and the customer approved.
	HavePackages []string `json:"have_packages"`
	HaveRights   []string `json:"have_rights"`
	// AddPackages and AddRights are asked for now but not held.
	AddPackages []string `json:"add_packages"`
	AddRights   []string `json:"add_rights"`
	// Agent is true for an agent system user, which cannot be changed (AUTH-00015).
	Agent bool `json:"agent"`
}

// Needed reports whether a change request would change anything.
func (p *ChangePlan) Needed() bool { return p != nil && len(p.AddPackages)+len(p.AddRights) > 0 }

// Params turns the plan into change-request inputs.
func (p *ChangePlan) Params(redirectURL string) ChangeParams {
	return ChangeParams{SystemUserID: p.SystemUser.ID, SystemID: p.SystemUser.SystemID, OrgNo: p.SystemUser.ReporteeOrgNo,
		ExternalRef: p.SystemUser.ExternalRef, AddPackages: p.AddPackages, AddRights: p.AddRights, RedirectURL: redirectURL}
}

// Summary is one line for the user.
func (p *ChangePlan) Summary(s *Session) string {
	org := p.SystemUser.ReporteeOrgNo
	if p.Agent {
		return s.T("steps.plan.agent", "Org", org)
	}
	add := append(append([]string{}, p.AddPackages...), p.AddRights...)
	if len(add) == 0 {
		return s.T("steps.plan.complete", "Org", org)
	}
	return s.T("steps.plan.missing", "Org", org, "Missing", strings.Join(add, ", "))
}

// PlanChange looks for the customer's existing system user of (system, org, externalRef) and
// compares what it holds with what p asks for. It returns nil when there is none.
func PlanChange(ctx context.Context, s *Session, p RequestParams) (*ChangePlan, error) {
	org := orgno.Normalize(p.OrgNo)
	su, err := s.Altinn().FindSystemUser(ctx, p.SystemID, org, p.ExternalRef)
	if altinnclient.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	plan := &ChangePlan{SystemUser: su, Agent: su.UserType == "agent", HavePackages: []string{}, HaveRights: []string{}}
	have := map[string]bool{}
	haveRight := map[string]bool{}
	// The system user's id is its accepted request's id.
	req, err := s.Altinn().GetRequest(ctx, su.ID, plan.Agent)
	if err != nil && !altinnclient.IsNotFound(err) {
		return nil, err
	}
	if err == nil {
		for _, pk := range req.AccessPackages {
			have[pk.URN] = true
		}
		for _, r := range req.Rights {
			haveRight[describeResource(r)] = true
		}
	}
	if !plan.Agent {
		changes, err := s.Altinn().ListChangeRequests(ctx, p.SystemID)
		if err != nil && !altinnclient.IsNotFound(err) {
			return nil, err
		}
		for _, cr := range changes {
			if cr.SystemUserID != su.ID || cr.Status != altinn.StatusAccepted {
				continue
			}
			full := &cr
			// The list carries the package lists; read by id when they are missing.
			if got, gerr := s.Altinn().GetChangeRequest(ctx, cr.ID); gerr == nil {
				full = got
			}
			for _, pk := range full.RequiredAccessPackages {
				have[pk.URN] = true
			}
			for _, pk := range full.UnwantedAccessPackages {
				delete(have, pk.URN)
			}
			for _, r := range full.RequiredRights {
				haveRight[describeResource(r)] = true
			}
			for _, r := range full.UnwantedRights {
				delete(haveRight, describeResource(r))
			}
		}
	}
	for urn := range have {
		plan.HavePackages = append(plan.HavePackages, strings.TrimPrefix(urn, accesspackages.URNPrefix))
	}
	for r := range haveRight {
		plan.HaveRights = append(plan.HaveRights, r)
	}
	for _, code := range p.Packages {
		if urn := accesspackages.URN(code); !have[urn] {
			plan.AddPackages = append(plan.AddPackages, strings.TrimPrefix(urn, accesspackages.URNPrefix))
		}
	}
	for _, r := range p.Rights {
		if !haveRight[strings.TrimSpace(r)] {
			plan.AddRights = append(plan.AddRights, strings.TrimSpace(r))
		}
	}
	sort.Strings(plan.HavePackages)
	sort.Strings(plan.HaveRights)
	return plan, nil
}

func describeResource(r altinn.Right) string {
	var vals []string
	for _, a := range r.Resource {
		vals = append(vals, a.Value)
	}
	return strings.Join(vals, "/")
}

// CallSubject is who a step-8 call was made as and for, to explain a refusal with.
type CallSubject struct {
	// Agent is true for an agent system user, owned by Facilitator and called for Party (the
	// client whose resource the URL names; "" when the URL names none).
	Agent              bool
	Facilitator, Party string
	// SystemUserID may be "" (a placeholder is shown).
	SystemUserID string
	// Packages are the system user's access packages (codes or URNs), as requested.
	Packages []string
}

// ExplainCall explains a refused step-8 call: for an agent system user a 403 on another
// organisation's resource means the facilitator has not added that client to the system user,
// or, with a package no client role gives, that it cannot until the client delegates it.
func ExplainCall(s *Session, res *CallResult, who CallSubject) string {
	if res != nil && res.Dialogporten != nil {
		return res.Dialogporten.Hint
	}
	if res == nil || res.Status < 400 {
		return ""
	}
	if res.Status == 403 && who.Agent && who.Facilitator != who.Party {
		client, party, id := who.Party, who.Party, who.SystemUserID
		if client == "" {
			client, party = s.T("steps.plan.this_org"), "ORGNO"
		}
		if id == "" {
			id = "SYSTEMUSER_ID"
		}
		var codes []string
		for _, p := range who.Packages {
			codes = append(codes, strings.TrimPrefix(accesspackages.URN(p), accesspackages.URNPrefix))
		}
		if missing := altinn.PackagesNoRoleGives(codes); len(missing) > 0 {
			return s.T("steps.plan.not_a_client_no_role", "Who", client, "Facilitator", who.Facilitator, "Packages", strings.Join(missing, ", "))
		}
		return s.T("steps.plan.not_a_client", "Who", client, "Facilitator", who.Facilitator, "SystemUser", id, "Party", party)
	}
	if res.Skatteetaten != nil {
		return SkatteetatenText(s.printer(), *res.Skatteetaten, res.Status)
	}
	if res.Status != 403 {
		return ""
	}
	if strings.Contains(res.Body, "insufficient_scope") {
		return s.T("steps.plan.insufficient_scope")
	}
	return s.T("steps.plan.refused")
}

package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	altinnclient "github.com/sbs-tui/sbs-tui/internal/clients/altinn"
	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
)

// ChangeParams are the inputs of a change request: which system user (by id, or by system,
// customer and external reference) and what it should gain and lose.
type ChangeParams struct {
	SystemUserID   string
	SystemID       string
	OrgNo          string
	ExternalRef    string
	AddPackages    []string // codes or URNs
	AddRights      []string // resource ids
	RemovePackages []string
	RemoveRights   []string
	RedirectURL    string
	// CorrelationID is the change request's id; "" makes a new one. Sending the same one again
	// returns the same change request.
	CorrelationID string
}

// ChangeResult is the outcome of creating a change request.
type ChangeResult struct {
	ChangeRequest *altinn.ChangeRequest `json:"change_request"`
	// Created is false when Altinn returned an existing change request with this
	// correlation-id, or answered NoChangeNeeded.
	Created    bool               `json:"created"`
	SystemUser *altinn.SystemUser `json:"system_user,omitempty"`
	Note       string             `json:"note,omitempty"`
}

// CheckChange validates a change request locally and against Altinn (the system user and its
// system), as the server would, and returns the system user and the body.
func CheckChange(ctx context.Context, s *Session, p ChangeParams) (*altinn.SystemUser, altinn.ChangeRequestBody, []altinn.Violation, error) {
	var vs []altinn.Violation
	var body altinn.ChangeRequestBody
	body.RedirectURL = strings.TrimSpace(p.RedirectURL)
	cat := s.Catalog(ctx)
	pkgRefs := func(field string, codes []string) []altinn.PackageRef {
		out := []altinn.PackageRef{}
		for _, c := range codes {
			urn := accesspackages.URN(c)
			if _, ok := cat.Lookup(urn); !ok {
				vs = append(vs, altinn.Violation{Field: field, Message: s.unknownPackage(cat, c)})
			}
			out = append(out, altinn.PackageRef{URN: urn})
		}
		return out
	}
	rights := func(ids []string) []altinn.Right {
		out := []altinn.Right{}
		for _, id := range ids {
			out = append(out, altinn.NewResourceRight(strings.TrimSpace(id)))
		}
		return out
	}
	body.RequiredAccessPackages = pkgRefs("requiredAccessPackages", p.AddPackages)
	body.UnwantedAccessPackages = pkgRefs("unwantedAccessPackages", p.RemovePackages)
	body.RequiredRights, body.UnwantedRights = rights(p.AddRights), rights(p.RemoveRights)
	if p.CorrelationID != "" {
		if _, err := uuid.Parse(p.CorrelationID); err != nil {
			vs = append(vs, altinn.Violation{Field: "correlation-id", Message: s.T("bulk.change.not_uuid", "Value", fmt.Sprintf("%q", p.CorrelationID))})
		}
	}
	var su *altinn.SystemUser
	if p.SystemUserID == "" {
		if p.SystemID == "" || p.OrgNo == "" {
			vs = append(vs, altinn.Violation{Field: "system-user", Message: s.T("bulk.change.which_system_user")})
			return nil, body, vs, nil
		}
		org := orgno.Normalize(p.OrgNo)
		if err := orgno.Validate(org); err != nil {
			vs = append(vs, altinn.OrgNoViolation("org", err))
			return nil, body, vs, nil
		}
		found, err := s.Altinn().FindSystemUser(ctx, p.SystemID, org, p.ExternalRef)
		switch {
		case altinnclient.IsNotFound(err):
			vs = append(vs, altinn.Violation{Code: "AUTH-00015", Field: "system-user",
				Message: s.T("bulk.change.no_system_user", "Org", org, "System", p.SystemID, "Ref", fmt.Sprintf("%q", orDefault(p.ExternalRef, org)))})
			return nil, body, vs, nil
		case err != nil:
			return nil, body, vs, err
		}
		su = found
	} else {
		if _, err := uuid.Parse(p.SystemUserID); err != nil {
			vs = append(vs, altinn.Violation{Field: "system-user", Message: s.T("bulk.change.not_system_user_id", "Value", fmt.Sprintf("%q", p.SystemUserID))})
			return nil, body, vs, nil
		}
		found, err := systemUserByID(ctx, s, p.SystemUserID, p.SystemID)
		switch {
		case err != nil:
			return nil, body, vs, err
		case found == nil:
			vs = append(vs, altinn.Violation{Code: "AUTH-00015", Field: "system-user", Message: s.T("bulk.change.no_system_user_id", "ID", p.SystemUserID)})
			return nil, body, vs, nil
		}
		su = found
	}
	if su.UserType == "agent" {
		vs = append(vs, altinn.Violation{Code: "AUTH-00015", Field: "system-user",
			Message: s.T("bulk.change.agent")})
	}
	if strings.EqualFold(p.CorrelationID, su.ID) && p.CorrelationID != "" {
		vs = append(vs, altinn.Violation{Field: "correlation-id", Message: s.T("bulk.change.same_id")})
	}
	if body.Empty() {
		vs = append(vs, altinn.Violation{Field: "change", Message: s.T("bulk.change.nothing")})
	}
	if len(vs) > 0 || su.SystemID == "" {
		return su, body, vs, nil
	}
	sys, err := s.Altinn().GetSystem(ctx, su.SystemID)
	if err != nil {
		if altinnclient.IsNotFound(err) {
			return su, body, append(vs, altinn.Violation{Code: "AUTH-00011", Field: "system", Message: s.T("bulk.change.system_unknown", "System", su.SystemID)}), nil
		}
		return su, body, vs, err
	}
	if v := altinn.ValidateRedirect(body.RedirectURL, sys.AllowedRedirectURLs); v != nil {
		vs = append(vs, *v)
	}
	if len(body.RequiredRights) > 0 {
		if bad, ok := altinn.MatchRights(body.RequiredRights, sys.Rights); !ok {
			msg := s.T("bulk.change.too_many_rights")
			if bad >= 0 {
				msg = s.T("bulk.change.right_not_on_system", "Right", body.RequiredRights[bad].Resource[0].Value)
			}
			vs = append(vs, altinn.Violation{Code: "AUTH-00001", Field: "requiredRights", Message: msg})
		}
	}
	if len(body.RequiredAccessPackages) > 0 {
		if v := altinn.ValidateRequestedPackages(body.RequiredAccessPackages, sys.AccessPackages, false, cat); v != nil {
			if v.Code == "AUTH-00063" {
				v.Message += ": " + s.T("bulk.change.add_package_first")
			}
			vs = append(vs, *v)
		}
	}
	return su, body, vs, nil
}

// systemUserByID finds the vendor's system user with this id among systemID's system users
// or, without a system, among those of every system the vendor has registered: Altinn's vendor
// API looks system users up by system, never by id alone. It returns nil when none has it.
func systemUserByID(ctx context.Context, s *Session, id, systemID string) (*altinn.SystemUser, error) {
	systems := []string{systemID}
	if systemID == "" {
		list, err := s.Altinn().ListSystems(ctx)
		if err != nil {
			return nil, err
		}
		systems = systems[:0]
		for _, sys := range list {
			systems = append(systems, sys.SystemID)
		}
	}
	for _, sysID := range systems {
		users, err := s.Altinn().ListSystemUsers(ctx, sysID)
		if err != nil && !altinnclient.IsNotFound(err) {
			return nil, err
		}
		for i := range users {
			if strings.EqualFold(users[i].ID, id) {
				return &users[i], nil
			}
		}
	}
	return nil, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// CreateChangeRequest checks the change, then asks Altinn for the customer's approval.
func CreateChangeRequest(ctx context.Context, s *Session, p ChangeParams) (*ChangeResult, error) {
	su, body, vs, err := CheckChange(ctx, s, p)
	if err != nil {
		return nil, err
	}
	if len(vs) > 0 {
		return nil, s.violations(s.T("steps.violations.change_request"), vs)
	}
	corr := p.CorrelationID
	if corr == "" {
		corr = uuid.NewString()
	}
	cr, created, err := s.Altinn().CreateChangeRequest(ctx, corr, su.ID, body)
	if err != nil {
		return nil, err
	}
	r := &ChangeResult{ChangeRequest: cr, Created: created, SystemUser: su}
	switch {
	case cr.Status == altinn.StatusNoChangeNeeded:
		r.Note = s.T("bulk.change.no_change_needed")
	case !created:
		r.Note = s.T("bulk.change.existing", "Status", cr.Status)
	}
	return r, nil
}

// WaitForChangeDecision polls a change request until it leaves New (or ctx ends).
func WaitForChangeDecision(ctx context.Context, s *Session, id string, b PollBackoff, onPoll func(*altinn.ChangeRequest, error, time.Duration)) (*altinn.ChangeRequest, error) {
	var wait time.Duration
	for {
		cr, err := s.Altinn().GetChangeRequest(ctx, id)
		wait = b.Next(wait)
		if onPoll != nil {
			onPoll(cr, err, wait)
		}
		if err == nil && cr.Status != altinn.StatusNew {
			return cr, nil
		}
		if err != nil && (altinnclient.IsNotFound(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			return cr, err
		}
		if err := httpx.Sleep(ctx, wait); err != nil {
			return cr, err
		}
	}
}

package steps

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	altinnclient "github.com/sbs-tui/sbs-tui/internal/clients/altinn"
	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// The status board's data: one row per customer request of a system (standard and agent),
// plus system users that no listed request explains.

// StatusActive marks a system user found without a listed request (its request was deleted,
// or it was created another way).
const StatusActive = "Active"

// BoardRow is one customer on the board.
type BoardRow struct {
	RequestID   string
	Org         string
	Agent       bool
	Status      string
	Created     time.Time
	ExternalRef string
	ConfirmURL  string
	// What the request asked for, to send it again after a rejection.
	Packages    []string
	Rights      []string
	RedirectURL string
	Title       string
	// Escalated marks a New request the customer forwarded to their Tilgangsstyrer.
	Escalated bool
}

// Request types, as a customers file and the board name them.
const (
	TypeStandard = "standard"
	TypeAgent    = "agent"
)

// Type is "agent" or "standard".
func (r BoardRow) Type() string {
	if r.Agent {
		return TypeAgent
	}
	return TypeStandard
}

// Recreatable reports whether the row's request can be deleted and sent again: the customer
// rejected it, or it timed out unanswered.
func (r BoardRow) Recreatable() bool {
	return r.RequestID != "" && (r.Status == altinn.StatusRejected || r.Status == altinn.StatusDenied || r.Status == altinn.StatusTimedout)
}

func boardRow(q altinn.Request, agent bool) BoardRow {
	r := BoardRow{RequestID: termsafe.Line(q.ID), Org: termsafe.Line(q.PartyOrgNo), Agent: agent, Status: termsafe.Line(q.Status), Created: q.Created,
		ExternalRef: termsafe.Line(q.ExternalRef), ConfirmURL: termsafe.Line(q.ConfirmURL), RedirectURL: termsafe.Line(q.RedirectURL),
		Title: termsafe.Line(q.IntegrationTitle)}
	if q.TimedOut && q.Status == altinn.StatusNew {
		r.Status = altinn.StatusTimedout
	}
	r.Escalated = q.Escalated && r.Status == altinn.StatusNew
	for _, p := range q.AccessPackages {
		r.Packages = append(r.Packages, accesspackages.URN(p.URN))
	}
	for _, rt := range q.Rights {
		for _, a := range rt.Resource {
			if a.ID == altinn.ResourceAttribute {
				r.Rights = append(r.Rights, a.Value)
			}
		}
	}
	return r
}

// LoadBoard lists a system's standard and agent requests and its system users, in parallel.
func LoadBoard(ctx context.Context, s *Session, systemID string) ([]BoardRow, error) {
	c := s.Altinn()
	var (
		wg         sync.WaitGroup
		std, agent []altinn.Request
		users      []altinn.SystemUser
		e1, e2, e3 error
	)
	wg.Add(3)
	go func() { defer wg.Done(); std, e1 = c.ListRequests(ctx, systemID, false) }()
	go func() { defer wg.Done(); agent, e2 = c.ListRequests(ctx, systemID, true) }()
	go func() { defer wg.Done(); users, e3 = c.ListSystemUsers(ctx, systemID) }()
	wg.Wait()
	for _, err := range []error{e1, e2, e3} {
		if err != nil {
			return nil, err
		}
	}
	rows := make([]BoardRow, 0, len(std)+len(agent))
	explained := map[string]bool{}
	for _, q := range std {
		rows = append(rows, boardRow(q, false))
	}
	for _, q := range agent {
		rows = append(rows, boardRow(q, true))
	}
	for _, r := range rows {
		if r.Status == altinn.StatusAccepted {
			explained[r.Org+"\x00"+r.ExternalRef] = true
		}
	}
	for _, u := range users {
		if u.IsDeleted || explained[u.ReporteeOrgNo+"\x00"+u.ExternalRef] {
			continue
		}
		rows = append(rows, BoardRow{Org: termsafe.Line(u.ReporteeOrgNo), Agent: strings.EqualFold(u.UserType, "agent"), Status: StatusActive,
			Created: u.Created, ExternalRef: termsafe.Line(u.ExternalRef), Title: termsafe.Line(u.IntegrationTitle)})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Created.Before(rows[j].Created) })
	return rows, nil
}

// CountRequests is how many standard and agent requests a system has: the wizard points to
// the status board when there is more than one.
func CountRequests(ctx context.Context, s *Session, systemID string) (int, error) {
	c := s.Altinn()
	std, err := c.ListRequests(ctx, systemID, false)
	if err != nil {
		return 0, err
	}
	agent, err := c.ListRequests(ctx, systemID, true)
	if err != nil {
		return 0, err
	}
	return len(std) + len(agent), nil
}

// RecreateBoardRow deletes a rejected or timed-out request and sends the same one again.
func RecreateBoardRow(ctx context.Context, s *Session, systemID string, r BoardRow) (*RequestResult, error) {
	return RecreateRequest(ctx, s, r.RequestID, RequestParams{SystemID: systemID, OrgNo: r.Org, Packages: r.Packages, Rights: r.Rights,
		Agent: r.Agent, ExternalRef: r.ExternalRef, RedirectURL: r.RedirectURL, Title: r.Title})
}

// ResolveSystem returns the system to use: id when given, else the profile's only one.
func ResolveSystem(ctx context.Context, s *Session, id string) (*altinn.RegisteredSystem, error) {
	c := s.Altinn()
	if id == "" {
		list, err := c.ListSystems(ctx)
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, sys := range list {
			ids = append(ids, sys.SystemID)
		}
		switch len(ids) {
		case 0:
			return nil, i18n.Errorf("bulk.system.none")
		case 1:
			id = ids[0]
		default:
			sort.Strings(ids)
			return nil, i18n.Errorf("bulk.system.several", "Count", len(ids), "IDs", strings.Join(ids, ", "))
		}
	}
	sys, err := c.GetSystem(ctx, id)
	switch {
	case altinnclient.IsNotFound(err):
		return nil, i18n.Errorf("bulk.system.not_found", "ID", id)
	case err != nil:
		return nil, err
	case sys.IsDeleted:
		return nil, i18n.Errorf("bulk.system.deleted", "ID", id)
	}
	return sys, nil
}

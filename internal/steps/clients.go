package steps

import (
	"context"
	"fmt"

	"github.com/sbs-tui/sbs-tui/internal/clients/accessmanagement"
	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
)

// ClientList is what Altinn says a system user may act for: for an agent system user, the
// clients its facilitator added.
type ClientList struct {
	SystemUserOrg string                   `json:"systemuser_org"`
	Clients       []accessmanagement.Party `json:"clients"`
	// Hint says what the list means (none yet, how to add some).
	Hint string `json:"hint"`
}

// ListClients lists the parties the system user owned by org may act for, through Access
// Management's authorized-parties list: a system-user token with
// altinn:accessmanagement/authorizedparties, exchanged for an Altinn token (Access Management
// takes no Maskinporten token).
func ListClients(ctx context.Context, s *Session, org, externalRef string) (*ClientList, error) {
	org = orgno.Normalize(org)
	if err := orgno.Validate(org); err != nil {
		return nil, fmt.Errorf("systemuser-org: %w", OrgNoError(s.Text, err))
	}
	tok, _, err := s.Token(ctx, maskinporten.TokenRequest{Scopes: []string{accessmanagement.Scope}, SystemUser: &maskinporten.SystemUser{OrgNo: org, ExternalRef: externalRef}})
	if err != nil {
		return nil, err
	}
	at, err := s.Altinn().Exchange(ctx, tok.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.T("steps.clients.exchange"), err)
	}
	l, err := accessmanagement.List(ctx, s.HTTP, s.Env.AltinnPlatform, at)
	if err != nil {
		return nil, err
	}
	out := &ClientList{SystemUserOrg: org, Clients: accessmanagement.Parties(l)}
	switch {
	case len(out.Clients) == 0:
		out.Hint = s.T("steps.clients.none")
		if s.Env.IsSandbox() {
			out.Hint += " " + s.T("steps.clients.sandbox")
		}
	case len(out.Clients) == 1 && out.Clients[0].OrgNo == org:
		out.Hint = s.T("steps.clients.own_only")
	default:
		out.Hint = s.N("steps.clients.count", len(out.Clients))
	}
	return out, nil
}

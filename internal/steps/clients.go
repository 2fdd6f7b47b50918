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

// NoClientsHint explains an empty list: the vendor cannot add clients, the facilitator does.
const NoClientsHint = "No clients yet: the facilitator's client administrator adds them to the system user in Altinn (Tilgangsstyring → Systemtilganger → Legg til klienter). Only organisations the facilitator has a role for (regnskapsfører, revisor, forretningsfører) that gives every package of the system user can be added."

// SandboxClientsHint is how the sandbox plays the facilitator.
const SandboxClientsHint = "In the sandbox: sbs-tui sandbox clients list --agent SYSTEMUSER_ID --available, then sandbox clients add."

// ListClients lists the parties the system user owned by org may act for, through Access
// Management's authorized-parties list: a system-user token with
// altinn:accessmanagement/authorizedparties, exchanged for an Altinn token (Access Management
// takes no Maskinporten token).
func ListClients(ctx context.Context, s *Session, org, externalRef string) (*ClientList, error) {
	org = orgno.Normalize(org)
	if err := orgno.Validate(org); err != nil {
		return nil, fmt.Errorf("systemuser-org: %w", err)
	}
	tok, _, err := s.Token(ctx, maskinporten.TokenRequest{Scopes: []string{accessmanagement.Scope}, SystemUser: &maskinporten.SystemUser{OrgNo: org, ExternalRef: externalRef}})
	if err != nil {
		return nil, err
	}
	at, err := s.Altinn().Exchange(ctx, tok.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("Access Management needs an Altinn token: %w", err)
	}
	l, err := accessmanagement.List(ctx, s.HTTP, s.Env.AltinnPlatform, at)
	if err != nil {
		return nil, err
	}
	out := &ClientList{SystemUserOrg: org, Clients: accessmanagement.Parties(l)}
	switch {
	case len(out.Clients) == 0:
		out.Hint = NoClientsHint
		if s.Env.IsSandbox() {
			out.Hint += " " + SandboxClientsHint
		}
	case len(out.Clients) == 1 && out.Clients[0].OrgNo == org:
		out.Hint = "The system user acts only for its own organisation (a standard system user, or an agent one whose owner added itself)."
	default:
		out.Hint = fmt.Sprintf("%d client(s) in Altinn.", len(out.Clients))
	}
	return out, nil
}

// Package accessmanagement is a small client for Altinn Access Management's end-user
// authorized-parties list, the vendor's only way to see which clients a facilitator added to
// an agent system user (AS-am; real-services.md §5 #1):
// GET {platform}accessmanagement/api/v1/enduser/authorizedparties?includeAccessPackages=true
// with the system user's Maskinporten token, exchanged for an Altinn token, carrying
// altinn:accessmanagement/authorizedparties.
package accessmanagement

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	ap "github.com/sbs-tui/sbs-tui/internal/domain/authorizedparties"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// Scope is the endpoint's scope for end-user systems.
const Scope = ap.Scope

// MaxParties caps the parties read from one answer (an accounting firm has hundreds of
// clients, not millions).
const MaxParties = 5000

// ListURL is the authorized-parties list on an Altinn platform base, asking for the access
// packages and single rights of each party (both default to false on the server).
func ListURL(platform string) string {
	q := url.Values{"includeAccessPackages": {"true"}, "includeResources": {"true"}}
	return strings.TrimRight(platform, "/") + "/" + ap.Path + "?" + q.Encode()
}

// Error is a refused list.
type Error struct {
	Status int
	// Text is the server's short answer ("Unknown user type"), cleaned for display.
	Text string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("Altinn Access Management answered %d to the authorized-parties list", e.Status)
	if e.Text != "" {
		msg += " (" + e.Text + ")"
	}
	return msg + ". " + Explain(e.Status, e.Text)
}

// Explain says what a status from the authorized-parties list means and what to do.
func Explain(status int, text string) string {
	switch {
	case status == http.StatusUnauthorized && strings.Contains(text, "Unknown user type"):
		return "The token names no system user: request it with authorization_details for the agent system user's owner (--systemuser-org)."
	case status == http.StatusUnauthorized:
		return "Access Management takes only Altinn tokens: exchange the system user's Maskinporten token (GET authentication/api/v1/exchange/maskinporten) and send the exchanged one; an expired token gives the same answer."
	case status == http.StatusForbidden:
		return "The token lacks the scope " + Scope + ": ask Altinn (servicedesk@altinn.no) to open it for your organisation, add it to the Maskinporten client and request the token with it."
	case status == http.StatusBadRequest:
		return "A query parameter is not valid (includeAccessPackages and includeResources take true or false)."
	}
	return "Try again later; if it persists, report it to Altinn with the time of the call."
}

// Parse decodes an answer: the list for 200, an *Error otherwise.
func Parse(status int, body []byte) (*ap.List, error) {
	refused := func() error {
		var s string
		if json.Unmarshal(body, &s) != nil {
			s = string(body)
		}
		return &Error{Status: status, Text: termsafe.Truncate(termsafe.Line(strings.TrimSpace(s)), 120)}
	}
	l, err := httpx.DecodeOK[ap.List](status, body, refused, "the authorized-parties list", "check the Altinn platform URL")
	if err != nil {
		return nil, err
	}
	if len(l.Data) > MaxParties {
		l.Data = l.Data[:MaxParties]
	}
	return l, nil
}

// List reads the parties the token's system user may act for. token must be an exchanged
// (Altinn) token.
func List(ctx context.Context, hc *http.Client, platform, token string) (*ap.List, error) {
	status, body, err := httpx.GetJSON(ctx, hc, "Altinn Access Management", ListURL(platform), token)
	if err != nil {
		return nil, err
	}
	return Parse(status, body)
}

// Party is one authorized party in display form: every text cleaned of control sequences.
type Party struct {
	OrgNo     string   `json:"orgno"`
	Name      string   `json:"name"`
	PartyUUID string   `json:"party_uuid"`
	Packages  []string `json:"access_packages"`
	Resources []string `json:"resources,omitempty"`
	// Subunits are the party's sub-units the system user reaches too.
	Subunits []Party `json:"subunits,omitempty"`
}

// Parties turns the list into display form (hostile text cleaned, hierarchy-only elements
// marked by an empty package list kept as they are).
func Parties(l *ap.List) []Party {
	out := make([]Party, 0, len(l.Data))
	for _, p := range l.Data {
		out = append(out, party(p, 0))
	}
	return out
}

func party(p ap.Party, depth int) Party {
	clean := func(s string) string { return termsafe.Truncate(termsafe.Line(s), 120) }
	q := Party{OrgNo: clean(p.OrgNo()), Name: clean(p.Name), PartyUUID: clean(p.PartyUUID), Packages: []string{}}
	for _, pk := range p.AuthorizedAccessPackages {
		q.Packages = append(q.Packages, clean(pk))
	}
	for _, r := range p.AuthorizedResources {
		q.Resources = append(q.Resources, clean(r))
	}
	if depth < 2 {
		for _, s := range p.Subunits {
			q.Subunits = append(q.Subunits, party(s, depth+1))
		}
	}
	return q
}

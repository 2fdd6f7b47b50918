// Package dialogporten is a small client for Dialogporten's end-user dialog search, the call
// that proves a system-user token's digdir:dialogporten scope (real-services.md §4.1):
// GET {platform}dialogporten/api/v1/enduser/dialogs?party=urn:altinn:organization:identifier-no:<org>.
package dialogporten

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	dp "github.com/sbs-tui/sbs-tui/internal/domain/dialogporten"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// Scope is the end-user API's scope.
const Scope = dp.Scope

// EmptyHint explains an empty dialog list (AS-dp): the scope gives API access only.
const EmptyHint = "The list is empty: the token works, but Dialogporten shows only the dialogs whose service resources the system user holds. Ask the customer to give it the access packages (or, for its own organisation, the single rights) those services require; without them the list is always empty."

// Base is Dialogporten's base URL on an Altinn platform host
// (https://platform.tt02.altinn.no/ → https://platform.tt02.altinn.no/dialogporten/).
func Base(altinnPlatform string) string {
	return strings.TrimRight(altinnPlatform, "/") + "/dialogporten/"
}

// SearchURL is the dialog search for one organisation.
func SearchURL(base, orgNo string) string {
	return strings.TrimRight(base, "/") + "/" + dp.SearchPath + "?" + url.Values{"party": {dp.PartyOrgPrefix + orgNo}}.Encode()
}

// IsSearchURL reports whether u is a Dialogporten dialog search.
func IsSearchURL(u string) bool {
	path := strings.SplitN(u, "?", 2)[0]
	return strings.HasSuffix(strings.TrimRight(path, "/"), "/dialogporten/"+dp.SearchPath)
}

// Error is a refused search.
type Error struct {
	Status  int
	Problem *dp.Problem
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("Dialogporten answered %d", e.Status)
	if e.Problem != nil {
		for _, list := range e.Problem.Errors {
			if len(list) > 0 {
				msg += ": " + termsafe.Truncate(termsafe.Line(list[0]), 200)
				break
			}
		}
	}
	return msg + ". " + Explain(e.Status, e.Problem)
}

// Explain says what a status from the dialog search means and what to do.
func Explain(status int, p *dp.Problem) string {
	switch {
	case status == http.StatusUnauthorized:
		return "The token was missing, expired or not from Maskinporten/Altinn: request a new system-user token."
	case status == http.StatusForbidden && p != nil && p.Errors["Type"] != nil:
		return "Dialogporten's end-user API takes a Maskinporten token only for a system user: request the token with authorization_details (--systemuser-org)."
	case status == http.StatusForbidden:
		return "The token lacks the scope digdir:dialogporten: add it to the Maskinporten client and request the token with it."
	case status == http.StatusBadRequest:
		return "The search needs a party as urn:altinn:organization:identifier-no:<9 digits> (or a serviceResource)."
	}
	return "Try again later; if it persists, report it with the trace id."
}

// ParseList decodes a search answer: the list for 200, an *Error otherwise.
func ParseList(status int, body []byte) (*dp.List, error) {
	refused := func() error {
		e := &Error{Status: status}
		var p dp.Problem
		if len(body) > 0 && json.Unmarshal(body, &p) == nil && (p.Title != "" || len(p.Errors) > 0) {
			e.Problem = &p
		}
		return e
	}
	return httpx.DecodeOK[dp.List](status, body, refused, "Dialogporten's dialog list", "check the URL")
}

// Search lists orgNo's dialogs with a system-user token.
func Search(ctx context.Context, hc *http.Client, base, token, orgNo string) (*dp.List, error) {
	status, body, err := httpx.GetJSON(ctx, hc, "Dialogporten", SearchURL(base, orgNo), token)
	if err != nil {
		return nil, err
	}
	return ParseList(status, body)
}

// Summary is a list in one line per dialog: status, title (cleaned for display).
func Summary(l *dp.List) []string {
	out := make([]string, 0, len(l.Items))
	for _, it := range l.Items {
		title := ""
		if it.Content != nil {
			title = it.Content.Title.Text("nb")
		}
		out = append(out, termsafe.Truncate(termsafe.Line(it.Status+" · "+title+" ("+strings.TrimPrefix(it.ServiceResource, "urn:altinn:resource:")+")"), 200))
	}
	return out
}

package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/clients/dialogporten"
	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
)

// TargetDialogporten is the name step 8 and `call` accept for Dialogporten's dialog list.
const TargetDialogporten = "dialogporten"

// DialogportenURL is Dialogporten's dialog list for org on the session's Altinn platform.
func DialogportenURL(s *Session, org string) string {
	return dialogporten.SearchURL(dialogporten.Base(s.Env.AltinnPlatform), orgno.Normalize(org))
}

// IsDialogportenURL reports whether u is a Dialogporten dialog list.
func IsDialogportenURL(u string) bool { return dialogporten.IsSearchURL(u) }

// ResolveTarget turns a named target ("dialogporten") into its URL for org; anything else is
// returned as it is.
func ResolveTarget(s *Session, target, org string) string {
	if strings.EqualFold(strings.TrimSpace(target), TargetDialogporten) {
		return DialogportenURL(s, org)
	}
	return target
}

// DialogsSeen is what a Dialogporten answer says, in words.
type DialogsSeen struct {
	Dialogs []string `json:"dialogs"`
	// Hint explains an empty list or a refusal.
	Hint string `json:"hint,omitempty"`
}

// readDialogs fills res.Dialogporten from a dialog-list answer.
func readDialogs(s *Session, res *CallResult) {
	l, err := dialogporten.ParseList(res.Status, []byte(res.Body))
	seen := &DialogsSeen{Dialogs: []string{}}
	var de *dialogporten.Error
	switch {
	case errors.As(err, &de):
		seen.Hint = dialogporten.Explain(de.Status, de.Problem)
	case err != nil:
		seen.Hint = err.Error()
	case len(l.Items) == 0:
		seen.Hint = dialogporten.EmptyHint
	default:
		seen.Dialogs = dialogporten.Summary(l)
		seen.Hint = s.N("steps.dialogs.visible", len(l.Items))
		if l.HasNextPage {
			seen.Hint = s.N("steps.dialogs.visible_more", len(l.Items))
		}
	}
	res.Dialogporten = seen
}

// CheckDialogporten proves digdir:dialogporten with one real call: the dialog list of org's
// system user. A 200 passes (an empty list warns: nothing is delegated).
func CheckDialogporten(ctx context.Context, s *Session, org, externalRef string) Check {
	c := s.named("dialogporten")
	org = orgno.Normalize(org)
	if err := orgno.Validate(org); err != nil {
		c.Verdict, c.Detail = Fail, "systemuser-org: "+OrgNoText(s.Text, err)
		return c
	}
	tok, _, err := s.Token(ctx, maskinporten.TokenRequest{Scopes: []string{dialogporten.Scope}, SystemUser: &maskinporten.SystemUser{OrgNo: org, ExternalRef: externalRef}})
	var mpErr *maskinporten.Error
	switch {
	case errors.As(err, &mpErr):
		c.failMP(s, s.T("steps.dialogs.token_for", "Org", org)+": ", mpErr)
		return c
	case err != nil:
		c.Verdict, c.Detail = Fail, s.T("steps.dialogs.token_for", "Org", org)+": "+err.Error()
		return c
	}
	l, err := dialogporten.Search(ctx, s.HTTP, dialogporten.Base(s.Env.AltinnPlatform), tok.AccessToken, org)
	var de *dialogporten.Error
	switch {
	case errors.As(err, &de):
		c.Verdict, c.Code, c.Detail, c.Fix = Fail, fmt.Sprint(de.Status), fmt.Sprintf("GET dialogs for %s: HTTP %d", org, de.Status), dialogporten.Explain(de.Status, de.Problem)
	case err != nil:
		c.Verdict, c.Detail = Fail, err.Error()
	case len(l.Items) == 0:
		c.Verdict, c.Detail, c.Fix = Warn, s.T("steps.dialogs.none", "Org", org, "Status", http.StatusOK), dialogporten.EmptyHint
	default:
		c.Verdict, c.Detail = Pass, s.N("steps.dialogs.some", len(l.Items), "Org", org)
	}
	return c
}

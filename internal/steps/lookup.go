package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// OrgLookupTimeout bounds a name lookup; it is a nicety, never worth waiting for.
const OrgLookupTimeout = 3 * time.Second

// ErrOrgUnknown means Enhetsregisteret has no such organisation (TT02's synthetic ones are not
// in the real register, so this is not an error in test).
var ErrOrgUnknown = errors.New("not in Enhetsregisteret")

// OrgName looks an organisation's name up in Enhetsregisteret's open API.
func OrgName(ctx context.Context, s *Session, orgNo string) (string, error) {
	if err := orgno.Validate(orgNo); err != nil {
		return "", OrgNoError(s.Text, err)
	}
	if s.Env.Enhetsregisteret == "" {
		return "", ErrOrgUnknown
	}
	ctx, cancel := context.WithTimeout(ctx, OrgLookupTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.Env.Enhetsregisteret+"enhetsregisteret/api/enheter/"+url.PathEscape(orgNo), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return "", fmt.Errorf("look up %s: %w", orgNo, err)
	}
	body, err := httpx.ReadBody(resp)
	if err != nil {
		return "", err
	}
	if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone {
		return "", ErrOrgUnknown
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("look up %s: HTTP %d", orgNo, resp.StatusCode)
	}
	var e struct {
		Navn string `json:"navn"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Navn == "" {
		return "", ErrOrgUnknown
	}
	return termsafe.Truncate(termsafe.Line(e.Navn), 120), nil
}

// SandboxDecide approves or rejects a request in the sandbox the way the customer does: by
// posting the form on the confirmUrl page. Outside the sandbox only the customer can decide.
func SandboxDecide(ctx context.Context, s *Session, confirmURL string, approve bool) error {
	if !s.Env.IsSandbox() {
		return errors.New(s.T("steps.decide.only_customer"))
	}
	if !strings.HasPrefix(confirmURL, s.Env.AltinnApprovalUI) {
		return errors.New(s.T("steps.decide.other_host", "URL", confirmURL, "Host", s.Env.AltinnApprovalUI))
	}
	decision := "reject"
	if approve {
		decision = "approve"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, confirmURL, strings.NewReader(url.Values{"decision": {decision}}.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("%s the request: %w", decision, err)
	}
	body, _ := httpx.ReadBody(resp)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s the request: HTTP %d", decision, resp.StatusCode)
	}
	if i := strings.Index(string(body), "AUTH-000"); i >= 0 {
		end := min(len(body), i+80)
		return fmt.Errorf("%s: %s", s.T("steps.decide.refused"), termsafe.Line(strings.SplitN(string(body[i:end]), "<", 2)[0]))
	}
	return nil
}

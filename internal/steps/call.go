package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/sandboxlayout"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/domain/ske"
	"github.com/sbs-tui/sbs-tui/internal/termsafe"
)

// MaxResponseBody caps what step 8 reads of an API's answer.
const MaxResponseBody = 1 << 20

// CallParams are the inputs of step 8.
type CallParams struct {
	URL           string
	SystemUserOrg string
	ExternalRef   string
	Scopes        []string // default: the profile's skatteetaten: scopes
}

// CallResult is an API's answer with what the token cache did.
type CallResult struct {
	Status      int               `json:"status"`
	StatusText  string            `json:"status_text"`
	Headers     map[string]string `json:"headers"`
	Body        string            `json:"body"` // cleaned for display; pretty-printed when JSON
	JSON        bool              `json:"json"`
	Truncated   bool              `json:"truncated,omitempty"`
	TokenReused bool              `json:"token_reused"`
	TokenExpiry time.Time         `json:"token_expires_at"`
	Retried     bool              `json:"retried_with_fresh_token,omitempty"`
	Duration    time.Duration     `json:"duration_ns"`
	// Skatteetaten is a Skatteetaten error body ({kode, melding, korrelasjonsid}), decoded from a
	// refusal and cleaned for display.
	Skatteetaten *ske.ErrorBody `json:"skatteetaten_error,omitempty"`
	// Dialogporten is set for a Dialogporten dialog list: the dialogs, or why there are none.
	Dialogporten *DialogsSeen `json:"dialogporten,omitempty"`
}

// TokenNote says what the token cache did for the call: a new token, the cached one, or a
// retry after the cached one got 401.
func (r CallResult) TokenNote(s *Session) string {
	switch {
	case r.Retried:
		return s.T("steps.call.token_retried")
	case r.TokenReused:
		return s.T("steps.call.token_reused")
	}
	return s.T("steps.call.token_new")
}

// DefaultAPIURL is step 8's suggestion: the sample API in the sandbox, elsewhere the own host
// of the Skatteetaten API the profile's skatteetaten: scope names (Krav og betalinger if none).
func DefaultAPIURL(s *Session, sampleAPIPath string) string {
	if s.Env.IsSandbox() {
		return s.Env.Skatteetaten + sampleAPIPath
	}
	return s.Env.SkatteetatenAPI(s.Profile.Scopes)
}

// ClientAPIURL is the sample API's status resource for one of an agent system user's clients
// (…/parties/{client}/status). Only the sandbox has that resource at a known path; against a
// real environment the user edits the URL to the API they call.
func ClientAPIURL(s *Session, client string) (string, error) {
	client = orgno.Normalize(client)
	if err := orgno.Validate(client); err != nil {
		return "", fmt.Errorf("%s: %w", s.T("steps.call.client_org"), OrgNoError(s.Text, err))
	}
	if !s.Env.IsSandbox() {
		return "", errors.New(s.T("steps.call.client_org") + ": " + s.T("steps.call.no_party_resource"))
	}
	return s.Env.Skatteetaten + "api/sample/v1/parties/" + client + "/status", nil
}

// SandboxURL resolves a path (/skatteetaten/api/sample/v1/whoami) against the sandbox's base
// URL; anything else, or any URL outside the sandbox, is returned as it is.
func SandboxURL(s *Session, raw string) string {
	raw = strings.TrimSpace(raw)
	if !strings.HasPrefix(raw, "/") || !s.Env.IsSandbox() {
		return raw
	}
	root := strings.TrimSuffix(s.Env.MaskinportenIssuer, strings.TrimPrefix(sandboxlayout.Maskinporten, "/"))
	return sandboxlayout.Join(root, raw)
}

// CallAPI is step 8: GET url with a system-user token from the session's cache. A 401 makes it
// drop the cached token and try once more with a fresh one.
func CallAPI(ctx context.Context, s *Session, p CallParams) (*CallResult, error) {
	p.URL = SandboxURL(s, p.URL)
	u, err := url.Parse(p.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		rule := s.T("steps.call.url_absolute")
		if s.Env.IsSandbox() {
			rule = s.T("steps.call.url_absolute_or_path") // SandboxURL took a path
		}
		return nil, fmt.Errorf("URL %q: %s", p.URL, rule)
	}
	if u.Scheme == "http" && !s.Env.IsSandbox() {
		return nil, fmt.Errorf("URL %q: %s", p.URL, s.T("steps.call.url_https"))
	}
	org := orgno.Normalize(p.SystemUserOrg)
	if err := orgno.Validate(org); err != nil {
		return nil, fmt.Errorf("systemuser-org: %w", OrgNoError(s.Text, err))
	}
	scopes := p.Scopes
	if len(scopes) == 0 && IsDialogportenURL(p.URL) {
		scopes = []string{"digdir:dialogporten"}
	}
	if len(scopes) == 0 {
		for _, sc := range s.Profile.Scopes {
			if strings.HasPrefix(sc, "skatteetaten:") {
				scopes = append(scopes, sc)
			}
		}
	}
	if len(scopes) == 0 {
		return nil, errors.New(s.T("steps.call.no_scope"))
	}
	req := maskinporten.TokenRequest{Scopes: scopes, SystemUser: &maskinporten.SystemUser{OrgNo: org, ExternalRef: p.ExternalRef}}
	res, err := callOnce(ctx, s, p.URL, req)
	if err == nil && res.Status == http.StatusUnauthorized && res.TokenReused {
		if creds, cerr := s.Credentials(); cerr == nil {
			s.Tokens.Forget(creds, req)
		}
		res, err = callOnce(ctx, s, p.URL, req)
		if res != nil {
			res.Retried = true
		}
	}
	if err == nil && IsDialogportenURL(p.URL) {
		readDialogs(s, res)
	}
	return res, err
}

func callOnce(ctx context.Context, s *Session, target string, treq maskinporten.TokenRequest) (*CallResult, error) {
	tok, reused, err := s.Token(ctx, treq)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.T("steps.call.failed", "URL", target), err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.T("steps.call.read_failed", "URL", target), err)
	}
	r := &CallResult{Status: resp.StatusCode, StatusText: http.StatusText(resp.StatusCode), Headers: map[string]string{},
		TokenReused: reused, TokenExpiry: tok.ExpiresAt, Duration: time.Since(start)}
	if len(data) > MaxResponseBody {
		data, r.Truncated = data[:MaxResponseBody], true
	}
	for k, v := range resp.Header {
		r.Headers[termsafe.Line(k)] = termsafe.Truncate(termsafe.Line(strings.Join(v, ", ")), 300)
	}
	if resp.StatusCode >= 400 {
		if b, ok := ske.ParseBody(data); ok {
			b.Kode, b.Melding = termsafe.Truncate(termsafe.Line(b.Kode), 40), termsafe.Truncate(termsafe.Line(b.Melding), 300)
			b.Korrelasjonsid = termsafe.Truncate(termsafe.Line(b.Korrelasjonsid), 80)
			r.Skatteetaten = &b
		}
	}
	var pretty bytes.Buffer
	if strings.Contains(resp.Header.Get("Content-Type"), "json") && json.Indent(&pretty, data, "", "  ") == nil {
		r.Body, r.JSON = termsafe.Clean(pretty.String()), true
	} else {
		r.Body = termsafe.Clean(string(data))
	}
	return r, nil
}

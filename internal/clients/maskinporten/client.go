package maskinporten

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwk"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
)

// Endpoints are the URLs of one Maskinporten. Issuer is the configured issuer; the metadata's
// issuer wins when the metadata is reachable.
type Endpoints struct {
	Issuer   string
	Metadata string
	Token    string
	JWKS     string
}

// Client talks to one Maskinporten.
type Client struct {
	ep   Endpoints
	http *http.Client
	now  func() time.Time

	mu         sync.Mutex
	meta       *mp.Metadata
	metaAt     time.Time
	lastOffset *time.Duration
	jwks       jwk.Set
	jwksAt     time.Time

	retry RetryPolicy
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (timeouts, logging, test transports).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithClock sets the clock used for grants and expiry; tests inject one.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// MetadataTTL is how long metadata and JWKS are cached; Maskinporten rotates keys, so the
// documents are refetched daily rather than hard-coded.
const MetadataTTL = 24 * time.Hour

// New returns a client for the given endpoints.
func New(ep Endpoints, opts ...Option) *Client {
	c := &Client{ep: ep, http: httpx.NewClient(httpx.Options{}), now: time.Now, retry: DefaultRetry}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Endpoints returns the configured endpoints.
func (c *Client) Endpoints() Endpoints { return c.ep }

// Now is the client's clock.
func (c *Client) Now() time.Time { return c.now() }

// ForgetMetadata drops the cached metadata, so the next Metadata fetches it (and measures the
// clock offset) again: a check the user repeats must look again.
func (c *Client) ForgetMetadata() {
	c.mu.Lock()
	c.meta = nil
	c.mu.Unlock()
}

// Metadata fetches (or returns the cached) authorization server metadata.
func (c *Client) Metadata(ctx context.Context) (*mp.Metadata, error) {
	c.mu.Lock()
	if c.meta != nil && c.now().Sub(c.metaAt) < MetadataTTL {
		m := c.meta
		c.mu.Unlock()
		return m, nil
	}
	c.mu.Unlock()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.ep.Metadata, nil)
	if err != nil {
		return nil, fmt.Errorf("metadata URL %q: %w", c.ep.Metadata, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch Maskinporten metadata from %s: %w; check the network and the environment's URLs", c.ep.Metadata, err)
	}
	body, err := httpx.ReadBody(resp)
	if err != nil {
		return nil, err
	}
	c.observeDate(resp)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch Maskinporten metadata from %s: HTTP %d; check the environment's URLs", c.ep.Metadata, resp.StatusCode)
	}
	var m mp.Metadata
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("Maskinporten metadata from %s is not valid JSON: %w", c.ep.Metadata, err)
	}
	if m.Issuer == "" || m.TokenEndpoint == "" || m.JWKSURI == "" {
		return nil, fmt.Errorf("Maskinporten metadata from %s lacks issuer, token_endpoint or jwks_uri", c.ep.Metadata)
	}
	c.mu.Lock()
	c.meta, c.metaAt = &m, c.now()
	c.mu.Unlock()
	return &m, nil
}

// ClockOffset is the server's clock minus ours, measured from the Date header of the last
// response; ok is false before any response.
func (c *Client) ClockOffset() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lastOffset == nil {
		return 0, false
	}
	return *c.lastOffset, true
}

func (c *Client) observeDate(resp *http.Response) {
	d := resp.Header.Get("Date")
	if d == "" {
		return
	}
	server, err := http.ParseTime(d)
	if err != nil {
		return
	}
	// The Date header has one-second resolution; comparing with our truncated time keeps the
	// error within a second.
	off := server.Sub(c.now().Truncate(time.Second))
	c.mu.Lock()
	c.lastOffset = &off
	c.mu.Unlock()
}

// Token is an access token with what the client learnt while getting it.
type Token struct {
	AccessToken string        `json:"-"`
	TokenType   string        `json:"token_type"`
	Scope       string        `json:"scope"`
	ExpiresIn   int64         `json:"expires_in"`
	ObtainedAt  time.Time     `json:"obtained_at"`
	ExpiresAt   time.Time     `json:"expires_at"`
	ClockOffset time.Duration `json:"clock_offset_ns"`
}

// Valid reports whether the token is still usable at now with margin to spare.
func (t *Token) Valid(now time.Time, margin time.Duration) bool {
	return t != nil && now.Add(margin).Before(t.ExpiresAt)
}

// audience returns the aud for grants: the metadata's issuer when reachable, else the
// configured one.
func (c *Client) audience(ctx context.Context) (aud, tokenURL string, err error) {
	m, err := c.Metadata(ctx)
	if err != nil {
		if c.ep.Issuer == "" || c.ep.Token == "" {
			return "", "", err
		}
		return c.ep.Issuer, c.ep.Token, nil
	}
	return m.Issuer, m.TokenEndpoint, nil
}

// RequestToken builds a fresh grant and exchanges it for an access token.
func (c *Client) RequestToken(ctx context.Context, creds Credentials, req TokenRequest) (*Token, error) {
	aud, tokenURL, err := c.audience(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := BuildGrant(creds, aud, req, c.now()); err != nil {
		return nil, fmt.Errorf("build the grant: %w", err)
	}
	// A fresh grant (new jti, iat, exp) for every attempt: a resent one would be a replay.
	return c.withRetries(ctx, func() (*Token, error) {
		grant, err := BuildGrant(creds, aud, req, c.now())
		if err != nil {
			return nil, fmt.Errorf("build the grant: %w", err)
		}
		return c.ExchangeGrant(ctx, tokenURL, grant)
	})
}

// ExchangeGrant posts a signed grant to the token endpoint.
func (c *Client) ExchangeGrant(ctx context.Context, tokenURL, grant string) (*Token, error) {
	form := url.Values{"grant_type": {mp.GrantTypeJWTBearer}, "assertion": {grant}}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("token URL %q: %w", tokenURL, err)
	}
	hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hreq.Header.Set("Accept", "application/json")
	sent := c.now()
	resp, err := c.http.Do(hreq)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, fmt.Errorf("token request cancelled: %w", err)
		}
		return nil, &transportError{fmt.Errorf("reach Maskinporten's token endpoint %s: %w; check the network, or try again", tokenURL, err)}
	}
	body, err := httpx.ReadBody(resp)
	if err != nil {
		return nil, &transportError{err}
	}
	c.observeDate(resp)
	if resp.StatusCode != http.StatusOK {
		e := NewError(resp.StatusCode, body)
		e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		return nil, e
	}
	var tr mp.TokenResponse
	if err := json.Unmarshal(body, &tr); err != nil || tr.AccessToken == "" {
		return nil, fmt.Errorf("Maskinporten answered 200 without a usable token body; this is a server problem, try again later")
	}
	off, _ := c.ClockOffset()
	t := &Token{
		AccessToken: tr.AccessToken,
		TokenType:   tr.TokenType,
		Scope:       tr.Scope,
		ExpiresIn:   tr.ExpiresIn,
		ObtainedAt:  sent,
		ExpiresAt:   sent.Add(time.Duration(tr.ExpiresIn) * time.Second),
		ClockOffset: off,
	}
	return t, nil
}

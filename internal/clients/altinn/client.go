// Package altinn is a client for Altinn's system register, system-user request and system-user
// APIs, the access-package metadata API and the optional Maskinporten token exchange.
package altinn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// Scopes per endpoint, as the server's policies require them.
const (
	ScopeSystemRegisterWrite = "altinn:authentication/systemregister.write"
	ScopeRequestRead         = "altinn:authentication/systemuser.request.read"
	ScopeRequestWrite        = "altinn:authentication/systemuser.request.write"
)

// TokenSource returns a bearer token carrying scope.
type TokenSource func(ctx context.Context, scope string) (string, error)

// RetryPolicy bounds retries of idempotent calls.
type RetryPolicy struct {
	Attempts int           // total tries, at least 1
	Base     time.Duration // first backoff
	Max      time.Duration // longest single wait, Retry-After included
}

// DefaultRetry tries four times over about two seconds of backoff.
var DefaultRetry = RetryPolicy{Attempts: 4, Base: 250 * time.Millisecond, Max: 10 * time.Second}

// Client talks to one Altinn platform.
type Client struct {
	platform string
	http     *http.Client
	token    TokenSource
	retry    RetryPolicy
	sleep    func(context.Context, time.Duration) error
}

// Option configures a Client.
type Option func(*Client)

// WithRetry sets the retry policy.
func WithRetry(p RetryPolicy) Option { return func(c *Client) { c.retry = p } }

// WithSleep replaces the backoff wait (tests).
func WithSleep(f func(context.Context, time.Duration) error) Option {
	return func(c *Client) { c.sleep = f }
}

// New returns a client for the platform base (https://platform.tt02.altinn.no/).
func New(platform string, h *http.Client, token TokenSource, opts ...Option) *Client {
	if !strings.HasSuffix(platform, "/") {
		platform += "/"
	}
	c := &Client{platform: platform, http: h, token: token, retry: DefaultRetry, sleep: httpx.Sleep}
	for _, o := range opts {
		o(c)
	}
	if c.retry.Attempts < 1 {
		c.retry.Attempts = 1
	}
	return c
}

// Operation is what a call does, for messages: "read system X" (String, English) or in a
// printer's language (In).
type Operation struct{ ID, Arg string }

func op(id, arg string) Operation { return Operation{ID: id, Arg: arg} }

func (o Operation) String() string { return o.In(i18n.English()) }

// In is the operation in p's language.
func (o Operation) In(p *i18n.Printer) string { return p.T("clients.op."+o.ID, "Arg", o.Arg) }

// call is one API call.
type call struct {
	op         Operation
	method     string
	url        string // absolute, or relative to the platform
	scope      string // "" for the unauthenticated metadata API
	bearer     string // a given token instead of one for scope
	body       any
	out        any // JSON target; *string for text bodies
	idempotent bool
}

// transientError is a failure worth retrying for idempotent calls, and worth a lookup for
// creates: the request may or may not have taken effect.
type transientError struct{ err error }

func (e *transientError) Error() string { return e.err.Error() }
func (e *transientError) Unwrap() error { return e.err }

// IsTransient reports whether err left the outcome unknown (timeout, dropped connection,
// 5xx, 429).
func IsTransient(err error) bool {
	var te *transientError
	return errors.As(err, &te)
}

func (c *Client) do(ctx context.Context, k call) (int, error) {
	attempts := 1
	if k.idempotent {
		attempts = c.retry.Attempts
	}
	var lastErr error
	for i := 0; i < attempts; i++ {
		status, wait, err := c.once(ctx, k)
		if err == nil || !IsTransient(err) {
			return status, err
		}
		lastErr = err
		if i == attempts-1 {
			break
		}
		if wait == 0 {
			wait = c.backoff(i)
		}
		if err := c.sleep(ctx, min(wait, c.retry.Max)); err != nil {
			return 0, fmt.Errorf("%s: %w", k.op, err)
		}
	}
	return 0, lastErr
}

// RetryAfterOf returns the wait a throttled or unavailable server asked for, or 0.
func RetryAfterOf(err error) time.Duration {
	if e, ok := AsError(err); ok {
		return e.RetryAfter
	}
	return 0
}

func (c *Client) backoff(i int) time.Duration {
	d := c.retry.Base << i
	// Full jitter keeps many clients from retrying in step.
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// once performs one attempt; wait is a server-requested delay (Retry-After).
func (c *Client) once(ctx context.Context, k call) (status int, wait time.Duration, err error) {
	var body io.Reader
	if k.body != nil {
		b, err := json.Marshal(k.body)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: encode body: %w", k.op, err)
		}
		body = bytes.NewReader(b)
	}
	u := k.url
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		u = c.platform + u
	}
	req, err := http.NewRequestWithContext(ctx, k.method, u, body)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", k.op, err)
	}
	req.Header.Set("Accept", "application/json")
	if k.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if k.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+k.bearer)
	} else if k.scope != "" {
		tok, err := c.token(ctx, k.scope)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: get a token with scope %s: %w", k.op, k.scope, err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, 0, fmt.Errorf("%s: %w", k.op, ctx.Err())
		}
		return 0, 0, &transientError{fmt.Errorf("%s: no answer from Altinn (%v); the network or Altinn may be down, try again", k.op, cleanNetErr(err))}
	}
	data, err := httpx.ReadBody(resp)
	if err != nil {
		return resp.StatusCode, 0, &transientError{fmt.Errorf("%s: %w", k.op, err)}
	}
	if resp.StatusCode >= 300 {
		e := ParseError(k.op.String(), k.scope, resp.StatusCode, resp.Header.Get("Content-Type"), data)
		e.Operation = k.op
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
			return resp.StatusCode, e.RetryAfter, &transientError{e}
		}
		return resp.StatusCode, 0, e
	}
	switch out := k.out.(type) {
	case nil:
	case *string:
		*out = strings.TrimSpace(string(data))
		// A JSON client may get the text as a quoted JSON string.
		if strings.HasPrefix(*out, `"`) {
			var s string
			if json.Unmarshal(data, &s) == nil {
				*out = s
			}
		}
	default:
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, 0, fmt.Errorf("%s: Altinn's answer is not the expected JSON: %w", k.op, err)
		}
	}
	return resp.StatusCode, 0, nil
}

func cleanNetErr(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return errors.New("timed out")
	}
	return err
}

func retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(h); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return time.Until(t)
	}
	return 0
}

// Package httpx is the HTTP plumbing every client shares: timeouts, capped bodies, and
// debug logging that never records bodies or credentials.
package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// MaxBody caps every response body a client reads; servers are hostile input.
const MaxBody = 1 << 20

// DefaultTimeout bounds one HTTP exchange when the caller's context has no earlier deadline.
const DefaultTimeout = 20 * time.Second

// UserAgent identifies the tool to servers (and to the service desk reading their logs).
const UserAgent = "sbs-tui/0.1 (+https://github.com/sbs-tui/sbs-tui)"

// Options configure NewClient.
type Options struct {
	Timeout   time.Duration
	Logger    *slog.Logger // nil: no logging
	Transport http.RoundTripper
	// Record, when set, keeps every exchange (redacted) for the session's HTTP record.
	Record *Record
}

// NewClient returns an http.Client with a timeout, a user agent and debug logging.
func NewClient(o Options) *http.Client {
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	base := o.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	return &http.Client{
		Timeout:   o.Timeout,
		Transport: &transport{base: base, log: o.Logger, rec: o.Record},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("stopped after 5 redirects")
			}
			return nil
		},
	}
}

type transport struct {
	base http.RoundTripper
	log  *slog.Logger
	rec  *Record
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", UserAgent)
	}
	var ex *Exchange
	if t.rec != nil {
		var body []byte
		var size int64
		req, body, size = requestBody(req)
		ex = t.rec.start(req, body, size)
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	if ex != nil {
		if err != nil {
			t.rec.fail(ex, err)
		} else {
			t.rec.respond(ex, resp)
			resp.Body = &recordingBody{rc: resp.Body, rec: t.rec, ex: ex, ct: resp.Header.Get("Content-Type")}
		}
	}
	if t.log != nil {
		// URL without query: queries may carry identifiers; bodies and headers are never logged.
		u := *req.URL
		u.RawQuery = ""
		attrs := []any{"method", req.Method, "url", u.String(), "duration", time.Since(start).Round(time.Millisecond)}
		if err != nil {
			t.log.Debug("http", append(attrs, "error", err.Error())...)
		} else {
			t.log.Debug("http", append(attrs, "status", resp.StatusCode)...)
		}
	}
	return resp, err
}

// ReadBody reads at most MaxBody bytes of a response body and closes it. A larger body is an
// error: no API this tool talks to sends megabytes.
func ReadBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read response from %s: %w", resp.Request.URL.Host, err)
	}
	if len(data) > MaxBody {
		return nil, fmt.Errorf("response from %s is larger than %d bytes; refusing to read it", resp.Request.URL.Host, MaxBody)
	}
	return data, nil
}

// GetJSON sends a GET with a bearer token and returns the status and the body (at most
// MaxBody bytes). service names the API in errors ("Dialogporten", "Altinn Access
// Management"); the URL is the one asked for, so a wrong base shows in the sentence.
func GetJSON(ctx context.Context, hc *http.Client, service, u, token string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, nil, fmt.Errorf("%s URL %q: %w", service, u, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("call %s at %s: %w", service, u, err)
	}
	body, err := ReadBody(resp)
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("read %s's answer: %w", service, err)
	}
	return resp.StatusCode, body, nil
}

// DecodeOK reads a 200's JSON body as a T; any other status is refused's error. what names
// the answer, and fix what to check, in the error for a body that is not T's JSON.
func DecodeOK[T any](status int, body []byte, refused func() error, what, fix string) (*T, error) {
	if status != http.StatusOK {
		return nil, refused()
	}
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, fmt.Errorf("%s is not the expected JSON (%v): %s", what, err, fix)
	}
	return &v, nil
}

// Sleep waits d, or until ctx ends: then it returns ctx's error. Retries, polls and bulk
// runs wait with it, so a cancelled command never sits out a back-off.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

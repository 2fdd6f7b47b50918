package maskinporten

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
)

// RetryPolicy bounds how a token request is retried after a 5xx, a 429 or a dropped
// connection. Every attempt signs a fresh grant: resending one would be a jti replay (MP-012).
type RetryPolicy struct {
	// MaxAttempts counts the first attempt too; 1 disables retries.
	MaxAttempts int
	// MaxElapsed bounds the whole request, waits included (the context's deadline may cut it
	// shorter).
	MaxElapsed time.Duration
	// BaseDelay is the first backoff; it doubles per attempt, with jitter, up to MaxDelay.
	BaseDelay time.Duration
	// MaxDelay caps each wait, Retry-After included.
	MaxDelay time.Duration
}

// DefaultRetry suits an interactive tool: four attempts within 30 seconds.
var DefaultRetry = RetryPolicy{MaxAttempts: 4, MaxElapsed: 30 * time.Second, BaseDelay: 500 * time.Millisecond, MaxDelay: 8 * time.Second}

// WithRetry sets the retry policy.
func WithRetry(p RetryPolicy) Option { return func(c *Client) { c.retry = p } }

// RetryEvent tells an observer that a token request is about to be retried.
type RetryEvent struct {
	Attempt     int           // the attempt that failed (1-based)
	MaxAttempts int           // the policy's limit
	Reason      string        // "HTTP 503", "HTTP 429", "connection dropped", …
	Wait        time.Duration // until the next attempt
	Elapsed     time.Duration // since the first attempt began
}

func (e RetryEvent) String() string {
	return fmt.Sprintf("attempt %d of %d failed (%s); retrying in %s", e.Attempt, e.MaxAttempts, e.Reason, e.Wait.Round(100*time.Millisecond))
}

type observerKey struct{}

// WithRetryObserver returns a context whose token requests report retries to fn (a progress
// line in the wizard, a note on stderr). fn runs on the requesting goroutine.
func WithRetryObserver(ctx context.Context, fn func(RetryEvent)) context.Context {
	return context.WithValue(ctx, observerKey{}, fn)
}

func notifyRetry(ctx context.Context, e RetryEvent) {
	if fn, ok := ctx.Value(observerKey{}).(func(RetryEvent)); ok && fn != nil {
		fn(e)
	}
}

// transportError is a token request that got no HTTP answer (refused, reset, timed out).
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// retryDecision says whether err is worth another attempt and how long the server asked to wait.
func retryDecision(ctx context.Context, err error) (retry bool, reason string, serverWait time.Duration) {
	if ctx.Err() != nil {
		return false, "", 0
	}
	var te *transportError
	if errors.As(err, &te) {
		return true, "no answer: " + shortErr(te.err), 0
	}
	var mpErr *Error
	if errors.As(err, &mpErr) {
		switch {
		case mpErr.Status == http.StatusTooManyRequests:
			return true, "HTTP 429", mpErr.RetryAfter
		case mpErr.Status >= 500:
			return true, fmt.Sprintf("HTTP %d", mpErr.Status), mpErr.RetryAfter
		}
	}
	return false, "", 0
}

func shortErr(err error) string {
	var ue interface{ Unwrap() error }
	for errors.As(err, &ue) {
		inner := ue.Unwrap()
		if inner == nil {
			break
		}
		err = inner
	}
	s := err.Error()
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}

// backoff is the wait before attempt n+1: exponential with full jitter in its upper half.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay << (n - 1)
	if d <= 0 || d > p.MaxDelay {
		d = p.MaxDelay
	}
	return d/2 + rand.N(d/2+1)
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// withRetries runs attempt until it succeeds, fails for good, or the policy's bounds are hit.
func (c *Client) withRetries(ctx context.Context, attempt func() (*Token, error)) (*Token, error) {
	p := c.retry
	if p.MaxAttempts < 1 {
		p.MaxAttempts = 1
	}
	start := time.Now()
	for n := 1; ; n++ {
		tok, err := attempt()
		if err == nil {
			return tok, nil
		}
		retry, reason, serverWait := retryDecision(ctx, err)
		if !retry || n >= p.MaxAttempts {
			return nil, gaveUp(err, n, time.Since(start))
		}
		wait := p.backoff(n)
		if serverWait > 0 {
			wait = serverWait
		}
		if serverWait > p.MaxDelay {
			return nil, gaveUp(fmt.Errorf("%w (the server asked to wait %s before trying again)", err, serverWait.Round(time.Second)), n, time.Since(start))
		}
		elapsed := time.Since(start)
		if elapsed+wait > p.MaxElapsed {
			return nil, gaveUp(err, n, elapsed)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return nil, gaveUp(err, n, elapsed)
		}
		notifyRetry(ctx, RetryEvent{Attempt: n, MaxAttempts: p.MaxAttempts, Reason: reason, Wait: wait, Elapsed: elapsed})
		if serr := httpx.Sleep(ctx, wait); serr != nil {
			return nil, gaveUp(fmt.Errorf("%w; stopped waiting to retry: %w", err, serr), n, time.Since(start))
		}
	}
}

// gaveUp records how many attempts a failure took.
func gaveUp(err error, attempts int, elapsed time.Duration) error {
	if attempts <= 1 {
		return err
	}
	var mpErr *Error
	if errors.As(err, &mpErr) {
		mpErr.Attempts, mpErr.Elapsed = attempts, elapsed
		return err
	}
	return fmt.Errorf("%w (gave up after %d attempts in %s)", err, attempts, elapsed.Round(100*time.Millisecond))
}

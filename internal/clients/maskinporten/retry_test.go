package maskinporten_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/maskinporten"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// fastRetry keeps the tests quick while exercising the same loop.
var fastRetry = maskinporten.RetryPolicy{MaxAttempts: 4, MaxElapsed: 5 * time.Second, BaseDelay: 20 * time.Millisecond, MaxDelay: 2 * time.Second}

func (w *world) retryingClient(p maskinporten.RetryPolicy) *maskinporten.Client {
	return maskinporten.New(maskinporten.Endpoints{
		Issuer: w.env.MaskinportenIssuer, Metadata: w.env.MaskinportenMetadata,
		Token: w.env.MaskinportenToken, JWKS: w.env.MaskinportenJWKS,
	}, maskinporten.WithHTTPClient(w.srv.Client()), maskinporten.WithClock(w.clock.Now), maskinporten.WithRetry(p))
}

type events struct {
	mu   sync.Mutex
	list []maskinporten.RetryEvent
}

func (e *events) ctx(t *testing.T) context.Context {
	return maskinporten.WithRetryObserver(ctx(t), func(ev maskinporten.RetryEvent) {
		e.mu.Lock()
		e.list = append(e.list, ev)
		e.mu.Unlock()
	})
}

func (e *events) n() int { e.mu.Lock(); defer e.mu.Unlock(); return len(e.list) }

func inject(t *testing.T, w *world, f sbworld.Fault) {
	t.Helper()
	if _, err := w.sb.InjectFault(f); err != nil {
		t.Fatal(err)
	}
}

var scopeReq = maskinporten.TokenRequest{Scopes: []string{sbworld.ScopeDialogporten}}

// The token endpoint's 5xx and dropped answers come *after* the sandbox recorded the grant's
// jti, so only a freshly signed grant on each attempt can succeed (a resent one is MP-012).
func TestTokenRequestRetriesWithFreshGrants(t *testing.T) {
	t.Parallel()
	for _, kind := range []sbworld.FaultKind{sbworld.FaultError, sbworld.FaultDrop} {
		t.Run(string(kind), func(t *testing.T) {
			w := newWorld(t)
			c := w.retryingClient(fastRetry)
			inject(t, w, sbworld.Fault{Kind: kind, PathPrefix: "/maskinporten/token", After: true, Times: 2})
			var ev events
			tok, err := c.RequestToken(ev.ctx(t), w.creds, scopeReq)
			if err != nil {
				t.Fatalf("after two %s faults: %v", kind, err)
			}
			if tok.Scope != sbworld.ScopeDialogporten || ev.n() != 2 {
				t.Fatalf("scope %q, %d retry events", tok.Scope, ev.n())
			}
			if ev.list[0].Attempt != 1 || ev.list[1].Attempt != 2 || ev.list[0].MaxAttempts != 4 {
				t.Fatalf("events: %+v", ev.list)
			}
		})
	}
}

func TestTokenRequestHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.retryingClient(fastRetry)
	inject(t, w, sbworld.Fault{Kind: sbworld.FaultThrottle, PathPrefix: "/maskinporten/token", RetryAfter: 1})
	var ev events
	start := time.Now()
	if _, err := c.RequestToken(ev.ctx(t), w.creds, scopeReq); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < time.Second || ev.n() != 1 || ev.list[0].Wait != time.Second || !strings.Contains(ev.list[0].Reason, "429") {
		t.Fatalf("took %s, events %+v", took, ev.list)
	}
	// A Retry-After beyond the cap is not slept through: the request fails at once, saying so.
	inject(t, w, sbworld.Fault{Kind: sbworld.FaultThrottle, PathPrefix: "/maskinporten/token", RetryAfter: 3600})
	start = time.Now()
	_, err := c.RequestToken(ctx(t), w.creds, scopeReq)
	if err == nil || !strings.Contains(err.Error(), "asked to wait 1h0m0s") || time.Since(start) > time.Second {
		t.Fatalf("Retry-After 3600: %v after %s", err, time.Since(start))
	}
}

func TestTokenRequestGivesUpWithinBounds(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.retryingClient(fastRetry)
	inject(t, w, sbworld.Fault{Kind: sbworld.FaultError, PathPrefix: "/maskinporten/token", Times: 100})
	var ev events
	start := time.Now()
	_, err := c.RequestToken(ev.ctx(t), w.creds, scopeReq)
	var mpErr *maskinporten.Error
	if !errors.As(err, &mpErr) || mpErr.Status != 500 || mpErr.Attempts != 4 || ev.n() != 3 {
		t.Fatalf("persistent 500: %v (%d events)", err, ev.n())
	}
	if time.Since(start) > fastRetry.MaxElapsed {
		t.Fatalf("took %s, bound %s", time.Since(start), fastRetry.MaxElapsed)
	}
	msg := err.Error()
	if !strings.Contains(msg, "Tried 4 times") || strings.Contains(strings.ToLower(msg), "trace id") {
		t.Fatalf("message must report the attempts and invent no trace id: %s", msg)
	}
	// Latency beyond the per-attempt timeout: every attempt times out, the total stays bounded.
	w2 := newWorld(t)
	slow := maskinporten.New(maskinporten.Endpoints{Issuer: w2.env.MaskinportenIssuer, Metadata: w2.env.MaskinportenMetadata, Token: w2.env.MaskinportenToken, JWKS: w2.env.MaskinportenJWKS},
		maskinporten.WithHTTPClient(w2.srv.Client()), maskinporten.WithClock(w2.clock.Now),
		maskinporten.WithRetry(maskinporten.RetryPolicy{MaxAttempts: 10, MaxElapsed: 1500 * time.Millisecond, BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond}))
	if _, err := slow.Metadata(ctx(t)); err != nil {
		t.Fatal(err)
	}
	inject(t, w2, sbworld.Fault{Kind: sbworld.FaultLatency, PathPrefix: "/maskinporten/token", Delay: time.Second, Times: 10})
	c2, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err = slow.RequestToken(c2, w2.creds, scopeReq)
	if err == nil || time.Since(start) > time.Second {
		t.Fatalf("latency: %v after %s", err, time.Since(start))
	}
}

func TestTokenRequestDoesNotRetryARefusal(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.retryingClient(fastRetry)
	var ev events
	_, err := c.RequestToken(ev.ctx(t), w.creds, maskinporten.TokenRequest{Scopes: []string{"nope:nope"}})
	var mpErr *maskinporten.Error
	if !errors.As(err, &mpErr) || mpErr.Code() != "MP-200" || ev.n() != 0 || mpErr.Attempts > 1 {
		t.Fatalf("MP-200 must not be retried: %v, %d events", err, ev.n())
	}
	// The sandbox sent a trace id, so the advice may quote it.
	if mpErr.TraceID == "" || !strings.Contains(mpErr.Explain(), mpErr.TraceID) {
		t.Fatalf("trace id: %q", mpErr.TraceID)
	}
}

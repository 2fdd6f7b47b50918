package maskinporten

import (
	"context"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Cache reuses tokens for the same client, scopes and party until shortly before they
// expire, and lets concurrent callers share one in-flight request. It lives in memory only:
// tokens are never written to disk.
type Cache struct {
	client *Client
	// Margin is how long before expiry a token stops being reused.
	Margin time.Duration
	// RequestTimeout bounds the shared request, which outlives any one caller's context.
	RequestTimeout time.Duration

	mu      sync.Mutex
	entries map[string]*Token
	group   singleflight.Group
}

// NewCache returns a cache in front of client.
func NewCache(client *Client) *Cache {
	return &Cache{client: client, Margin: 10 * time.Second, RequestTimeout: 30 * time.Second, entries: map[string]*Token{}}
}

// CacheKey identifies tokens that are interchangeable.
func CacheKey(creds Credentials, req TokenRequest) string {
	parts := []string{creds.ClientID, ScopeString(req.Scopes), strings.Join(req.Resource, ","), req.ConsumerOrg}
	if su := req.SystemUser; su != nil {
		parts = append(parts, "su:"+su.OrgNo, "ref:"+su.ExternalRef)
	}
	return strings.Join(parts, "\x00")
}

// Token returns a cached token or requests one; reused says which.
func (c *Cache) Token(ctx context.Context, creds Credentials, req TokenRequest) (tok *Token, reused bool, err error) {
	key := CacheKey(creds, req)
	c.mu.Lock()
	if t := c.entries[key]; t.Valid(c.client.Now(), c.Margin) {
		c.mu.Unlock()
		return t, true, nil
	}
	c.mu.Unlock()

	ch := c.group.DoChan(key, func() (any, error) {
		// Detached from the first caller: a caller that gives up must not fail the others.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.RequestTimeout)
		defer cancel()
		t, err := c.client.RequestToken(rctx, creds, req)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.entries[key] = t
		c.mu.Unlock()
		return t, nil
	})
	select {
	case <-ctx.Done():
		return nil, false, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			return nil, false, r.Err
		}
		return r.Val.(*Token), false, nil
	}
}

// Forget drops a cached token, e.g. after an API answered 401 to it.
func (c *Cache) Forget(creds Credentials, req TokenRequest) {
	c.mu.Lock()
	delete(c.entries, CacheKey(creds, req))
	c.mu.Unlock()
}

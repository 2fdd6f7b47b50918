package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose"
)

func issuerOf(r *http.Request) string { return baseURL(r) + "/maskinporten/" }

func writeJSON(w http.ResponseWriter, now time.Time, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	// Date from the sandbox's clock, so clients can measure offsets against an injected one.
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

const altinnPrefix = "/altinn/"

func altinnIssuerOf(r *http.Request) string {
	return baseURL(r) + altinnPrefix + "authentication/api/v1/openid/"
}

func writeText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}

func writeEmpty(w http.ResponseWriter, status int) { w.WriteHeader(status) }

// altinnJSON writes a success body the way ASP.NET does (camelCase, nulls omitted by the types).
func altinnJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

type baseKey struct{}

// baseURL is the data directory's recorded base URL; without one (a sandbox served on an
// ad-hoc listener, as in tests) the scheme and host the client used. Every emulated host's
// URLs derive from it.
func baseURL(r *http.Request) string {
	if b, ok := r.Context().Value(baseKey{}).(string); ok {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// traceID is a fresh W3C traceparent, as the Altinn platform puts in its problem bodies.
func traceID() string {
	return "00-" + jose.RandomHex(16) + "-" + jose.RandomHex(8) + "-01"
}

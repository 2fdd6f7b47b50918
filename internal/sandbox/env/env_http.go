package env

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose"
)

func IssuerOf(r *http.Request) string { return BaseURL(r) + "/maskinporten/" }

func WriteJSON(w http.ResponseWriter, now time.Time, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	// Date from the sandbox's clock, so clients can measure offsets against an injected one.
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

const AltinnPrefix = "/altinn/"

func AltinnIssuerOf(r *http.Request) string {
	return BaseURL(r) + AltinnPrefix + "authentication/api/v1/openid/"
}

func WriteText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}

func WriteEmpty(w http.ResponseWriter, status int) { w.WriteHeader(status) }

// AltinnJSON writes a success body the way ASP.NET does (camelCase, nulls omitted by the types).
func AltinnJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

type BaseKey struct{}

// BaseURL is the data directory's recorded base URL; without one (a sandbox served on an
// ad-hoc listener, as in tests) the scheme and host the client used. Every emulated host's
// URLs derive from it.
func BaseURL(r *http.Request) string {
	if b, ok := r.Context().Value(BaseKey{}).(string); ok {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// TraceID is a fresh W3C traceparent, as the Altinn platform puts in its problem bodies.
func TraceID() string {
	return "00-" + jose.RandomHex(16) + "-" + jose.RandomHex(8) + "-01"
}

package sandbox

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault injection: make chosen requests slow, fail, throttle or drop, before or after the
// handler ran, to test clients' retries and create recovery. Tests use InjectFault; scripts
// against `sandbox serve` POST a Fault as JSON to /_sandbox/faults.

// FaultKind is what happens to a matching request.
type FaultKind string

// Fault kinds.
const (
	FaultLatency  FaultKind = "latency"  // wait Delay, then serve normally
	FaultError    FaultKind = "error"    // answer 500
	FaultThrottle FaultKind = "throttle" // answer 429 with Retry-After
	FaultDrop     FaultKind = "drop"     // close the connection without an answer
)

// Fault is one rule; it applies to the next Times matching requests (1 if zero).
type Fault struct {
	Kind       FaultKind `json:"kind"`
	Method     string    `json:"method,omitempty"`
	PathPrefix string    `json:"path_prefix,omitempty"`
	// After runs the handler first, so the action takes effect and only the answer is lost.
	After      bool          `json:"after,omitempty"`
	Delay      time.Duration `json:"delay,omitempty"`
	RetryAfter int           `json:"retry_after,omitempty"`
	Times      int           `json:"times,omitempty"`
}

type faultSet struct {
	mu    sync.Mutex
	rules []*Fault
}

// InjectFault adds a rule.
func (s *Sandbox) InjectFault(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.faults.mu.Lock()
	s.faults.rules = append(s.faults.rules, &f)
	s.faults.mu.Unlock()
}

// ClearFaults removes every rule.
func (s *Sandbox) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.rules = nil
	s.faults.mu.Unlock()
}

func (fs *faultSet) take(r *http.Request) *Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.rules {
		if (f.Method == "" || strings.EqualFold(f.Method, r.Method)) && strings.HasPrefix(r.URL.Path, f.PathPrefix) {
			f.Times--
			if f.Times <= 0 {
				fs.rules = append(fs.rules[:i], fs.rules[i+1:]...)
			}
			cp := *f
			return &cp
		}
	}
	return nil
}

func (s *Sandbox) injectFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_sandbox/") {
			next.ServeHTTP(w, r)
			return
		}
		f := s.faults.take(r)
		if f == nil {
			next.ServeHTTP(w, r)
			return
		}
		if f.Kind == FaultLatency {
			select {
			case <-time.After(f.Delay):
			case <-r.Context().Done():
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if f.After {
			next.ServeHTTP(discardWriter{h: http.Header{}}, r) // the effect happens; the answer is lost
		}
		switch f.Kind {
		case FaultThrottle:
			w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
			writeText(w, http.StatusTooManyRequests, "Too Many Requests")
		case FaultDrop:
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler) // closes the connection under HTTP/2 or a recorder
		default:
			writeText(w, http.StatusInternalServerError, "Internal Server Error")
		}
	})
}

func (s *Sandbox) mountFaultControl(mux *http.ServeMux) {
	mux.HandleFunc("POST /_sandbox/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&f); err != nil {
			writeText(w, http.StatusBadRequest, "send a fault as JSON: "+err.Error())
			return
		}
		s.InjectFault(f)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("DELETE /_sandbox/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
}

// discardWriter is a ResponseWriter that drops the answer (httptest's recorder is not linked
// into the binary for this).
type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header         { return d.h }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}

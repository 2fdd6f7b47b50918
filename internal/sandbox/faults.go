package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Fault injection: make chosen requests slow, fail, throttle or drop, before or after the
// handler ran, to test clients' retries and create recovery. The rules live in the sandbox
// State, so a rule added by one process (`sbs-tui sandbox faults add`, a test's InjectFault,
// or a JSON POST to /_sandbox/faults) reaches a sandbox served by another on the same data dir.

// FaultKind is what happens to a matching request.
type FaultKind string

// Fault kinds.
const (
	FaultLatency  FaultKind = "latency"  // wait Delay, then serve normally
	FaultError    FaultKind = "error"    // answer 500
	FaultThrottle FaultKind = "throttle" // answer 429 with Retry-After
	FaultDrop     FaultKind = "drop"     // close the connection without an answer
)

// FaultKinds lists the valid kinds.
var FaultKinds = []FaultKind{FaultLatency, FaultError, FaultThrottle, FaultDrop}

// Limits on fault rules: every request scans them, so their number is capped.
const (
	MaxFaultRules   = 100
	MaxFaultDelay   = time.Minute
	MaxFaultTimes   = 10000
	MaxRetryAfter   = 3600
	maxFaultPathLen = 256
)

// Fault is one rule; it applies to the next Times matching requests (1 if zero). In JSON,
// delay is a Go duration string ("2s", "1500ms").
type Fault struct {
	// ID and Seq are assigned when the rule is added; rules apply in Seq order.
	ID         string    `json:"id,omitempty"`
	Seq        int64     `json:"seq,omitempty"`
	Kind       FaultKind `json:"kind"`
	Method     string    `json:"method,omitempty"`
	PathPrefix string    `json:"path_prefix,omitempty"`
	// After runs the handler first, so the action takes effect and only the answer is lost.
	After      bool          `json:"after,omitempty"`
	Delay      time.Duration `json:"-"`
	RetryAfter int           `json:"retry_after,omitempty"`
	Times      int           `json:"times,omitempty"`
}

type faultJSON Fault

// MarshalJSON writes delay as a duration string.
func (f Fault) MarshalJSON() ([]byte, error) {
	type out struct {
		faultJSON
		Delay string `json:"delay,omitempty"`
	}
	o := out{faultJSON: faultJSON(f)}
	if f.Delay > 0 {
		o.Delay = f.Delay.String()
	}
	return json.Marshal(o)
}

// UnmarshalJSON reads delay as a duration string ("2s"); unknown fields are refused.
func (f *Fault) UnmarshalJSON(b []byte) error {
	type in struct {
		faultJSON
		Delay *string `json:"delay"`
	}
	var v in
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	*f = Fault(v.faultJSON)
	if v.Delay != nil {
		d, err := time.ParseDuration(*v.Delay)
		if err != nil {
			return fmt.Errorf("delay %q: use a duration such as \"2s\" or \"1500ms\"", *v.Delay)
		}
		f.Delay = d
	}
	return nil
}

var faultMethods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "OPTIONS": true}

// Validate checks a rule's fields against its kind and the limits.
func (f *Fault) Validate() error {
	switch f.Kind {
	case FaultLatency, FaultError, FaultThrottle, FaultDrop:
	case "":
		return errors.New("kind is required: latency, error, throttle or drop")
	default:
		return fmt.Errorf("kind %q is unknown: use latency, error, throttle or drop", f.Kind)
	}
	if f.Method != "" && !faultMethods[strings.ToUpper(f.Method)] {
		return fmt.Errorf("method %q is not an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)", f.Method)
	}
	if f.PathPrefix != "" {
		if !strings.HasPrefix(f.PathPrefix, "/") || len(f.PathPrefix) > maxFaultPathLen || !utf8.ValidString(f.PathPrefix) ||
			strings.IndexFunc(f.PathPrefix, unicode.IsControl) >= 0 {
			return fmt.Errorf("path_prefix must start with / and be at most %d printable characters", maxFaultPathLen)
		}
		if strings.HasPrefix(f.PathPrefix, "/_sandbox/") {
			return errors.New("path_prefix may not target the sandbox's own control endpoints")
		}
	}
	if f.Delay < 0 || f.Delay > MaxFaultDelay {
		return fmt.Errorf("delay must be between 0 and %s", MaxFaultDelay)
	}
	if f.Kind == FaultLatency && f.Delay == 0 {
		return errors.New(`a latency fault needs a delay, e.g. "2s"`)
	}
	if f.Kind != FaultLatency && f.Delay != 0 {
		return fmt.Errorf("delay applies only to latency faults, not %s", f.Kind)
	}
	if f.Kind == FaultLatency && f.After {
		return errors.New("after does not apply to latency faults")
	}
	if f.RetryAfter < 0 || f.RetryAfter > MaxRetryAfter {
		return fmt.Errorf("retry_after must be between 0 and %d seconds", MaxRetryAfter)
	}
	if f.RetryAfter != 0 && f.Kind != FaultThrottle {
		return fmt.Errorf("retry_after applies only to throttle faults, not %s", f.Kind)
	}
	if f.Times < 0 || f.Times > MaxFaultTimes {
		return fmt.Errorf("times must be between 0 (once) and %d", MaxFaultTimes)
	}
	return nil
}

// ErrTooManyFaults is returned when the rule cap is reached.
var ErrTooManyFaults = fmt.Errorf("the sandbox holds at most %d fault rules; clear some first", MaxFaultRules)

// inject validates and adds a rule, returning it with its id.
func (s faultsHost) inject(f Fault) (Fault, error) {
	if err := f.Validate(); err != nil {
		return Fault{}, err
	}
	if f.Times == 0 {
		f.Times = 1
	}
	f.Method = strings.ToUpper(f.Method)
	err := s.sb.store.update(func(st *State) error {
		if st.Faults == nil {
			st.Faults = map[string]*Fault{}
		}
		if len(st.Faults) >= MaxFaultRules {
			return ErrTooManyFaults
		}
		f.Seq = st.nextSeq()
		f.ID = "fault-" + strconv.FormatInt(f.Seq, 10)
		cp := f
		st.Faults[f.ID] = &cp
		return nil
	})
	return f, err
}

// list lists the rules in the order they apply.
func (s faultsHost) list() ([]Fault, error) {
	var out []Fault
	err := s.sb.store.view(func(st *State) error {
		out = sortedFaults(st)
		return nil
	})
	return out, err
}

// clear removes every rule and says how many there were.
func (s faultsHost) clear() (int, error) {
	n := 0
	err := s.sb.store.update(func(st *State) error {
		n = len(st.Faults)
		st.Faults = map[string]*Fault{}
		return nil
	})
	return n, err
}

func sortedFaults(st *State) []Fault {
	out := make([]Fault, 0, len(st.Faults))
	for _, f := range st.Faults {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

func (f *Fault) matches(r *http.Request) bool {
	return (f.Method == "" || strings.EqualFold(f.Method, r.Method)) && strings.HasPrefix(r.URL.Path, f.PathPrefix)
}

// takeFault finds the first rule matching r and uses up one of its times.
func (s faultsHost) takeFault(r *http.Request) *Fault {
	hit := false
	_ = s.sb.store.view(func(st *State) error {
		for _, f := range st.Faults {
			hit = hit || f.matches(r)
		}
		return nil
	})
	if !hit {
		return nil
	}
	var taken *Fault
	_ = s.sb.store.update(func(st *State) error {
		for _, f := range sortedFaults(st) {
			if !f.matches(r) {
				continue
			}
			stored := st.Faults[f.ID]
			stored.Times--
			if stored.Times <= 0 {
				delete(st.Faults, f.ID)
			}
			taken = &f
			return nil
		}
		return errNoFault // nothing to save
	})
	return taken
}

var errNoFault = errors.New("no matching fault")

func (s faultsHost) injectFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_sandbox/") {
			next.ServeHTTP(w, r)
			return
		}
		f := s.takeFault(r)
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

// faultControlCSRF refuses cross-origin browser requests to the control endpoints.
var faultControlCSRF = http.NewCrossOriginProtection()

func (s faultsHost) mountFaultControl(mux *http.ServeMux) {
	mux.HandleFunc("GET /_sandbox/faults", func(w http.ResponseWriter, r *http.Request) {
		rules, err := s.list()
		if err != nil {
			s.sb.internalError(w, err)
			return
		}
		writeJSON(w, s.sb.opts.Now(), http.StatusOK, map[string]any{"faults": rules})
	})
	mux.HandleFunc("POST /_sandbox/faults", func(w http.ResponseWriter, r *http.Request) {
		if err := faultControlCSRF.Check(r); err != nil {
			writeText(w, http.StatusForbidden, "cross-origin requests may not change fault rules")
			return
		}
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			writeText(w, http.StatusUnsupportedMediaType, "send a fault as application/json")
			return
		}
		var f Fault
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096))
		if err := dec.Decode(&f); err != nil {
			writeText(w, http.StatusBadRequest, "send one fault as a JSON object: "+err.Error())
			return
		}
		if dec.More() {
			writeText(w, http.StatusBadRequest, "send one fault as a JSON object, nothing after it")
			return
		}
		f.ID, f.Seq = "", 0
		if err := f.Validate(); err != nil {
			writeText(w, http.StatusBadRequest, err.Error())
			return
		}
		added, err := s.inject(f)
		switch {
		case errors.Is(err, ErrTooManyFaults):
			writeText(w, http.StatusConflict, err.Error())
		case err != nil:
			s.sb.internalError(w, err)
		default:
			writeJSON(w, s.sb.opts.Now(), http.StatusCreated, added)
		}
	})
	mux.HandleFunc("DELETE /_sandbox/faults", func(w http.ResponseWriter, r *http.Request) {
		if err := faultControlCSRF.Check(r); err != nil {
			writeText(w, http.StatusForbidden, "cross-origin requests may not change fault rules")
			return
		}
		if _, err := s.clear(); err != nil {
			s.sb.internalError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// discardWriter is a ResponseWriter that drops the answer (httptest's recorder is not linked
// into the binary for this).
type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header         { return d.h }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}

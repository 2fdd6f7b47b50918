package world

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

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

func SortedFaults(st *State) []Fault {
	out := make([]Fault, 0, len(st.Faults))
	for _, f := range st.Faults {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

func (f *Fault) Matches(r *http.Request) bool {
	return (f.Method == "" || strings.EqualFold(f.Method, r.Method)) && strings.HasPrefix(r.URL.Path, f.PathPrefix)
}

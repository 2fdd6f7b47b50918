package faults

import (
	"encoding/json"
	"errors"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault injection: make chosen requests slow, fail, throttle or drop, before or after the
// handler ran, to test clients' retries and create recovery. The rules live in the sandbox
// State, so a rule added by one process (`sbs-tui sandbox faults add`, a test's InjectFault,
// or a JSON POST to /_sandbox/faults) reaches a sandbox served by another on the same data dir.

// Inject validates and adds a rule, returning it with its id.
func (s Host) Inject(f world.Fault) (world.Fault, error) {
	if err := f.Validate(); err != nil {
		return world.Fault{}, err
	}
	if f.Times == 0 {
		f.Times = 1
	}
	f.Method = strings.ToUpper(f.Method)
	err := s.Env.Store.Update(func(st *world.State) error {
		if st.Faults == nil {
			st.Faults = map[string]*world.Fault{}
		}
		if len(st.Faults) >= world.MaxFaultRules {
			return world.ErrTooManyFaults
		}
		f.Seq = st.NextSeq()
		f.ID = "fault-" + strconv.FormatInt(f.Seq, 10)
		cp := f
		st.Faults[f.ID] = &cp
		st.Touch(&st.Faults, f.ID)
		return nil
	})
	return f, err
}

// List lists the rules in the order they apply.
func (s Host) List() ([]world.Fault, error) {
	var out []world.Fault
	err := s.Env.Store.View(func(st *world.State) error {
		out = world.SortedFaults(st)
		return nil
	})
	return out, err
}

// Clear removes every rule and says how many there were.
func (s Host) Clear() (int, error) {
	n := 0
	err := s.Env.Store.Update(func(st *world.State) error {
		n = len(st.Faults)
		st.Faults = map[string]*world.Fault{}
		st.Touch(&st.Faults)
		return nil
	})
	return n, err
}

// takeFault finds the first rule matching r and uses up one of its times.
func (s Host) takeFault(r *http.Request) *world.Fault {
	hit := false
	_ = s.Env.Store.View(func(st *world.State) error {
		for _, f := range st.Faults {
			hit = hit || f.Matches(r)
		}
		return nil
	})
	if !hit {
		return nil
	}
	var taken *world.Fault
	_ = s.Env.Store.Update(func(st *world.State) error {
		for _, f := range world.SortedFaults(st) {
			if !f.Matches(r) {
				continue
			}
			stored := st.Faults[f.ID]
			stored.Times--
			if stored.Times <= 0 {
				delete(st.Faults, f.ID)
			}
			st.Touch(&st.Faults, f.ID)
			taken = &f
			return nil
		}
		return errNoFault // nothing to save
	})
	return taken
}

var errNoFault = errors.New("no matching fault")

func (s Host) InjectFaults(next http.Handler) http.Handler {
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
		if f.Kind == world.FaultLatency {
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
		case world.FaultThrottle:
			w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
			env.WriteText(w, http.StatusTooManyRequests, "Too Many Requests")
		case world.FaultDrop:
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler) // closes the connection under HTTP/2 or a recorder
		default:
			env.WriteText(w, http.StatusInternalServerError, "Internal Server Error")
		}
	})
}

// faultControlCSRF refuses cross-origin browser requests to the control endpoints.
var faultControlCSRF = http.NewCrossOriginProtection()

func (s Host) MountFaultControl(mux *http.ServeMux) {
	mux.HandleFunc("GET /_sandbox/faults", func(w http.ResponseWriter, r *http.Request) {
		rules, err := s.List()
		if err != nil {
			s.Env.InternalError(w, err)
			return
		}
		env.WriteJSON(w, s.Env.Opts.Now(), http.StatusOK, map[string]any{"faults": rules})
	})
	mux.HandleFunc("POST /_sandbox/faults", func(w http.ResponseWriter, r *http.Request) {
		if err := faultControlCSRF.Check(r); err != nil {
			env.WriteText(w, http.StatusForbidden, "cross-origin requests may not change fault rules")
			return
		}
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			env.WriteText(w, http.StatusUnsupportedMediaType, "send a fault as application/json")
			return
		}
		var f world.Fault
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096))
		if err := dec.Decode(&f); err != nil {
			env.WriteText(w, http.StatusBadRequest, "send one fault as a JSON object: "+err.Error())
			return
		}
		if dec.More() {
			env.WriteText(w, http.StatusBadRequest, "send one fault as a JSON object, nothing after it")
			return
		}
		f.ID, f.Seq = "", 0
		if err := f.Validate(); err != nil {
			env.WriteText(w, http.StatusBadRequest, err.Error())
			return
		}
		added, err := s.Inject(f)
		switch {
		case errors.Is(err, world.ErrTooManyFaults):
			env.WriteText(w, http.StatusConflict, err.Error())
		case err != nil:
			s.Env.InternalError(w, err)
		default:
			env.WriteJSON(w, s.Env.Opts.Now(), http.StatusCreated, added)
		}
	})
	mux.HandleFunc("DELETE /_sandbox/faults", func(w http.ResponseWriter, r *http.Request) {
		if err := faultControlCSRF.Check(r); err != nil {
			env.WriteText(w, http.StatusForbidden, "cross-origin requests may not change fault rules")
			return
		}
		if _, err := s.Clear(); err != nil {
			s.Env.InternalError(w, err)
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

// Host is the fault middleware and its control API.
type Host struct{ Env *env.Env }

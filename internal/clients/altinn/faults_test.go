package altinn_test

import (
	"net/http"
	"testing"
	"time"

	altinnclient "github.com/sbs-tui/sbs-tui/internal/clients/altinn"
	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

const registerPrefix = "/altinn/authentication/api/v1/systemregister/vendor"
const requestPrefix = "/altinn/authentication/api/v1/systemuser/request/vendor"

func (w *world) countSystems(t *testing.T) int {
	n := 0
	_ = w.sb.View(func(st *sbworld.State) error { n = len(st.Systems); return nil })
	return n
}

func (w *world) countRequests(t *testing.T) int {
	n := 0
	_ = w.sb.View(func(st *sbworld.State) error { n = len(st.Requests); return nil })
	return n
}

func TestIdempotentCallsRecover(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fault sbworld.Fault
		wait  time.Duration // a wait the client must have honoured
	}{
		{"two 500s", sbworld.Fault{Kind: sbworld.FaultError, Method: "GET", PathPrefix: registerPrefix, Times: 2}, 0},
		{"429 with Retry-After", sbworld.Fault{Kind: sbworld.FaultThrottle, Method: "GET", PathPrefix: registerPrefix, RetryAfter: 3}, 3 * time.Second},
		// Three drops: Go's transport itself resends an idempotent request once on a reused connection.
		{"dropped connections", sbworld.Fault{Kind: sbworld.FaultDrop, Method: "GET", PathPrefix: registerPrefix, Times: 3}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			d := w.register(t)
			w.sb.InjectFault(c.fault)
			sys, err := w.client.GetSystem(ctx(t), d.ID)
			if err != nil || sys.ID != d.ID {
				t.Fatalf("GetSystem: %v", err)
			}
			if len(*w.waits) == 0 {
				t.Fatal("no retry happened")
			}
			if c.wait != 0 && (*w.waits)[0] != c.wait {
				t.Fatalf("waited %v, want Retry-After %v", (*w.waits)[0], c.wait)
			}
		})
	}
}

func TestLatencyPastTheTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := w.register(t)
	h := *w.srv.Client()
	h.Timeout = 300 * time.Millisecond
	w.sb.InjectFault(sbworld.Fault{Kind: sbworld.FaultLatency, Method: "GET", PathPrefix: registerPrefix, Delay: time.Second})
	slow := altinnclient.New(config.Sandbox(w.srv.URL).AltinnPlatform, &h, w.tokens.get, altinnclient.WithRetry(altinnclient.RetryPolicy{Attempts: 3, Base: time.Millisecond, Max: time.Millisecond}))
	if _, err := slow.GetSystem(ctx(t), d.ID); err != nil {
		t.Fatalf("after a slow first answer: %v", err)
	}
}

func TestCreatesAreNeverDuplicated(t *testing.T) {
	t.Parallel()
	for _, kind := range []sbworld.FaultKind{sbworld.FaultError, sbworld.FaultDrop} {
		t.Run("system, answer lost: "+string(kind), func(t *testing.T) {
			w := newWorld(t)
			w.sb.InjectFault(sbworld.Fault{Kind: kind, Method: "POST", PathPrefix: registerPrefix, After: true})
			_, recovered, err := w.client.CreateSystem(ctx(t), w.demoSystem())
			if err != nil || !recovered {
				t.Fatalf("recovered=%v err=%v", recovered, err)
			}
			if n := w.countSystems(t); n != 1 {
				t.Fatalf("%d systems", n)
			}
		})
		t.Run("request, answer lost: "+string(kind), func(t *testing.T) {
			w := newWorld(t)
			d := w.register(t)
			w.sb.InjectFault(sbworld.Fault{Kind: kind, Method: "POST", PathPrefix: requestPrefix, After: true})
			r, created, err := w.client.CreateRequest(ctx(t), altinn.CreateRequest{SystemID: d.ID, PartyOrgNo: "313367002",
				AccessPackages: []altinn.PackageRef{{URN: "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet"}}}, true)
			if err != nil || !created || r.Status != altinn.StatusNew {
				t.Fatalf("r=%+v created=%v err=%v", r, created, err)
			}
			if n := w.countRequests(t); n != 1 {
				t.Fatalf("%d requests", n)
			}
		})
	}
	t.Run("system, refused before processing", func(t *testing.T) {
		w := newWorld(t)
		w.sb.InjectFault(sbworld.Fault{Kind: sbworld.FaultError, Method: "POST", PathPrefix: registerPrefix})
		_, recovered, err := w.client.CreateSystem(ctx(t), w.demoSystem())
		if err != nil || recovered {
			t.Fatalf("recovered=%v err=%v (the lookup finds nothing, so the create is sent again)", recovered, err)
		}
		if n := w.countSystems(t); n != 1 {
			t.Fatalf("%d systems", n)
		}
	})
	t.Run("request, down for good", func(t *testing.T) {
		w := newWorld(t)
		d := w.register(t)
		w.sb.InjectFault(sbworld.Fault{Kind: sbworld.FaultError, Method: "POST", PathPrefix: requestPrefix, Times: 100})
		_, _, err := w.client.CreateRequest(ctx(t), altinn.CreateRequest{SystemID: d.ID, PartyOrgNo: "313367002",
			AccessPackages: []altinn.PackageRef{{URN: "urn:altinn:accesspackage:skattegrunnlag"}}}, false)
		e, ok := altinnclient.AsError(err)
		if !ok || e.Status != http.StatusInternalServerError || !altinnclient.IsTransient(err) {
			t.Fatalf("err = %v", err)
		}
		if n := w.countRequests(t); n != 0 {
			t.Fatalf("%d requests", n)
		}
	})
}

// Package sandbox is a local emulator of Maskinporten, Digdir's self-service API, the Altinn
// system register and system-user APIs with the customer's approval page, and a sample
// Skatteetaten API. It answers with the real status codes, bodies and error codes, so that
// the same clients work against it and against the real hosts. It imports only shared domain
// code, never the clients.
package sandbox

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/accesspackages"
	"github.com/sbs-tui/sbs-tui/internal/domain/orgno"
	"github.com/sbs-tui/sbs-tui/internal/domain/sandboxlayout"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/dialogs"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Options configure a sandbox (see env.Options).
type Options = env.Options

// Sandbox is an opened sandbox world.
type Sandbox struct {
	*env.Env
	hosts hosts

	// addr is the data directory's recorded address once the sandbox is attached or served
	// through it: every URL derives from it instead of the request's Host. role is what
	// /healthz says this process is. Both are set before the handler serves.
	addr *address
	role string
}

// Open opens (and on first use seeds) the sandbox in opts.DataDir.
func Open(opts Options) (*Sandbox, error) {
	if opts.DataDir == "" {
		return nil, errors.New("sandbox: a data directory is required")
	}
	if opts.VendorOrg == "" {
		opts.VendorOrg = world.DefaultVendorOrg
	}
	if err := orgno.Validate(opts.VendorOrg); err != nil {
		return nil, fmt.Errorf("sandbox vendor: %w", err)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler) // formats nothing
	}
	st, err := world.OpenStore(opts.DataDir)
	if err != nil {
		return nil, err
	}
	e := &env.Env{Opts: opts, Store: st, Keys: map[string]*rsa.PrivateKey{}, Catalog: accesspackages.Embedded()}
	s := &Sandbox{Env: e, hosts: newHosts(e)}
	seeded, version := false, 0
	err = st.View(func(state *world.State) error {
		seeded, version = state.Bootstrap != nil, state.Version
		return nil
	})
	if err == nil && seeded && version < world.StateVersion {
		err = st.UpdateAll(world.Upgrade)
	}
	if err == nil && !seeded {
		err = st.UpdateAll(func(state *world.State) error {
			if state.Bootstrap != nil {
				return nil // another process seeded it meanwhile
			}
			return world.Seed(state, opts.DataDir, opts.VendorOrg, opts.Now(), opts.SeedKeys)
		})
	}
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("sandbox: seed %s: %w", opts.DataDir, err)
	}
	return s, nil
}

// Close releases the database. Handlers must no longer be serving.
func (s *Sandbox) Close() error { return s.Store.Close() }

// Bootstrap returns what the first start created: the vendor, its clients and key files.
func (s *Sandbox) Bootstrap() (world.Bootstrap, error) {
	var b world.Bootstrap
	err := s.Store.View(func(st *world.State) error {
		if st.Bootstrap == nil {
			return errors.New("sandbox has not been seeded")
		}
		b = *st.Bootstrap
		return nil
	})
	return b, err
}

// Update lets tests and admin commands change the world directly (revoke access to a scope,
// age a key). fn runs in one write transaction; only the rows it changed are written.
func (s *Sandbox) Update(fn func(*world.State) error) error { return s.Store.UpdateAll(fn) }

// View runs fn on the current state under a shared lock; fn must not change it.
func (s *Sandbox) View(fn func(*world.State) error) error { return s.Store.View(fn) }

// RotateSigningKey adds a new token signing key; the previous one stays in the JWKS.
func (s *Sandbox) RotateSigningKey() (kid string, err error) {
	err = s.Store.Update(func(st *world.State) error {
		if err := world.RotateSigningKey(st, s.Opts.Now()); err != nil {
			return err
		}
		kid = st.SigningKeys[len(st.SigningKeys)-1].Kid
		return nil
	})
	return kid, err
}

// Handler serves every emulated host under its path prefix.
func (s *Sandbox) Handler() http.Handler {
	mux := http.NewServeMux()
	h := s.hosts
	h.maskinporten.MountMaskinporten(mux, sandboxlayout.Maskinporten)
	h.selfService.mountSelfService(mux, sandboxlayout.SelfService)
	h.register.MountRegister(mux)
	h.requests.MountRequests(mux)
	h.changeRequests.MountChangeRequests(mux)
	h.clients.MountClientDelegation(mux)
	h.systemUsers.MountSystemUsers(mux)
	h.altinnTokens.MountExchange(mux)
	h.altinnTokens.MountAltinnOpenID(mux)
	h.register.MountAccessPackages(mux)
	h.approval.MountApproval(mux, sandboxlayout.AltinnApprovalUI)
	h.approval.MountChangeRequestApproval(mux, sandboxlayout.AltinnApprovalUI)
	h.skatteetaten.mountSkatteetaten(mux, sandboxlayout.Skatteetaten)
	h.dialogporten.MountDialogporten(mux, sandboxlayout.AltinnPlatform+dialogs.Prefix)
	h.accessMgmt.mountAccessManagement(mux)
	h.faults.MountFaultControl(mux)
	mux.HandleFunc("GET "+sandboxlayout.Brreg+"enhetsregisteret/api/enheter/{orgNo}", h.brreg.brregEntity)
	mux.HandleFunc("GET "+sandboxlayout.Health, func(w http.ResponseWriter, r *http.Request) {
		h := Health{Status: "ok", PID: os.Getpid(), Role: s.role}
		if s.addr != nil {
			h.ID = s.addr.ID
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(h)
	})
	return s.logRequests(s.withBase(h.faults.InjectFaults(mux)))
}

// withBase makes every URL the handler writes derive from the recorded base URL, when there
// is one, so that all processes on a data directory agree whatever Host a client used.
func (s *Sandbox) withBase(next http.Handler) http.Handler {
	if s.addr == nil {
		return next
	}
	base := s.addr.BaseURL
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), env.BaseKey{}, base)))
	})
}

func (s *Sandbox) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		start := time.Now()
		next.ServeHTTP(rec, r)
		s.Opts.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start).Round(time.Microsecond))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Running is a sandbox serving on a listener.
type Running struct {
	URL string
	srv *http.Server
	ln  net.Listener
	err chan error
}

// Listen starts serving on addr (e.g. "127.0.0.1:0") in the background.
func (s *Sandbox) Listen(addr string) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	host := ln.Addr().String()
	if strings.HasPrefix(host, "[::]") || strings.HasPrefix(host, "0.0.0.0") {
		_, port, _ := net.SplitHostPort(host)
		host = net.JoinHostPort("127.0.0.1", port)
	}
	return s.serveOn(ln, "http://"+host), nil
}

// serveOn serves the sandbox on ln in the background; url is what Running.URL reports.
func (s *Sandbox) serveOn(ln net.Listener, url string) *Running {
	r := &Running{
		URL: url,
		srv: &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute},
		ln:  ln,
		err: make(chan error, 1),
	}
	go func() { r.err <- r.srv.Serve(ln) }()
	return r
}

// Addr is the address the server really listens on.
func (r *Running) Addr() string { return r.ln.Addr().String() }

// Close stops the server gracefully, waiting for requests in flight until ctx ends.
func (r *Running) Close(ctx context.Context) error {
	err := r.srv.Shutdown(ctx)
	if serr := <-r.err; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// brregEntity is the Enhetsregisteret stand-in's entity lookup, in data.brreg.no's shape.
func (s brregHost) brregEntity(w http.ResponseWriter, r *http.Request) {
	var org world.Org
	found := false
	_ = s.sb.Store.View(func(st *world.State) error {
		org, found = st.Orgs[r.PathValue("orgNo")]
		return nil
	})
	if !found {
		// Encoded, not concatenated: the org number is the caller's text.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(map[string]string{"feilmelding": "Ingen enhet med organisasjonsnummer " + r.PathValue("orgNo") + " ble funnet"})
		return
	}
	env.AltinnJSON(w, http.StatusOK, map[string]string{"organisasjonsnummer": org.OrgNo, "navn": org.Name})
}

// brregHost is the Enhetsregisteret lookup.
type brregHost struct{ sb *env.Env }

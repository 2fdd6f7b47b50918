package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose"
)

// Attached is a process's way to the sandbox of a data directory at the directory's one
// recorded base URL. It uses a live sandbox already serving the directory; otherwise it
// serves the directory itself on the recorded address (so a browser can open a confirmUrl
// and other tools can call it) for as long as it is open; where the address is taken by
// another program it reaches its own handler in-process. Every process's handler is
// equivalent: they share one store on disk.
type Attached struct {
	// Sandbox is the opened sandbox world.
	Sandbox *Sandbox
	// BaseURL is the data directory's base URL.
	BaseURL string
	// Notice is one sentence to show the user when the recorded address is taken by
	// another program (the sandbox then works for this process only); empty otherwise.
	Notice string

	addr    *address
	remote  *http.Transport
	handler http.Handler

	mu      sync.Mutex
	mode    attachMode
	running *Running
}

type attachMode int

const (
	// modeRemote: another process serves the directory; requests go to it over loopback.
	modeRemote attachMode = iota
	// modeOwner: this process serves the directory; its own requests skip the socket.
	modeOwner
	// modeInProcess: the address is taken by another program; requests skip the socket.
	modeInProcess
)

// Attach opens the sandbox in opts.DataDir and connects this process to it. preferred is the
// address recorded on the directory's first use (DefaultAddr for the default directory);
// empty picks a free loopback port. Close it when the process is done.
func Attach(ctx context.Context, opts Options, preferred string) (*Attached, error) {
	sb, err := Open(opts)
	if err != nil {
		return nil, err
	}
	addr, err := ensureAddress(opts.DataDir, preferred)
	if err != nil {
		sb.Close()
		return nil, err
	}
	sb.addr, sb.role = addr, RoleAttached
	at := &Attached{Sandbox: sb, BaseURL: addr.BaseURL, addr: addr, remote: loopbackTransport(), handler: sb.Handler()}
	at.connect(ctx)
	return at, nil
}

// connect finds the directory's live sandbox or becomes it. Callers hold mu or own at alone.
func (at *Attached) connect(ctx context.Context) {
	for attempt := 0; ; attempt++ {
		h, err := probeHealth(ctx, at.probeClient(), at.BaseURL)
		if err == nil && h.ID == at.addr.ID {
			at.mode = modeRemote
			return
		}
		if ln, lerr := net.Listen("tcp", at.addr.Listen); lerr == nil {
			at.running = at.Sandbox.serveOn(ln, at.BaseURL)
			at.mode, at.Notice = modeOwner, ""
			if !IsLoopback(at.addr.Listen) {
				at.Notice = fmt.Sprintf("the sandbox in %s is recorded at %s, which is reachable from the network; `sbs-tui sandbox serve --data %s --addr 127.0.0.1:PORT` moves it back to this machine only.",
					at.Sandbox.Opts.DataDir, at.addr.Listen, at.Sandbox.Opts.DataDir)
			}
			return
		}
		// Something answered that is not this directory's sandbox: another program. Anything
		// else (refused yet taken, a connection closed by a process shutting down) is a
		// moment between two owners: look again.
		if err == nil || errors.Is(err, errNotSandbox) || attempt == 4 || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
	}
	at.mode = modeInProcess
	at.Notice = fmt.Sprintf("%s, the address recorded for the sandbox in %s, is in use by another program, so this sandbox runs inside this command only and a browser cannot open its URLs: stop that program, or move the sandbox with `sbs-tui sandbox serve --data %s --addr 127.0.0.1:PORT` (URLs and tokens issued before then no longer resolve).",
		at.addr.Listen, at.Sandbox.Opts.DataDir, at.Sandbox.Opts.DataDir)
}

func (at *Attached) probeClient() *http.Client { return &http.Client{Transport: at.remote} }

// Serving reports whether this process listens on the directory's address.
func (at *Attached) Serving() bool {
	at.mu.Lock()
	defer at.mu.Unlock()
	return at.mode == modeOwner
}

// Transport routes requests to the sandbox's base URL as Attached decides; other requests go
// to http.DefaultTransport.
func (at *Attached) Transport() http.RoundTripper { return attachedTransport{at} }

// Close stops serving (waiting for requests in flight until ctx ends) and releases the
// sandbox's database.
func (at *Attached) Close(ctx context.Context) error {
	at.mu.Lock()
	r := at.running
	at.running = nil
	at.mu.Unlock()
	at.remote.CloseIdleConnections()
	var err error
	if r != nil {
		err = r.Close(ctx)
	}
	return errors.Join(err, at.Sandbox.Close())
}

type attachedTransport struct{ at *Attached }

func (t attachedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	at := t.at
	if !strings.EqualFold(req.URL.Scheme+"://"+req.URL.Host, at.BaseURL) {
		return http.DefaultTransport.RoundTrip(req)
	}
	at.mu.Lock()
	mode := at.mode
	at.mu.Unlock()
	if mode != modeRemote {
		return at.serveInProcess(req)
	}
	resp, err := at.remote.RoundTrip(req)
	if err == nil || !connectionLost(err) {
		return resp, err
	}
	// The process that served the directory is gone: it refused the connection, or closed an
	// idle one as it shut down (a graceful shutdown answers every request it read, so the
	// request was not handled). Take over, or find who did, and send it again.
	retry := req
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			return nil, err
		}
		body, gerr := req.GetBody()
		if gerr != nil {
			return nil, err
		}
		retry = req.Clone(req.Context())
		retry.Body = body
	}
	at.mu.Lock()
	if at.mode == modeRemote {
		at.remote.CloseIdleConnections()
		at.connect(req.Context())
	}
	mode = at.mode
	at.mu.Unlock()
	if mode == modeRemote {
		return at.remote.RoundTrip(retry)
	}
	return at.serveInProcess(retry)
}

func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// connectionLost reports errors that mean the serving process went away: a refused
// connection, or a reused one closed under the request.
func connectionLost(err error) bool {
	return isDialError(err) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		strings.Contains(err.Error(), "server closed idle connection")
}

// maxInProcessBody caps a response served in-process, as a socket's reader would.
const maxInProcessBody = 8 << 20

// serveInProcess calls the handler directly: the same code a server would run, no socket.
func (at *Attached) serveInProcess(req *http.Request) (resp *http.Response, err error) {
	r := req.Clone(req.Context())
	if r.Body == nil {
		r.Body = http.NoBody
	}
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	r.RequestURI = r.URL.RequestURI()
	r.RemoteAddr = "127.0.0.1:0"
	rec := newRecorder()
	defer func() {
		// A handler that aborts (the "drop" fault) closes the connection on a real server.
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler {
				panic(p)
			}
			resp, err = nil, fmt.Errorf("%s %s: the sandbox dropped the connection", req.Method, req.URL.Redacted())
		}
	}()
	at.handler.ServeHTTP(rec, r)
	if rec.body.Len() > maxInProcessBody {
		return nil, fmt.Errorf("%s %s: the sandbox's answer is larger than %d bytes", req.Method, req.URL.Redacted(), maxInProcessBody)
	}
	resp = rec.result()
	resp.Request = req
	return resp, nil
}

// ServeOptions configure ServeDir.
type ServeOptions struct {
	// Addr is an address given explicitly (sandbox serve --addr); it is recorded for the
	// directory, replacing the previous one. Empty serves on the recorded address.
	Addr string
	// Preferred is the address recorded on the directory's first use when Addr is empty.
	Preferred string
	// Waiting is called once when a command or the wizard serves the directory for now:
	// ServeDir waits for it to end, then takes over.
	Waiting func(h *Health)
}

// Served is a directory served by `sandbox serve`.
type Served struct {
	*Running
	// BaseURL is the directory's base URL.
	BaseURL string
	// Moved is the previous base URL when ServeOptions.Addr re-recorded the address.
	Moved string
}

// ErrAlreadyServed is returned by ServeDir when another `sandbox serve` serves the directory.
var ErrAlreadyServed = errors.New("a sandbox already serves this data directory")

// ServeDir serves the opened sandbox as its data directory's server. Another `sandbox
// serve` on the directory makes it fail with ErrAlreadyServed (nothing is changed); a command
// or wizard serving it for now is waited for (until ctx ends).
func (s *Sandbox) ServeDir(ctx context.Context, o ServeOptions) (*Served, error) {
	dir := s.Opts.DataDir
	client := &http.Client{Transport: loopbackTransport()}
	defer client.CloseIdleConnections()
	cur, err := readAddress(dir)
	if err != nil {
		return nil, err
	}
	if o.Addr == "" {
		if cur, err = ensureAddress(dir, o.Preferred); err != nil {
			return nil, err
		}
	}
	// Whoever serves the directory now (at its current address) must not be duplicated.
	if cur != nil {
		if err := waitForOwner(ctx, client, cur, o.Waiting); err != nil {
			return nil, err
		}
	}
	listen := o.Addr
	if listen == "" {
		listen = cur.Listen
	}
	if _, err := baseURLFor(listen); err != nil {
		return nil, err
	}
	for {
		ln, err := net.Listen("tcp", listen)
		if err == nil {
			return s.serveRecorded(ln, cur, o.Addr != "")
		}
		// A command may have bound it between the check and now: wait for it again.
		if cur != nil && o.Addr == "" {
			if h, perr := probeHealth(ctx, client, cur.BaseURL); perr == nil && h.ID == cur.ID {
				if err := waitForOwner(ctx, client, cur, o.Waiting); err != nil {
					return nil, err
				}
				continue
			}
		}
		if o.Addr != "" {
			return nil, fmt.Errorf("cannot listen on %s (%v): choose another --addr, e.g. 127.0.0.1:0 for any free port", listen, err)
		}
		return nil, fmt.Errorf("%s, the address recorded for the sandbox in %s, is in use by another program (%v): stop it, or move the sandbox with `sbs-tui sandbox serve --data %s --addr 127.0.0.1:PORT` (URLs and tokens issued before then no longer resolve)", listen, dir, err, dir)
	}
}

// waitForOwner returns at once when nothing serves the directory at cur, fails when a `sandbox
// serve` does, and waits while a command or the wizard does.
func waitForOwner(ctx context.Context, client *http.Client, cur *address, waiting func(*Health)) error {
	told := false
	for {
		h, err := probeHealth(ctx, client, cur.BaseURL)
		if err != nil || h.ID != cur.ID {
			return nil
		}
		if h.Role == RoleServe {
			return fmt.Errorf("%w at %s (process %d): use it, or stop it first", ErrAlreadyServed, cur.BaseURL, h.PID)
		}
		if !told && waiting != nil {
			waiting(h)
			told = true
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// serveRecorded records ln's address for the directory when it was given explicitly (or is
// new) and serves on ln.
func (s *Sandbox) serveRecorded(ln net.Listener, cur *address, explicit bool) (*Served, error) {
	dir := s.Opts.DataDir
	out := &Served{}
	rec := cur
	if explicit || rec == nil {
		base, err := baseURLFor(ln.Addr().String())
		if err != nil {
			ln.Close()
			return nil, err
		}
		// Only one serve gets here at a time per address: it holds the listener, and a live
		// serve of the directory was refused above.
		prev, err := readAddress(dir)
		if err == nil {
			id := jose.RandomHex(16)
			if prev != nil {
				id = prev.ID
				if prev.BaseURL != base {
					out.Moved = prev.BaseURL
				}
			}
			rec = &address{Listen: ln.Addr().String(), BaseURL: base, ID: id}
			err = writeAddress(dir, rec)
		}
		if err != nil {
			ln.Close()
			return nil, err
		}
	}
	s.addr, s.role = rec, RoleServe
	out.BaseURL = rec.BaseURL
	out.Running = s.serveOn(ln, rec.BaseURL)
	return out, nil
}

// recorder is the ResponseWriter of an in-process call (net/http/httptest is not linked into
// the binary for it).
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
	return r.body.Write(b)
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

// Flush lets handlers that flush (streaming) run unchanged.
func (r *recorder) Flush() {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
}

func (r *recorder) result() *http.Response {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	h := r.header.Clone()
	return &http.Response{
		Status: fmt.Sprintf("%d %s", r.status, http.StatusText(r.status)), StatusCode: r.status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h,
		Body: io.NopCloser(bytes.NewReader(r.body.Bytes())), ContentLength: int64(r.body.Len()),
	}
}

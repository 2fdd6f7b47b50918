package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose"

	"github.com/sbs-tui/sbs-tui/internal/domain/sandboxlayout"
	"github.com/sbs-tui/sbs-tui/internal/safefile"
)

// DefaultAddr is where the sandbox of the default data directory listens.
const DefaultAddr = "127.0.0.1:8459"

// addressFile records, in the data directory, the one address the directory's sandbox is
// reached at. Every process on the directory issues and accepts URLs built from it, so a
// token or confirmUrl minted by one process resolves in every other.
const addressFile = "address.json"

// address is the content of addressFile.
type address struct {
	// Listen is the host:port a process serving the directory binds.
	Listen string `json:"listen"`
	// BaseURL is what every URL (issuer, JWKS, confirmUrl, API URLs) derives from.
	BaseURL string `json:"base_url"`
	// ID identifies the data directory: /healthz answers it, so a process never mistakes
	// another program, or another directory's sandbox, for its own.
	ID string `json:"id"`
}

// Health is the answer of /healthz.
type Health struct {
	Status string `json:"status"`
	// ID is the data directory's identity from its address record.
	ID string `json:"id,omitempty"`
	// PID is the process serving.
	PID int `json:"pid,omitempty"`
	// Role is "serve" for `sbs-tui sandbox serve`, "attached" for a command or the wizard
	// that serves the directory while it runs.
	Role string `json:"role,omitempty"`
}

// Roles of a serving process.
const (
	RoleServe    = "serve"
	RoleAttached = "attached"
)

// readAddress reads the record; a missing one is (nil, nil).
func readAddress(dir string) (*address, error) {
	path := filepath.Join(dir, addressFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the sandbox address: %w", err)
	}
	var a address
	if err := json.Unmarshal(data, &a); err != nil || a.Listen == "" || a.BaseURL == "" || a.ID == "" {
		return nil, fmt.Errorf("the sandbox address record %s is unreadable; delete it and the next start records a new address (URLs issued before then no longer resolve)", path)
	}
	return &a, nil
}

func writeAddress(dir string, a *address) error {
	data, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return err
	}
	return safefile.Write(filepath.Join(dir, addressFile), append(data, '\n'), 0o600)
}

// baseURLFor is the base URL of a listen address: an unspecified host (0.0.0.0, ::) is
// reached on this machine through 127.0.0.1.
func baseURLFor(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("address %q: give HOST:PORT, e.g. 127.0.0.1:8459", listen)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return "", fmt.Errorf("address %q: the port must be a number from 0 to 65535", listen)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

// IsLoopback reports whether a listen address is reachable only from this machine.
func IsLoopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ensureAddress returns the directory's record, creating it on first use: preferred if
// given, else a free loopback port. Two first starts agree: the record is created with a
// hard link, which fails if the file exists, and the loser reads the winner's.
func ensureAddress(dir, preferred string) (*address, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create sandbox data directory %s: %w", dir, err)
	}
	if a, err := readAddress(dir); a != nil || err != nil {
		return a, err
	}
	listen := preferred
	if listen == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find a free loopback port for the sandbox: %w", err)
		}
		listen = ln.Addr().String()
		ln.Close()
	}
	base, err := baseURLFor(listen)
	if err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(&address{Listen: listen, BaseURL: base, ID: jose.RandomHex(16)}, "", "  ")
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, "."+addressFile+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("record the sandbox address: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(append(data, '\n'))
	if serr := tmp.Sync(); werr == nil {
		werr = serr
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return nil, fmt.Errorf("record the sandbox address: %w", werr)
	}
	if err := os.Link(tmp.Name(), filepath.Join(dir, addressFile)); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("record the sandbox address: %w", err)
	}
	return readAddress(dir)
}

// errNotSandbox: something answered that is not a sandbox attached to a data directory.
var errNotSandbox = errors.New("the program there does not answer as an sbs-tui sandbox")

// probeHealth asks base's /healthz who serves there. An error means nothing answers as a sandbox.
func probeHealth(ctx context.Context, client *http.Client, base string) (*Health, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, sandboxlayout.Join(base, sandboxlayout.Health), nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var h Health
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&h) != nil || h.ID == "" {
		return nil, fmt.Errorf("%s: %w", base, errNotSandbox)
	}
	return &h, nil
}

func loopbackTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil // the sandbox is on this machine
	return t
}

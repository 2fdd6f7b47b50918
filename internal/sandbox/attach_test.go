package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// issuerVia fetches Maskinporten's metadata through c and returns its issuer.
func issuerVia(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	resp, err := c.Get(base + "/maskinporten/.well-known/oauth-authorization-server")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct{ Issuer string }
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != 200 {
		t.Fatalf("metadata: %d %v", resp.StatusCode, err)
	}
	return m.Issuer
}

func TestAttachSharesOneAddressAndTakesOver(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	first, err := Attach(ctx, Options{DataDir: dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !first.Serving() || first.Notice != "" {
		t.Fatalf("the first process should serve the directory: serving=%v notice=%q", first.Serving(), first.Notice)
	}
	second, err := Attach(ctx, Options{DataDir: dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close(ctx)
	if second.Serving() || second.BaseURL != first.BaseURL {
		t.Fatalf("the second process should use the first: serving=%v base %s vs %s", second.Serving(), second.BaseURL, first.BaseURL)
	}
	c := &http.Client{Transport: second.Transport()}
	if iss := issuerVia(t, c, second.BaseURL); iss != first.BaseURL+"/maskinporten/" {
		t.Fatalf("issuer %s, want the recorded base", iss)
	}
	// A plain client (a browser, curl) reaches the same sandbox, whatever Host it names.
	resp, err := http.Get(first.BaseURL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var h Health
	_ = json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if h.ID == "" || h.Role != RoleAttached {
		t.Fatalf("healthz: %+v", h)
	}

	// The owner exits mid-session: the next request still works, and the other takes over.
	if err := first.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if iss := issuerVia(t, c, second.BaseURL); iss != second.BaseURL+"/maskinporten/" {
		t.Fatalf("issuer after take-over %s", iss)
	}
	if !second.Serving() {
		t.Fatal("the remaining process should serve the directory now")
	}
}

func TestAttachWhenTheAddressIsTakenByAnotherProgram(t *testing.T) {
	t.Parallel()
	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "not a sandbox") })}
	go srv.Serve(other)
	defer srv.Close()

	ctx := context.Background()
	at, err := Attach(ctx, Options{DataDir: t.TempDir()}, other.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer at.Close(ctx)
	if at.Serving() || !strings.Contains(at.Notice, "in use by another program") || !strings.Contains(at.Notice, "sandbox serve --data") {
		t.Fatalf("serving=%v notice=%q", at.Serving(), at.Notice)
	}
	// Its own requests still work, in-process, with the recorded URLs.
	if iss := issuerVia(t, &http.Client{Transport: at.Transport()}, at.BaseURL); iss != "http://"+other.Addr().String()+"/maskinporten/" {
		t.Fatalf("issuer %s", iss)
	}
}

func TestServeDirWaitsForACommandAndRefusesASecondServe(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	cmd, err := Attach(ctx, Options{DataDir: dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	sb := openDir(t, dir)
	waited := make(chan struct{})
	type result struct {
		s   *Served
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := sb.ServeDir(ctx, ServeOptions{Waiting: func(*Health) { close(waited) }})
		done <- result{s, err}
	}()
	select {
	case <-waited:
	case r := <-done:
		t.Fatalf("serve did not wait for the command: %+v", r)
	case <-time.After(5 * time.Second):
		t.Fatal("serve neither waited nor returned")
	}
	_ = cmd.Close(ctx)
	r := <-done
	if r.err != nil || r.s.BaseURL != cmd.BaseURL {
		t.Fatalf("serve after the command: %+v", r)
	}
	defer r.s.Close(ctx)

	sb2 := openDir(t, dir)
	if _, err := sb2.ServeDir(ctx, ServeOptions{}); !errors.Is(err, ErrAlreadyServed) {
		t.Fatalf("second serve: %v", err)
	}
	// Moving the directory while it is served is refused too.
	if _, err := sb2.ServeDir(ctx, ServeOptions{Addr: "127.0.0.1:0"}); !errors.Is(err, ErrAlreadyServed) {
		t.Fatalf("move while served: %v", err)
	}
}

func TestFirstStartsAgreeOnTheAddress(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const n = 8
	got := make(chan *address, n)
	for i := 0; i < n; i++ {
		go func() {
			a, err := ensureAddress(dir, "")
			if err != nil {
				t.Error(err)
			}
			got <- a
		}()
	}
	first := <-got
	for i := 1; i < n; i++ {
		if a := <-got; a == nil || first == nil || *a != *first {
			t.Fatalf("two first starts disagree: %+v vs %+v", a, first)
		}
	}
	info, err := os.Stat(filepath.Join(dir, addressFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("record: %v %v", info, err)
	}
}

func TestServeAddrMovesTheDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	before, err := ensureAddress(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	sb := openDir(t, dir)
	served, err := sb.ServeDir(ctx, ServeOptions{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer served.Close(ctx)
	after, err := readAddress(dir)
	if err != nil || after == nil {
		t.Fatal(err)
	}
	if served.Moved != before.BaseURL || after.BaseURL != served.BaseURL || after.BaseURL == before.BaseURL || after.ID != before.ID {
		t.Fatalf("move: before %+v, after %+v, served %+v", before, after, served)
	}
	// The next process attaches to the new address, served by this one.
	at, err := Attach(ctx, Options{DataDir: dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer at.Close(ctx)
	if at.Serving() || at.BaseURL != served.BaseURL {
		t.Fatalf("attach after the move: serving=%v base=%s", at.Serving(), at.BaseURL)
	}
}

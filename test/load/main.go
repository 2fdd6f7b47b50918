// Command load drives the sandbox's /token endpoint at a fixed concurrency for a while and
// prints the token rate of every interval, to show that issuing tokens does not slow down as
// the sandbox's state (its jti replay cache above all) grows. It is not part of `go test ./...`:
//
//	go run ./test/load                      # 120 s at concurrency 8, a rate every 10 s
//	go run ./test/load -duration 30s -c 16
//
// Each worker does what a real client does: sign a fresh grant (RSA-2048, unique jti), POST
// it over loopback HTTP, read the token. The sandbox runs in this process on a fresh data
// directory with the real clock, so jtis expire and are pruned as in production.
//
// Beside tokens per second, every line shows tokens per CPU second of this process (client and
// server together) and the cores it kept busy: on a machine shared with other work the first
// swings with their load, the second shows whether the sandbox itself got slower.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jws"
	_ "modernc.org/sqlite"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

func main() {
	duration := flag.Duration("duration", 120*time.Second, "how long to run")
	conc := flag.Int("c", 8, "concurrent clients")
	interval := flag.Duration("interval", 10*time.Second, "report a rate every interval")
	dataDir := flag.String("data", "", "sandbox data directory (default: a fresh temporary one)")
	flag.Parse()
	if err := run(*duration, *conc, *interval, *dataDir); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(duration time.Duration, conc int, interval time.Duration, dir string) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "sbs-tui-load-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	sb, err := sandbox.Open(sandbox.Options{DataDir: dir})
	if err != nil {
		return err
	}
	defer sb.Close()
	srv, err := sb.Listen("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Close(ctx)
	}()
	boot, err := sb.Bootstrap()
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(boot.KeyFile)
	if err != nil {
		return err
	}
	key, err := jwk.ParseKey(raw, jwk.WithPEM(true))
	if err != nil {
		return fmt.Errorf("vendor key: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, world.DatabaseFile)+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()

	issuer := srv.URL + "/maskinporten/"
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	var ok, failed atomic.Int64
	var firstErr atomic.Value
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var wg sync.WaitGroup
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if err := token(ctx, client, key, boot, issuer); err != nil {
					if ctx.Err() == nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
					}
					continue
				}
				ok.Add(1)
			}
		}()
	}
	fmt.Printf("/token at concurrency %d for %s, data directory %s\n", conc, duration, dir)
	var rates, perCPU []float64
	start, last, lastCPU := time.Now(), int64(0), cpuTime()
	tick := time.NewTicker(interval)
	for done := false; !done; {
		select {
		case <-tick.C:
		case <-ctx.Done():
			done = true
		}
		n := ok.Load()
		elapsed := time.Since(start)
		if done && elapsed < time.Duration(len(rates)+1)*interval-interval/2 {
			break // a short tail is no interval
		}
		span := interval
		if done {
			span = elapsed - time.Duration(len(rates))*interval
		}
		cpu := cpuTime()
		rate, cpuRate, cores := float64(n-last)/span.Seconds(), 0.0, (cpu-lastCPU).Seconds()/span.Seconds()
		if cpu > lastCPU {
			cpuRate = float64(n-last) / (cpu - lastCPU).Seconds()
		}
		last, lastCPU = n, cpu
		rates, perCPU = append(rates, rate), append(perCPU, cpuRate)
		var jtis int
		_ = db.QueryRow("SELECT count(*) FROM jtis").Scan(&jtis)
		size := fileSize(filepath.Join(dir, world.DatabaseFile)) + fileSize(filepath.Join(dir, world.DatabaseFile+"-wal"))
		fmt.Printf("%4.0f s  %7.1f tokens/s  %6.1f per CPU s  %.2f cores  (%d jtis in the table, database and WAL %.1f MB, %d failed)\n",
			elapsed.Seconds(), rate, cpuRate, cores, jtis, float64(size)/1e6, failed.Load())
	}
	tick.Stop()
	wg.Wait()
	if e := firstErr.Load(); e != nil {
		fmt.Printf("first failure: %s\n", e)
	}
	if len(rates) < 2 {
		return fmt.Errorf("run for at least two intervals")
	}
	first, lastRate := rates[0], rates[len(rates)-1]
	fmt.Printf("total %d tokens, %d failed; first interval %.1f/s, last %.1f/s: last/first = %.2f (goal: within 10%%)\n",
		ok.Load(), failed.Load(), first, lastRate, lastRate/first)
	if c0, c1 := perCPU[0], perCPU[len(perCPU)-1]; c0 > 0 {
		fmt.Printf("per CPU second: first %.1f, last %.1f: last/first = %.2f\n", c0, c1, c1/c0)
	}
	if failed.Load() > 0 {
		return fmt.Errorf("%d token requests failed", failed.Load())
	}
	return nil
}

func token(ctx context.Context, client *http.Client, key jwk.Key, boot world.Bootstrap, issuer string) error {
	now := time.Now()
	claims, _ := json.Marshal(map[string]any{
		"aud": issuer, "iss": boot.ClientID, "scope": world.ScopeDialogporten,
		"iat": now.Unix(), "exp": now.Add(120 * time.Second).Unix(), "jti": uuid.NewString(),
	})
	hdr := jws.NewHeaders()
	_ = hdr.Set(jws.KeyIDKey, boot.Kid)
	grant, err := jws.Sign(claims, jws.WithKey(jwa.RS256, key, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		return err
	}
	form := url.Values{"grant_type": {mp.GrantTypeJWTBearer}, "assertion": {string(grant)}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, issuer+"token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%d %s", resp.StatusCode, body)
	}
	return nil
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

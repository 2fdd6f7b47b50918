package bulk

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
	"github.com/sbs-tui/sbs-tui/internal/sandbox"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/sandboxtest"
	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"github.com/sbs-tui/sbs-tui/internal/steps"
)

const requestPrefix = "/altinn/authentication/api/v1/systemuser/request/vendor"

// world is a served sandbox and the seeded vendor's session on it.
type world struct {
	sb     *sandbox.Sandbox
	vendor *steps.Session
}

// bulkWorld is a sandbox with the demo system registered and n synthetic customers.
func bulkWorld(t testing.TB, n int) (*world, []sbworld.Org) {
	t.Helper()
	sw := sandboxtest.New(t)
	w := &world{sb: sw.SB, vendor: steps.NewSession(sw.Env(), &config.File{}, "test", sw.VendorProfile(), sw.Srv.Client(), time.Now, nil)}
	if _, err := steps.RegisterSystem(bulkCtx(t), w.vendor, sandboxtest.DemoSystem("974761076_demo", sw.Boot.ClientID), false); err != nil {
		t.Fatal(err)
	}
	orgs, err := w.sb.AddOrgs(n)
	if err != nil {
		t.Fatal(err)
	}
	return w, orgs
}

// bulkCtx bounds a bulk run generously: on a loaded machine under -race, a thousand writes
// of the sandbox's JSON state take a while.
func bulkCtx(t testing.TB) context.Context { return sandboxtest.Context(t, 3*time.Minute) }

func customersCSV(orgs []sbworld.Org) string {
	var b strings.Builder
	b.WriteString("external_ref,org\n")
	for _, o := range orgs {
		fmt.Fprintf(&b, "kunde-%s,%s\n", o.OrgNo, o.OrgNo)
	}
	return b.String()
}

func planFor(t testing.TB, w *world, file string) *Plan {
	t.Helper()
	rows, problems, err := ParseCSV(strings.NewReader(file))
	if err != nil || len(problems) > 0 {
		t.Fatalf("parse: %v %v", problems, err)
	}
	sys, err := steps.ResolveSystem(bulkCtx(t), w.vendor, "")
	if err != nil {
		t.Fatal(err)
	}
	plan, problems := NewPlan(sys, w.vendor.Catalog(bulkCtx(t)), rows)
	if len(problems) > 0 {
		t.Fatalf("plan: %v", problems)
	}
	return plan
}

// requestsPerCustomer counts the sandbox's (non-deleted) requests by organisation.
func requestsPerCustomer(t testing.TB, sb *sandbox.Sandbox) map[string]int {
	t.Helper()
	out := map[string]int{}
	_ = sb.View(func(st *sbworld.State) error {
		for _, q := range st.Requests {
			if !q.Deleted {
				out[q.PartyOrgNo]++
			}
		}
		return nil
	})
	return out
}

func TestBulkCreatesOneRequestPerRow(t *testing.T) {
	t.Parallel()
	n := 1000
	if testing.Short() || raceEnabled {
		n = 200 // the race detector makes the sandbox's JSON writes several times slower
	}
	w, orgs := bulkWorld(t, n)
	plan := planFor(t, w, customersCSV(orgs))
	results, sum, err := Run(bulkCtx(t), w.vendor, plan, Options{})
	if err != nil || sum.Created != n || sum.Failed != 0 || len(results) != n {
		t.Fatalf("run: %+v %v", sum, err)
	}
	per := requestsPerCustomer(t, w.sb)
	if len(per) != n {
		t.Fatalf("%d customers have requests, want %d", len(per), n)
	}
	for i, r := range results {
		if r.Row != i+2 || r.Outcome != OutcomeCreated || r.Status != altinn.StatusNew || !strings.Contains(r.ConfirmURL, r.RequestID) ||
			r.ExternalRef != "kunde-"+r.Org || per[r.Org] != 1 {
			t.Fatalf("result %d: %+v (requests for the org: %d)", i, r, per[r.Org])
		}
	}
	// The results CSV has one line per row with what a mail merge needs.
	var buf bytes.Buffer
	if err := WriteResults(&buf, results); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(recs) != n+1 || recs[0][7] != "confirm_url" || recs[1][5] != results[0].RequestID {
		t.Fatalf("results CSV: %d records, %v", len(recs), err)
	}
}

func TestBulkInterruptedThenRerunCreatesNothingTwice(t *testing.T) {
	t.Parallel()
	n := 300
	if raceEnabled {
		n = 120
	}
	w, orgs := bulkWorld(t, n)
	plan := planFor(t, w, customersCSV(orgs))
	ctx, cancel := context.WithCancel(bulkCtx(t))
	var done atomic.Int32
	// Half-way through, some answers are lost after the server acted (the worst case for a
	// re-send), and then the run is cancelled mid-flight.
	w.sb.InjectFault(sbworld.Fault{Kind: sbworld.FaultDrop, Method: "POST", PathPrefix: requestPrefix, After: true, Times: 5})
	first, sum1, err := Run(ctx, w.vendor, plan, Options{Concurrency: 4, OnResult: func(Result) {
		if done.Add(1) == int32(n/2) {
			cancel()
		}
	}})
	if err == nil || sum1.Created+sum1.Existing < n/2 || sum1.Created+sum1.Existing >= n {
		t.Fatalf("first run: %+v %v (%d results)", sum1, err, len(first))
	}
	sent := len(requestsPerCustomer(t, w.sb))
	second, sum2, err := Run(bulkCtx(t), w.vendor, plan, Options{Concurrency: 4})
	if err != nil || sum2.Failed != 0 || len(second) != n {
		t.Fatalf("re-run: %+v %v", sum2, err)
	}
	// Everything the first run sent (including requests whose answer it never saw, and those
	// the server finished after the client gave up) is found, not created again.
	if sum2.Existing < sent || sum2.Created+sum2.Existing != n {
		t.Fatalf("re-run: %+v, but %d requests existed before it", sum2, sent)
	}
	per := requestsPerCustomer(t, w.sb)
	if len(per) != n {
		t.Fatalf("%d customers have requests", len(per))
	}
	for org, k := range per {
		if k != 1 {
			t.Fatalf("%s has %d requests", org, k)
		}
	}
	// A third run after the customers answered reports their decisions, still creating nothing.
	if _, err := w.sb.DecideAll(sandbox.DecideAllOptions{Approve: 0.5, Reject: 0.2}); err != nil {
		t.Fatal(err)
	}
	third, sum3, err := Run(bulkCtx(t), w.vendor, plan, Options{})
	status := map[string]int{}
	for _, r := range third {
		status[r.Status]++
		if r.RequestID == "" {
			t.Fatalf("row without request id: %+v", r)
		}
	}
	if err != nil || sum3.Created != 0 || sum3.Existing != n || status[altinn.StatusAccepted] != n/2 || status[altinn.StatusRejected] != n/5 {
		t.Fatalf("third run: %+v %v %v", sum3, err, status)
	}
}

func TestBulkBadRowsAreAllListedAndNothingIsSent(t *testing.T) {
	t.Parallel()
	w, orgs := bulkWorld(t, 3)
	file := strings.Join([]string{
		"org,type,packages,rights,redirect_url,external_ref",
		orgs[0].OrgNo + ",standard,skattegrunnlag,,,", // fine
		"974761077,,,,,", // MOD11
		orgs[1].OrgNo + ",agent,skattegrunlag,some-resource,,a/b",                                     // typo'd package, rights on agent, bad ref
		orgs[2].OrgNo + ",,regnskapsforer-med-signeringsrettighet,,https://vendor.example/elsewhere,", // needs agent; redirect
		orgs[0].OrgNo + ",boss,,,,", // type; duplicate of row 2
	}, "\n")
	rows, problems, err := ParseCSV(strings.NewReader(file))
	if err != nil || len(problems) > 0 {
		t.Fatal(problems, err)
	}
	sys, err := steps.ResolveSystem(bulkCtx(t), w.vendor, "974761076_demo")
	if err != nil {
		t.Fatal(err)
	}
	plan, problems := NewPlan(sys, w.vendor.Catalog(bulkCtx(t)), rows)
	if plan != nil {
		t.Fatal("a plan despite bad rows")
	}
	got := map[string]bool{}
	for _, p := range problems {
		got[fmt.Sprintf("%d/%s", p.Row, p.Column)] = true
	}
	want := []string{"3/org", "4/packages", "4/rights", "4/external_ref", "5/packages", "5/redirect_url", "6/type", "6/org"}
	for _, k := range want {
		if !got[k] {
			t.Errorf("missing problem at row/column %s; got %v", k, problems)
		}
	}
	if len(problems) != len(want) {
		t.Errorf("%d problems, want %d: %v", len(problems), len(want), problems)
	}
	text := (&ProblemsError{File: "customers.csv", Rows: len(rows), Problems: problems}).Error()
	for _, s := range []string{"row 4, column packages", "AUTH-00064", "AUTH-00021", "nothing was sent", "as row 2"} {
		if !strings.Contains(text, s) {
			t.Errorf("report lacks %q:\n%s", s, text)
		}
	}
	if n := len(requestsPerCustomer(t, w.sb)); n != 0 {
		t.Fatalf("%d requests exist", n)
	}
	// Header problems are reported before any row is read.
	_, problems, _ = ParseCSV(strings.NewReader("orgnr,type,type\n313367002,agent,agent\n"))
	if len(problems) != 3 {
		t.Fatalf("header problems: %v", problems)
	}
}

func TestBulkJSONFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "customers.json")
	if err := os.WriteFile(path, []byte(`[{"org": 313367002, "packages": ["skattegrunnlag"]},
		{"org": "311000004", "type": "agent", "packages": "regnskapsforer-med-signeringsrettighet;skattegrunnlag", "colour": "red"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	rows, problems, err := ReadFile(path)
	if err != nil || len(rows) != 2 || rows[0].Org != "313367002" || len(rows[1].Packages) != 2 {
		t.Fatalf("rows %+v %v", rows, err)
	}
	if len(problems) != 1 || problems[0].Row != 2 || problems[0].Column != "colour" {
		t.Fatalf("problems %v", problems)
	}
}

func TestBulkRidesOutA429Storm(t *testing.T) {
	t.Parallel()
	w, orgs := bulkWorld(t, 40)
	plan := planFor(t, w, customersCSV(orgs))
	// More 429s in a row than the client's own retries take, so the run's shared pause has to
	// ride them out; each asks for a one-second wait.
	w.sb.InjectFault(sbworld.Fault{Kind: sbworld.FaultThrottle, Method: "POST", PathPrefix: requestPrefix, RetryAfter: 1, Times: 8})
	results, sum, err := Run(bulkCtx(t), w.vendor, plan, Options{Concurrency: 2})
	if err != nil || sum.Created != 40 || sum.Failed != 0 || sum.Throttled == 0 {
		t.Fatalf("run: %+v %v", sum, err)
	}
	retried := 0
	for _, r := range results {
		if r.Attempts > 1 {
			retried++
		}
	}
	if retried == 0 || sum.Elapsed < 2*time.Second {
		t.Fatalf("%d rows retried in %s: the Retry-After waits were not kept", retried, sum.Elapsed)
	}
	if n := len(requestsPerCustomer(t, w.sb)); n != 40 {
		t.Fatalf("%d requests", n)
	}
}

func BenchmarkBulk1000(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		w, orgs := bulkWorld(b, 1000)
		plan := planFor(b, w, customersCSV(orgs))
		b.StartTimer()
		_, sum, err := Run(context.Background(), w.vendor, plan, Options{})
		if err != nil || sum.Created != 1000 {
			b.Fatalf("%+v %v", sum, err)
		}
	}
}

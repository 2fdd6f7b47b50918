package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/sandbox"
)

// TestBulkCommand runs `sandbox orgs add`, `request bulk` (bad file, check, JSON stream, text
// re-run) and `sandbox approve --all` the way a vendor would.
func TestBulkCommand(t *testing.T) {
	home := isolate(t)
	cfg, sb := startSandbox(t)
	boot, _ := sb.Bootstrap()
	cmd := func(args ...string) []string { return append([]string{"--config", cfg}, args...) }
	if r := runCLI(t, "", cmd("system", "register", "--file", seedPageSystem(t, boot.ClientID))...); r.code != 0 {
		t.Fatalf("register: %+v", r)
	}
	customers := filepath.Join(home, "customers.csv")
	r := runCLI(t, "", cmd("sandbox", "orgs", "add", "--count", "30", "--csv", customers)...)
	if r.code != 0 || !strings.Contains(r.stdout, "Added 30 organisations") {
		t.Fatalf("orgs add: %+v", r)
	}

	// A bad file: every problem by row and column on stderr, exit 1, nothing sent.
	bad := filepath.Join(home, "bad.csv")
	_ = os.WriteFile(bad, []byte("org,type,packages\n313367002,standard,regnskapsforer-med-signeringsrettighet\n123,agent,skattegrunnlag\n"), 0o600)
	r = runCLI(t, "", cmd("request", "bulk", "--file", bad)...)
	if r.code != 1 || !strings.Contains(r.stderr, "row 2, column packages") || !strings.Contains(r.stderr, "row 3, column org") ||
		!strings.Contains(r.stderr, "nothing was sent") {
		t.Fatalf("bad file: %+v", r)
	}
	r = runCLI(t, "", cmd("request", "bulk", "--file", bad, "--json")...)
	var fail struct {
		OK       bool
		Problems []struct{ Row int }
	}
	if err := json.Unmarshal([]byte(r.stdout), &fail); err != nil || fail.OK || len(fail.Problems) != 2 || r.code != 1 {
		t.Fatalf("bad file, JSON: %+v %v", r, err)
	}
	_ = sb.View(func(st *sandbox.State) error {
		if len(st.Requests) != 0 {
			t.Fatalf("%d requests after bad files", len(st.Requests))
		}
		return nil
	})

	if r = runCLI(t, "", cmd("request", "bulk", "--file", customers, "--check")...); r.code != 0 || !strings.Contains(r.stdout, "all 30 rows are fine") {
		t.Fatalf("check: %+v", r)
	}
	// JSON: one object per row as they finish, then a summary.
	r = runCLI(t, "", cmd("request", "bulk", "--file", customers, "--json")...)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 31 {
		t.Fatalf("json run: %d lines %+v", len(lines), r)
	}
	for _, l := range lines[:30] {
		var row struct {
			Outcome    string `json:"outcome"`
			ConfirmURL string `json:"confirm_url"`
		}
		if err := json.Unmarshal([]byte(l), &row); err != nil || row.Outcome != "created" || row.ConfirmURL == "" {
			t.Fatalf("row line %q: %v", l, err)
		}
	}
	out := filepath.Join(home, "customers-requests.csv")
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 31 || recs[0][5] != "request_id" || recs[1][4] != "created" {
		t.Fatalf("results: %v %v", recs[:min(2, len(recs))], err)
	}

	// The customers decide; a re-run creates nothing and reports their answers.
	r = runCLI(t, "", cmd("sandbox", "approve", "--all", "--fraction", "0.5", "--reject-fraction", "0.2")...)
	if r.code != 0 || !strings.Contains(r.stdout, "30 waiting: 15 approved, 6 rejected, 9 left New") {
		t.Fatalf("approve --all: %+v", r)
	}
	r = runCLI(t, "", cmd("request", "bulk", "--file", customers)...)
	if r.code != 0 || !strings.Contains(r.stdout, "0 created, 30 already existed, 0 failed") ||
		!strings.Contains(r.stdout, "9 New, 15 Accepted, 6 Rejected") {
		t.Fatalf("re-run: %+v", r)
	}
	if r = runCLI(t, "", cmd("sandbox", "approve", "--all", "--fraction", "0.9", "--reject-fraction", "0.2")...); r.code != 2 {
		t.Fatalf("fractions over 1: %+v", r)
	}
	if r = runCLI(t, "", cmd("sandbox", "approve", "some-id", "--all")...); r.code != 2 {
		t.Fatalf("id and --all: %+v", r)
	}
}

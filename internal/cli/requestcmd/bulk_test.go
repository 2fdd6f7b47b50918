package requestcmd_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// TestBulkCommand runs `sandbox orgs add`, `request bulk` (bad file, check, JSON stream, text
// re-run) and `sandbox approve --all` the way a vendor would.
func TestBulkCommand(t *testing.T) {
	home, _, sb, cmd := clitest.WithSeedPageSystem(t)
	customers := filepath.Join(home, "customers.csv")
	r := clitest.Run(t, "", cmd("sandbox", "orgs", "add", "--count", "30", "--csv", customers)...)
	// The numbers went to the file, so the terminal gets the summary only.
	if r.Code != 0 || !strings.Contains(r.Stdout, "Added 30 organisations") || strings.Count(strings.TrimSpace(r.Stdout), "\n") != 1 {
		t.Fatalf("orgs add: %+v", r)
	}

	// A bad file: every problem by row and column on stderr, exit 1, nothing sent.
	bad := filepath.Join(home, "bad.csv")
	_ = os.WriteFile(bad, []byte("org,type,packages\n313367002,standard,regnskapsforer-med-signeringsrettighet\n123,agent,skattegrunnlag\n"), 0o600)
	r = clitest.Run(t, "", cmd("request", "bulk", "--file", bad)...)
	if r.Code != 1 || !strings.Contains(r.Stderr, "row 2, column packages") || !strings.Contains(r.Stderr, "row 3, column org") ||
		!strings.Contains(r.Stderr, "nothing was sent") {
		t.Fatalf("bad file: %+v", r)
	}
	r = clitest.Run(t, "", cmd("request", "bulk", "--file", bad, "--json")...)
	var fail struct {
		OK       bool
		Problems []struct{ Row int }
	}
	if err := json.Unmarshal([]byte(r.Stdout), &fail); err != nil || fail.OK || len(fail.Problems) != 2 || r.Code != 1 {
		t.Fatalf("bad file, JSON: %+v %v", r, err)
	}
	_ = sb.View(func(st *world.State) error {
		if len(st.Requests) != 0 {
			t.Fatalf("%d requests after bad files", len(st.Requests))
		}
		return nil
	})

	if r = clitest.Run(t, "", cmd("request", "bulk", "--file", customers, "--check")...); r.Code != 0 || !strings.Contains(r.Stdout, "all 30 rows are fine") {
		t.Fatalf("check: %+v", r)
	}
	// JSON: one object per row as they finish, then a summary.
	r = clitest.Run(t, "", cmd("request", "bulk", "--file", customers, "--json")...)
	lines := strings.Split(strings.TrimSpace(r.Stdout), "\n")
	if r.Code != 0 || len(lines) != 31 {
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
	r = clitest.Run(t, "", cmd("sandbox", "approve", "--all", "--fraction", "0.5", "--reject-fraction", "0.2")...)
	if r.Code != 0 || !strings.Contains(r.Stdout, "30 waiting: 15 approved, 6 rejected, 9 left New") {
		t.Fatalf("approve --all: %+v", r)
	}
	r = clitest.Run(t, "", cmd("request", "bulk", "--file", customers)...)
	if r.Code != 0 || !strings.Contains(r.Stdout, "0 created, 30 already existed, 0 failed") ||
		!strings.Contains(r.Stdout, "9 New, 15 Accepted, 6 Rejected") {
		t.Fatalf("re-run: %+v", r)
	}
	if r = clitest.Run(t, "", cmd("sandbox", "approve", "--all", "--fraction", "0.9", "--reject-fraction", "0.2")...); r.Code != 2 {
		t.Fatalf("fractions over 1: %+v", r)
	}
	if r = clitest.Run(t, "", cmd("sandbox", "approve", "some-id", "--all")...); r.Code != 2 {
		t.Fatalf("id and --all: %+v", r)
	}
}

// TestBulkRidesOutThrottlingFromTheFaultsEndpoint sets up a 429 storm the way a script against
// `sandbox serve` does (POST /_sandbox/faults) and runs `request bulk` through it.
func TestBulkRidesOutThrottlingFromTheFaultsEndpoint(t *testing.T) {
	home, cfg, _, cmd := clitest.WithSeedPageSystem(t)
	customers := filepath.Join(home, "customers.csv")
	if r := clitest.Run(t, "", cmd("sandbox", "orgs", "add", "--count", "20", "--csv", customers)...); r.Code != 0 {
		t.Fatalf("orgs add: %+v", r)
	}
	fault := `{"kind":"throttle","method":"POST","path_prefix":"/altinn/authentication/api/v1/systemuser/request/vendor","retry_after":1,"times":5}`
	resp, err := http.Post(clitest.ReadConfigURL(t, cfg)+"/_sandbox/faults", "application/json", strings.NewReader(fault))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("POST /_sandbox/faults: %s", resp.Status)
	}
	r := clitest.Run(t, "", cmd("request", "bulk", "--file", customers, "--concurrency", "1", "--json")...)
	lines := strings.Split(strings.TrimSpace(r.Stdout), "\n")
	var sum struct {
		Created, Failed, Throttled int
		OK                         bool
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil || r.Code != 0 || !sum.OK || sum.Created != 20 || sum.Throttled == 0 {
		t.Fatalf("run through the storm: %+v %v\n%s", sum, err, r.Stderr)
	}
}

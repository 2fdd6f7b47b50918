package sandboxcmd_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
)

var orgNoLine = regexp.MustCompile(`^\d{9}$`)

// TestOrgsAddListToBulkCSV is a vendor's script: add 300 customers, read their numbers from
// `orgs add` (one a line) and `orgs list` (one a line, and --json), build a CSV of them and
// send the bulk requests from it.
func TestOrgsAddListToBulkCSV(t *testing.T) {
	home, _, _, cmd := clitest.WithSeedPageSystem(t)
	r := clitest.Run(t, "", cmd("sandbox", "orgs", "add", "--count", "300")...)
	var added []string
	for _, l := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
		if orgNoLine.MatchString(l) {
			added = append(added, l)
		}
	}
	if r.Code != 0 || len(added) != 300 || !strings.Contains(r.Stdout, "Added 300 organisations") {
		t.Fatalf("orgs add printed %d numbers: %+v", len(added), r)
	}
	r = clitest.Run(t, "", cmd("sandbox", "orgs", "list")...)
	listed := strings.Split(strings.TrimSpace(r.Stdout), "\n")
	for _, l := range listed {
		if !orgNoLine.MatchString(l) {
			t.Fatalf("orgs list: line %q is not an organisation number", l)
		}
	}
	for _, no := range added {
		if !slices.Contains(listed, no) {
			t.Fatalf("orgs list lacks %s", no)
		}
	}
	if !slices.Contains(listed, "313367002") || !slices.IsSorted(listed) {
		t.Fatalf("orgs list: the seeded organisations, in order: %v", listed[:5])
	}
	r = clitest.Run(t, "", cmd("sandbox", "orgs", "list", "--json")...)
	var orgs []struct {
		OrgNo string `json:"orgno"`
		Name  string `json:"name"`
		Roles []struct{ Role, Holder string }
	}
	if err := json.Unmarshal([]byte(r.Stdout), &orgs); err != nil || len(orgs) != len(listed) || orgs[0].OrgNo != listed[0] || orgs[0].Name == "" {
		t.Fatalf("orgs list --json: %v %+v", err, r)
	}
	r = clitest.Run(t, "", cmd("sandbox", "orgs", "add", "--count", "2", "--json")...)
	var js struct {
		Added int
		Orgs  []struct{ OrgNo string }
	}
	if err := json.Unmarshal([]byte(r.Stdout), &js); err != nil || js.Added != 2 || len(js.Orgs) != 2 || slices.Contains(added, js.Orgs[0].OrgNo) {
		t.Fatalf("orgs add --json: %v %+v", err, r)
	}

	customers := filepath.Join(home, "customers.csv")
	if err := os.WriteFile(customers, []byte("org\n"+strings.Join(added, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = clitest.Run(t, "", cmd("request", "bulk", "--file", customers, "--json")...)
	if lines := strings.Split(strings.TrimSpace(r.Stdout), "\n"); r.Code != 0 || len(lines) != 301 || !strings.Contains(lines[300], `"created":300`) {
		t.Fatalf("bulk from the listed numbers: code %d, %d lines, last %q\n%s", r.Code, len(lines), lines[len(lines)-1], r.Stderr)
	}
}

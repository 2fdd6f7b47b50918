package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// rawControls are characters a terminal acts on that must never reach it raw.
var rawControls = []string{"\u009b", "\u202e", "\x7f", "\x1b"}

func TestJSONOutputEscapesTerminalControls(t *testing.T) {
	v := clitest.NewVendor(t)
	hostile := "Evil\u009b31m\u202eSystem\x7f"
	err := v.SB.Update(func(st *world.State) error {
		st.Systems["974761076_evil"] = &world.System{ID: "974761076_evil", InternalID: "5b0f7f3e-0000-4000-8000-000000000001", VendorOrg: "974761076",
			Name: map[string]string{"nb": hostile, "en": hostile, "nn": hostile}, Description: map[string]string{"nb": hostile, "en": "d", "nn": "d"},
			Created: time.Now()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, "", "--config", v.Cfg, "system", "get", "974761076_evil", "--json")
	if r.Code != 0 {
		t.Fatalf("system get: %+v", r)
	}
	for _, c := range rawControls {
		if strings.Contains(r.Stdout, c) {
			t.Errorf("--json output carries %q raw", c)
		}
	}
	var obj struct {
		System struct {
			Name map[string]string `json:"name"`
		} `json:"system"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &obj); err != nil || obj.System.Name["nb"] != hostile {
		t.Fatalf("escaped output must decode to the same value: %v %q\n%s", err, obj.System.Name["nb"], r.Stdout)
	}
}

// A list in --json output is [] when empty, never null: a system with no system users, an
// Altinn error without validation errors, an error body with no catalogue code.
func TestJSONListsAreNeverNull(t *testing.T) {
	v := clitest.NewVendor(t)
	err := v.SB.Update(func(st *world.State) error {
		st.Systems["974761076_empty"] = &world.System{ID: "974761076_empty", InternalID: "5b0f7f3e-0000-4000-8000-000000000002", VendorOrg: "974761076",
			Name: map[string]string{"nb": "Tom", "en": "Empty", "nn": "Tom"}, Created: time.Now()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		stdin string
		args  []string
		key   string
	}{
		{"", []string{"users", "list", "--system", "974761076_empty", "--json"}, "system_users"},
		{"", []string{"users", "list", "--system", "974761076_nosuch", "--json"}, "validation_errors"},
		{`{"type":"x","title":"t","status":400}`, []string{"explain", "-", "--json"}, "body.entries"},
	} {
		r := clitest.Run(t, c.stdin, append([]string{"--config", v.Cfg}, c.args...)...)
		member := json.RawMessage(r.Stdout)
		for _, k := range strings.Split(c.key, ".") {
			var obj map[string]json.RawMessage
			_ = json.Unmarshal(member, &obj)
			member = obj[k]
		}
		if string(member) != "[]" {
			t.Errorf("%v: %s is %s in\n%s", c.args, c.key, member, r.Stdout)
		}
	}
}

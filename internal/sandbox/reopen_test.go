package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// Tests of what Open does with the world a data directory already holds.

// A sandbox opened over a data directory holding an old state.json imports it once.
func TestLegacyStateJSONIsImportedOnce(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	sb := openDir(t, src)
	defer sb.Close()
	var old map[string]any
	_ = sb.View(func(st *world.State) error {
		b, _ := json.Marshal(st)
		return json.Unmarshal(b, &old)
	})
	now := time.Now()
	clientID := old["bootstrap"].(map[string]any)["client_id"].(string)
	old["jtis"] = map[string]time.Time{
		clientID + "\x00live":    now.Add(time.Minute),
		clientID + "\x00expired": now.Add(-time.Minute),
	}
	data, _ := json.Marshal(old)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, world.LegacyStateFile), data, 0o600); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, ".state.json.tmp-12345")
	if err := os.WriteFile(tmp, []byte("{half"), 0o600); err != nil {
		t.Fatal(err)
	}
	imported := openDir(t, dir)
	defer imported.Close()
	b1, _ := sb.Bootstrap()
	b2, err := imported.Bootstrap()
	if err != nil || b1.ClientID != b2.ClientID {
		t.Fatalf("imported bootstrap %+v, %v; want client %s (a re-seed instead of an import?)", b2, err, b1.ClientID)
	}
	var nKeys, nClients int
	_ = imported.View(func(st *world.State) error { nKeys, nClients = len(st.SigningKeys), len(st.Clients); return nil })
	if nKeys != 1 || nClients != 2 {
		t.Fatalf("imported %d signing keys, %d clients", nKeys, nClients)
	}
	if _, err := os.Stat(filepath.Join(dir, world.LegacyStateFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("state.json still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, world.LegacyStateFile+".imported")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("stale temporary file kept: %v", err)
	}
	ctx := context.Background()
	for jti, want := range map[string]bool{"live": true, "expired": false} {
		if used, err := imported.Store.JTIUsed(ctx, clientID, jti, now); err != nil || used != want {
			t.Errorf("jti %s used = %v, %v; want %v", jti, used, err, want)
		}
	}
	// A corrupt state.json is reported, not replaced.
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, world.LegacyStateFile), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Options{DataDir: bad}); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("corrupt state.json: %v", err)
	}
}

// Defaults are seeded once, by the seed: a world whose organisation roles were all deleted
// keeps none, in the cache and in the table, after a reopen. (newState used to add the
// default roles to every fresh cache, so the cache and the empty table disagreed, and Open
// added them again.)
func TestDeletedOrgRolesStayDeletedAfterReopen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sb := reopened(t, dir, func(st *world.State) {
		if len(st.OrgRoles) == 0 {
			t.Fatal("the seed made no organisation roles")
		}
		st.OrgRoles = map[string][]world.OrgRole{}
	})
	_ = sb.View(func(st *world.State) error {
		if len(st.OrgRoles) != 0 {
			t.Errorf("after reopening, the cache holds roles %v", st.OrgRoles)
		}
		return nil
	})
	var rows int
	if err := sb.Store.ReadDB().QueryRow(`SELECT count(*) FROM org_roles`).Scan(&rows); err != nil || rows != 0 {
		t.Errorf("org_roles holds %d rows (%v)", rows, err)
	}
	// A fresh cache of the same database agrees.
	_ = openWorld(t, dir).View(func(st *world.State) error {
		if len(st.OrgRoles) != 0 {
			t.Errorf("a fresh cache holds roles %v", st.OrgRoles)
		}
		return nil
	})
}

// reopened seeds a sandbox in dir, changes it with change, and opens it again (as the next
// start of sbs-tui would); it is closed when the test ends.
func reopened(t *testing.T, dir string, change func(*world.State)) *Sandbox {
	t.Helper()
	sb := openDir(t, dir)
	if err := sb.Update(func(st *world.State) error { change(st); return nil }); err != nil {
		t.Fatal(err)
	}
	_ = sb.Close()
	sb = openDir(t, dir)
	t.Cleanup(func() { _ = sb.Close() })
	return sb
}

// openWorld opens the store of the sandbox in dir beside it, as another process would; it
// is closed when the test ends.
func openWorld(t *testing.T, dir string) *world.Store {
	t.Helper()
	s, err := world.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

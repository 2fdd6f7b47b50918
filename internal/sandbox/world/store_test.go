package world

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
)

func openTestStore(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// probe sets v to a value that is not its type's zero value and survives JSON.
func probe(t *testing.T, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.Map:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		e := reflect.New(v.Type().Elem()).Elem()
		probe(t, e)
		v.SetMapIndex(reflect.ValueOf("probe").Convert(v.Type().Key()), e)
	case reflect.Slice:
		e := reflect.New(v.Type().Elem()).Elem()
		probe(t, e)
		v.Set(reflect.Append(v, e))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.String:
		v.SetString("probe")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.5)
	case reflect.Struct:
		// A struct's zero value, with fields set where settable: enough to tell it apart.
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && v.Field(i).Kind() != reflect.Struct {
				probe(t, v.Field(i))
				return
			}
		}
	case reflect.Interface:
		v.Set(reflect.ValueOf("probe"))
	default:
		t.Fatalf("no probe value for %s", v.Type())
	}
}

// Every exported State field reaches the database and comes back in another process's view:
// a field added to State (in a merge, say) that the store cannot persist fails here.
func TestEveryStateFieldIsPersisted(t *testing.T) {
	t.Parallel()
	fields, err := stateFields()
	if err != nil {
		t.Fatal(err)
	}
	typ := reflect.TypeOf(State{})
	exported := 0
	for i := 0; i < typ.NumField(); i++ {
		if typ.Field(i).IsExported() {
			exported++
		}
	}
	if len(fields) != exported {
		t.Fatalf("%d of %d exported State fields are persisted", len(fields), exported)
	}
	dir := t.TempDir()
	a := openTestStore(t, dir)
	for _, f := range fields {
		t.Run(f.name, func(t *testing.T) {
			if err := a.Update(func(st *State) error {
				fv := reflect.ValueOf(st).Elem().Field(f.index)
				probe(t, fv)
				st.Touch(fv.Addr().Interface()) // the whole field: Touch resolves every field
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			var want []byte
			_ = a.View(func(st *State) error {
				want, _ = json.Marshal(reflect.ValueOf(st).Elem().Field(f.index).Interface())
				return nil
			})
			b := openTestStore(t, dir) // a fresh cache: everything read from the database
			_ = b.View(func(st *State) error {
				v := reflect.ValueOf(st).Elem().Field(f.index)
				got, _ := json.Marshal(v.Interface())
				if v.IsZero() || (v.Kind() == reflect.Map && v.Len() == 0) || string(got) != string(want) {
					t.Errorf("State.%s after reopening = %s, want %s", f.name, got, want)
				}
				return nil
			})
			var n int
			if err := b.rdb.QueryRow(`SELECT count(*) FROM "` + f.table + `"`).Scan(&n); err != nil || n == 0 {
				t.Errorf("table %s: %d rows, %v", f.table, n, err)
			}
		})
	}
}

func TestStateFieldTags(t *testing.T) {
	t.Parallel()
	type untagged struct {
		ChangeRequests map[string]*Request `json:"change_requests"`
		Counter        int                 `json:"counter"`
		FaultRules     []Fault
		hidden         map[string]string
	}
	fs, err := fieldsOf(reflect.TypeOf(untagged{}))
	if err != nil || len(fs) != 3 || fs[0].table != "change_requests" || fs[0].kind != kindMap || fs[1].table != metaTable || fs[1].id != "counter" ||
		fs[2].table != "fault_rules" || fs[2].kind != kindSlice {
		t.Fatalf("untagged fields = %+v, %v", fs, err)
	}
	bad := map[string]any{
		"int keys": struct{ M map[int]string }{},
		"reserved table": struct {
			M map[string]string `store:"jtis"`
		}{},
		"bad name": struct {
			M map[string]string `store:"Bad-Name"`
		}{},
		"not stored": struct {
			M map[string]string `json:"-"`
		}{},
		"scalar table": struct {
			N int `store:"numbers"`
		}{},
		"map in meta": struct {
			M map[string]string `store:"meta"`
		}{},
		"same table": struct {
			A map[string]string `store:"t"`
			B []string          `store:"t"`
		}{},
	}
	for name, v := range bad {
		if _, err := fieldsOf(reflect.TypeOf(v)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestUpdateWritesOnlyChangedRowsAndOthersSeeThem(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := openTestStore(t, dir)
	b := openTestStore(t, dir)
	if err := a.Update(func(st *State) error {
		for i := 0; i < 300; i++ {
			id := fmt.Sprintf("r%03d", i)
			st.Requests[id] = &Request{ID: id, SystemID: "sys", PartyOrgNo: "313367002", Status: "New"}
			st.Touch(&st.Requests, id)
		}
		st.Orgs["313367002"] = Org{OrgNo: "313367002", Name: "Lystig Ærlig Tiger AS"}
		st.Touch(&st.Orgs, "313367002")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// The other instance (another process's view) sees the write.
	_ = b.View(func(st *State) error {
		if len(st.Requests) != 300 || st.Orgs["313367002"].Name == "" {
			t.Fatalf("b sees %d requests", len(st.Requests))
		}
		return nil
	})
	var genBefore map[string]int64 = tableGens(t, a)
	// Changing one request writes one row of one table.
	if err := b.Update(func(st *State) error {
		st.Requests["r123"].Status = "Accepted"
		st.Touch(&st.Requests, "r123")
		if changes, err := diffState(b.fields, st, b.rows); err != nil || len(changes) != 1 || changes[0].id != "r123" {
			t.Fatalf("changes = %+v, %v", changes, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	genAfter := tableGens(t, a)
	for name, g := range genAfter {
		moved := g != genBefore[name]
		if moved != (name == "requests" || name == "*") {
			t.Errorf("generation of %s moved %v (%d -> %d)", name, moved, genBefore[name], g)
		}
	}
	var status string
	if err := a.rdb.QueryRow(`SELECT status FROM requests WHERE id = 'r123'`).Scan(&status); err != nil || status != "Accepted" {
		t.Fatalf("indexed column status = %q, %v", status, err)
	}
	_ = a.View(func(st *State) error {
		if st.Requests["r123"].Status != "Accepted" || st.Requests["r122"].Status != "New" {
			t.Fatalf("a sees %+v", st.Requests["r123"])
		}
		return nil
	})
	// Deleting is a change too.
	if err := a.Update(func(st *State) error { delete(st.Requests, "r000"); st.Touch(&st.Requests, "r000"); return nil }); err != nil {
		t.Fatal(err)
	}
	_ = b.View(func(st *State) error {
		if _, ok := st.Requests["r000"]; ok || len(st.Requests) != 299 {
			t.Fatalf("b still has r000 (%d requests)", len(st.Requests))
		}
		return nil
	})
	// An update that changes nothing writes nothing.
	g := tableGens(t, a)["*"]
	if err := a.Update(func(st *State) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if tableGens(t, a)["*"] != g {
		t.Fatal("an empty update bumped the generation")
	}
}

func tableGens(t *testing.T, s *Store) map[string]int64 {
	t.Helper()
	rows, err := s.rdb.Query(`SELECT name, gen FROM store_tables`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var n string
		var g int64
		if err := rows.Scan(&n, &g); err != nil {
			t.Fatal(err)
		}
		m[n] = g
	}
	return m
}

// A failed update is undone from its touched rows, or (checking writes, as tests do) from a
// full diff: both leave the state as stored.
func TestFailedUpdateLeavesStateAsStored(t *testing.T) {
	t.Parallel()
	for _, check := range []bool{false, true} {
		t.Run(fmt.Sprint("check=", check), func(t *testing.T) { failedUpdateLeavesStateAsStored(t, check) })
	}
}

func failedUpdateLeavesStateAsStored(t *testing.T, checkWrites bool) {
	dir := t.TempDir()
	s := openTestStore(t, dir)
	s.check = checkWrites
	if err := s.Update(func(st *State) error {
		st.Orgs["1"] = Org{OrgNo: "1", Name: "one"}
		st.Clients["c"] = &MPClient{ClientID: "c", ClientFields: mp.ClientFields{ClientName: "before"}}
		st.SigningKeys = []SigningKey{{Kid: "k1"}}
		st.Seq = 5
		st.Touch(&st.Orgs, "1")
		st.Touch(&st.Clients, "c")
		st.Touch(&st.SigningKeys)
		st.Touch(&st.Seq)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := s.Update(func(st *State) error {
		st.Orgs["2"] = Org{OrgNo: "2"}
		delete(st.Orgs, "1")
		st.Clients["c"].ClientName = "after" // changed in place
		st.SigningKeys = append(st.SigningKeys, SigningKey{Kid: "k2"})
		st.Seq = 6
		st.Bootstrap = &Bootstrap{VendorOrg: "x"}
		st.Touch(&st.Orgs, "1", "2")
		st.Touch(&st.Clients, "c")
		st.Touch(&st.SigningKeys)
		st.Touch(&st.Seq)
		st.Touch(&st.Bootstrap)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("update error = %v", err)
	}
	check := func(who string, st *State) {
		if _, ok := st.Orgs["2"]; ok || st.Orgs["1"].Name != "one" || st.Clients["c"].ClientName != "before" ||
			len(st.SigningKeys) != 1 || st.Seq != 5 || st.Bootstrap != nil {
			t.Fatalf("%s after a failed update: orgs %v client %+v keys %v seq %d bootstrap %v", who, st.Orgs, st.Clients["c"], st.SigningKeys, st.Seq, st.Bootstrap)
		}
	}
	_ = s.View(func(st *State) error { check("cache", st); return nil })
	_ = openTestStore(t, dir).View(func(st *State) error { check("database", st); return nil })
}

func TestJTIReplayAndPruning(t *testing.T) {
	t.Parallel()
	s := openTestStore(t, t.TempDir())
	ctx := context.Background()
	now := time.Unix(1_800_000_000, 0)
	for i := 0; i < 40; i++ {
		ok, err := s.UseJTI(ctx, "client", fmt.Sprint("old", i), now.Add(time.Minute), now)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
	}
	if ok, _ := s.UseJTI(ctx, "client", "old3", now.Add(time.Minute), now); ok {
		t.Fatal("a live jti was accepted twice")
	}
	if ok, _ := s.UseJTI(ctx, "other-client", "old3", now.Add(time.Minute), now); !ok {
		t.Fatal("jtis are per client")
	}
	// Two minutes later all 40 have expired: a used jti may come again, and inserts prune.
	later := now.Add(2 * time.Minute)
	if ok, _ := s.UseJTI(ctx, "client", "old3", later.Add(time.Minute), later); !ok {
		t.Fatal("an expired jti was refused")
	}
	count := func() int {
		var n int
		if err := s.rdb.QueryRow(`SELECT count(*) FROM jtis`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := 0; i < 3; i++ {
		if _, err := s.UseJTI(ctx, "client", fmt.Sprint("new", i), later.Add(time.Minute), later); err != nil {
			t.Fatal(err)
		}
	}
	// 41 expired rows before; each of the four inserts since deleted up to jtiPruneBatch of them.
	if n := count(); n != 4 {
		t.Fatalf("%d jtis left, want the 4 live ones", n)
	}
}

// Concurrent token requests share jti transactions; a jti is still accepted exactly once.
func TestConcurrentJTIsAcceptedOnce(t *testing.T) {
	t.Parallel()
	s := openTestStore(t, t.TempDir())
	now := time.Now()
	var wg sync.WaitGroup
	var fresh atomic.Int64
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			jti := fmt.Sprint("distinct", i)
			if i%2 == 0 {
				jti = "same"
			}
			ok, err := s.UseJTI(context.Background(), "client", jti, now.Add(time.Minute), now)
			if err != nil {
				t.Error(err)
			}
			if ok {
				fresh.Add(1)
			}
		}(i)
	}
	wg.Wait()
	if n := fresh.Load(); n != 32+1 {
		t.Fatalf("%d fresh, want the 32 distinct and one of the 32 identical", n)
	}
}

func TestDatabaseSettings(t *testing.T) {
	t.Parallel()
	s := openTestStore(t, t.TempDir())
	var mode string
	var syncMode, busy, version int
	for _, db := range []*sql.DB{s.wdb, s.rdb} {
		if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q, %v", mode, err)
		}
		if err := db.QueryRow("PRAGMA synchronous").Scan(&syncMode); err != nil || syncMode != 1 {
			t.Errorf("synchronous = %d, %v; want 1 (NORMAL)", syncMode, err)
		}
		if err := db.QueryRow("PRAGMA busy_timeout").Scan(&busy); err != nil || busy != int(busyTimeout.Milliseconds()) {
			t.Errorf("busy_timeout = %d, %v", busy, err)
		}
	}
	if err := s.rdb.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != len(migrations) {
		t.Errorf("user_version = %d, %v; want %d", version, err, len(migrations))
	}
	// A database from a newer sbs-tui is refused with a clear sentence, not half-used.
	dir := t.TempDir()
	s2 := openTestStore(t, dir)
	if _, err := s2.wdb.Exec(fmt.Sprintf("PRAGMA user_version = %d", len(migrations)+1)); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStore(dir); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("newer schema: %v", err)
	}
}

// BenchmarkStoreView is a view right after another connection committed (the token path sees
// one jti commit per request) and one with nothing committed since the last.
func BenchmarkStoreView(b *testing.B) {
	dir := b.TempDir()
	s, err := OpenStore(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.Run("unchanged", func(b *testing.B) {
		for b.Loop() {
			_ = s.View(func(*State) error { return nil })
		}
	})
	b.Run("after-jti", func(b *testing.B) {
		now := time.Now()
		i := 0
		for b.Loop() {
			b.StopTimer()
			i++
			_, _ = s.UseJTI(context.Background(), "c", fmt.Sprint(i), now.Add(time.Minute), now)
			b.StartTimer()
			_ = s.View(func(*State) error { return nil })
		}
	})
	b.Run("jti", func(b *testing.B) {
		now := time.Now()
		i := 0
		for b.Loop() {
			i++
			_, _ = s.UseJTI(context.Background(), "c", fmt.Sprint("x", i), now.Add(time.Minute), now)
		}
	})
}

func TestPanickingUpdateLeavesStateAsStored(t *testing.T) {
	t.Parallel()
	s := openTestStore(t, t.TempDir())
	if err := s.Update(func(st *State) error { st.Orgs["1"] = Org{Name: "one"}; st.Touch(&st.Orgs, "1"); return nil }); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() { _ = recover() }()
		_ = s.Update(func(st *State) error {
			st.Orgs["1"] = Org{Name: "changed"}
			st.Orgs["2"] = Org{Name: "two"}
			st.Touch(&st.Orgs, "1", "2")
			panic("handler bug")
		})
	}()
	// The next update commits only its own change, not the panicked one's.
	if err := s.Update(func(st *State) error { st.Seq = 9; st.Touch(&st.Seq); return nil }); err != nil {
		t.Fatal(err)
	}
	_ = openTestStore(t, s.dir).View(func(st *State) error {
		if st.Orgs["1"].Name != "one" || len(st.Orgs) != 1 || st.Seq != 9 {
			t.Fatalf("orgs %v seq %d", st.Orgs, st.Seq)
		}
		return nil
	})
}

// BenchmarkStoreUpdate changes one request among n: only the touched row is encoded and
// written (the check of tests is off, as outside tests).
func BenchmarkStoreUpdate(b *testing.B) {
	for _, n := range []int{0, 5000, 20000} {
		b.Run(fmt.Sprint("requests=", n), func(b *testing.B) {
			s, err := OpenStore(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			s.check = false
			if err := s.UpdateAll(func(st *State) error {
				for i := 0; i < max(n, 2); i++ {
					id := fmt.Sprintf("r%06d", i)
					st.Requests[id] = &Request{ID: id, SystemID: "974761076_sys", PartyOrgNo: "313367002", ExternalRef: id, Status: "New", Created: time.Now()}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				i++
				if err := s.Update(func(st *State) error {
					st.Requests["r000001"].Seq = int64(i)
					st.Touch(&st.Requests, "r000001")
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// An update that changes a row it does not touch fails under test, naming the row and the
// call that is missing; outside tests the untouched row is not written. A Touch given
// anything but a pointer to the State's field fails the update.
func TestUntouchedChangesAreCaught(t *testing.T) {
	t.Parallel()
	s := openTestStore(t, t.TempDir())
	err := s.Update(func(st *State) error {
		st.Requests["a"] = &Request{ID: "a"}
		st.Touch(&st.Requests, "a")
		st.Requests["b"] = &Request{ID: "b"} // forgotten
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), `State.Requests row "b" changed but was not touched: call st.Touch(&st.Requests, "b")`) {
		t.Fatalf("untouched change: %v", err)
	}
	_ = s.View(func(st *State) error {
		if len(st.Requests) != 0 {
			t.Fatalf("the refused update left %v in the cache", st.Requests)
		}
		return nil
	})

	s.check = false
	if err := s.Update(func(st *State) error {
		st.Requests["a"] = &Request{ID: "a"}
		st.Touch(&st.Requests, "a")
		st.Requests["b"] = &Request{ID: "b"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_ = openTestStore(t, s.dir).View(func(st *State) error {
		if st.Requests["a"] == nil || st.Requests["b"] != nil {
			t.Fatalf("stored requests %v: only the touched one is written", st.Requests)
		}
		return nil
	})

	other := newState()
	for name, field := range map[string]func(st *State) any{
		"a value":            func(st *State) any { return st.Requests },
		"another State":      func(*State) any { return &other.Requests },
		"a field's element":  func(st *State) any { return &st.Bootstrap.VendorOrg },
		"a nil pointer":      func(*State) any { return (*int64)(nil) },
		"another type's nil": func(st *State) any { return (*int)(nil) },
	} {
		err := s.Update(func(st *State) error {
			if st.Bootstrap == nil {
				st.Bootstrap = &Bootstrap{}
				st.Touch(&st.Bootstrap)
			}
			st.Touch(field(st))
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), "was not given a pointer to a field of the State") {
			t.Errorf("Touch(%s): %v", name, err)
		}
	}
}

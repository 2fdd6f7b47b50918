package world

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"sync"
	"testing"
)

// An update writes only the rows its function says it changed: a handler calls
// st.Touch(&st.Requests, id) for each entry it adds, changes or deletes, and st.Touch(&st.Seq)
// for a field stored whole (meta fields, slices). Finding changes by serialising the whole
// world instead cost 46 ms with 20,000 requests, under the write lock.
//
// A forgotten Touch loses a write silently, so tests check every update: under `go test`, or
// with SBS_SANDBOX_CHECK_WRITES set (the end-to-end tests set it for the binaries they run),
// the store also diffs the whole state and fails the update when a row changed untouched.

// CheckWritesEnv turns on the check of every update's touches outside `go test`.
const CheckWritesEnv = "SBS_SANDBOX_CHECK_WRITES"

// touches are the rows a running update changed, by State field index.
type touches struct {
	whole map[int]bool
	rows  map[int]map[string]bool
	err   error
}

func newTouches() *touches {
	return &touches{whole: map[int]bool{}, rows: map[int]map[string]bool{}}
}

func (t *touches) empty() bool { return len(t.whole) == 0 && len(t.rows) == 0 }

// fieldOffsets maps a State field's offset to its index, to resolve Touch's pointer (built
// on first use, not at start-up).
var fieldOffsets = sync.OnceValue(func() map[uintptr][]int {
	t := reflect.TypeOf(State{})
	m := map[uintptr][]int{}
	for i := 0; i < t.NumField(); i++ {
		m[t.Field(i).Offset] = append(m[t.Field(i).Offset], i)
	}
	return m
})

// Touch records, during an update, that the rows ids of field changed (added, replaced or
// deleted); field is a pointer to one of st's fields, e.g. &st.Requests. Without ids the
// whole field is written again: use that for meta fields and slices. Outside an update
// Touch does nothing.
func (st *State) Touch(field any, ids ...string) {
	t := st.touched
	if t == nil {
		return
	}
	i, ok := st.fieldIndex(field)
	if !ok {
		if t.err == nil {
			t.err = fmt.Errorf("sandbox store: Touch(%T) was not given a pointer to a field of the State being updated", field)
		}
		return
	}
	if len(ids) == 0 || reflect.TypeOf(State{}).Field(i).Type.Kind() != reflect.Map {
		t.whole[i] = true
		return
	}
	r := t.rows[i]
	if r == nil {
		r = map[string]bool{}
		t.rows[i] = r
	}
	for _, id := range ids {
		r[id] = true
	}
}

func (st *State) fieldIndex(field any) (int, bool) {
	p := reflect.ValueOf(field)
	if p.Kind() != reflect.Pointer || p.IsNil() {
		return 0, false
	}
	base := reflect.ValueOf(st).Pointer()
	addr := p.Pointer()
	if addr < base {
		return 0, false
	}
	st0 := reflect.TypeOf(State{})
	for _, i := range fieldOffsets()[addr-base] {
		if st0.Field(i).Type == p.Type().Elem() {
			return i, true
		}
	}
	return 0, false
}

// checkWrites reports whether updates verify their touches against a full diff.
func checkWrites() bool { return testing.Testing() || os.Getenv(CheckWritesEnv) != "" }

// diffTouched lists the touched rows of st that differ from rows.
func diffTouched(fields []stateField, st *State, rows map[string]map[string][]byte, t *touches) ([]change, error) {
	v := reflect.ValueOf(st).Elem()
	var out []change
	for i := range fields {
		f := &fields[i]
		fv := v.Field(f.index)
		if t.whole[f.index] {
			var err error
			if out, err = diffField(out, f, fv, rows[f.table]); err != nil {
				return nil, err
			}
			continue
		}
		ids := make([]string, 0, len(t.rows[f.index]))
		for id := range t.rows[f.index] {
			ids = append(ids, id)
		}
		sort.Strings(ids) // rows are written in a stable order
		old := rows[f.table]
		for _, id := range ids {
			e := fv.MapIndex(reflect.ValueOf(id).Convert(fv.Type().Key()))
			if !e.IsValid() {
				if _, had := old[id]; had {
					out = append(out, change{field: f, id: id})
				}
				continue
			}
			var err error
			if out, err = diffRow(out, f, id, e, old); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// untouched names the first change a full diff finds that the touched ones lack.
func untouched(full, touched []change) error {
	key := func(c change) string { return c.field.table + "\x00" + c.id }
	seen := map[string]bool{}
	for _, c := range touched {
		seen[key(c)] = true
	}
	for _, c := range full {
		if !seen[key(c)] {
			if c.field.kind == kindMap {
				return fmt.Errorf("sandbox store: State.%s row %q changed but was not touched: call st.Touch(&st.%s, %q) where it changes", c.field.name, c.id, c.field.name, c.id)
			}
			return fmt.Errorf("sandbox store: State.%s changed but was not touched: call st.Touch(&st.%s) where it changes", c.field.name, c.field.name)
		}
	}
	return nil
}

// diffRow appends row id of field f holding e when it differs from the stored rows.
func diffRow(out []change, f *stateField, id string, e reflect.Value, old map[string][]byte) ([]change, error) {
	doc, err := json.Marshal(e.Interface())
	if err != nil {
		return nil, fmt.Errorf("encode sandbox state %s %s: %w", f.table, id, err)
	}
	if prev, ok := old[id]; !ok || !bytes.Equal(prev, doc) {
		out = append(out, change{field: f, id: id, doc: doc})
	}
	return out, nil
}

// diffField appends every row of field f (value fv) that differs from old, and the deletions.
func diffField(out []change, f *stateField, fv reflect.Value, old map[string][]byte) ([]change, error) {
	var err error
	switch f.kind {
	case kindMeta:
		if _, ok := old[f.id]; !ok && fv.IsZero() {
			return out, nil // an absent row reads as the zero value
		}
		return diffRow(out, f, f.id, fv, old)
	case kindSlice:
		for j := 0; j < fv.Len(); j++ {
			if out, err = diffRow(out, f, sliceID(j), fv.Index(j), old); err != nil {
				return nil, err
			}
		}
		for id := range old {
			if j, ok := sliceIndex(id); !ok || j >= fv.Len() {
				out = append(out, change{field: f, id: id})
			}
		}
	case kindMap:
		present := 0
		it := fv.MapRange()
		for it.Next() {
			id := it.Key().String()
			if _, ok := old[id]; ok {
				present++
			}
			if out, err = diffRow(out, f, id, it.Value(), old); err != nil {
				return nil, err
			}
		}
		if present < len(old) {
			gone := []string{}
			for id := range old {
				if !fv.MapIndex(reflect.ValueOf(id).Convert(fv.Type().Key())).IsValid() {
					gone = append(gone, id)
				}
			}
			slices.Sort(gone)
			for _, id := range gone {
				out = append(out, change{field: f, id: id})
			}
		}
	}
	return out, nil
}

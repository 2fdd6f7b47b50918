package world

// The sandbox's world (State) lives in one SQLite database, sandbox.db in the data directory
// (modernc.org/sqlite, pure Go), in WAL mode so that a `sandbox serve` and other commands on the
// same directory share it. Every State field is persisted row by row, one table per field:
//
//   - a map with string keys is a table name(id TEXT PRIMARY KEY, doc TEXT): one row per entry,
//     the entry's JSON in doc;
//   - a slice is a table with one row per element, id its position ("000000", "000001", …);
//   - any other field is one row of the meta table, id its JSON name.
//
// HOW TO ADD A TABLE: add an exported field to State with a `store:"table_name"` tag (a map or
// a slice; other fields take `store:"meta"`). That is all: on open, a table the database lacks
// is created as (id, doc). A field without a tag is stored under its JSON name (else its Go
// name in snake_case), so a field added in a merge is never silently dropped;
// TestEveryStateFieldIsPersisted round-trips every field (a map needs string keys).
// To give a table indexed columns, append a migration to `migrations` (generated columns over
// json_extract(doc, …) plus an index); never change a migration that has shipped.
//
// Handlers keep working on *State: View runs fn on an in-process cache under a read lock;
// Update runs fn under the write lock inside one IMMEDIATE transaction, diffs the state against
// the last-known serialized rows and writes only the rows that changed, so no write grows with
// the size of the state. Every committing update bumps a generation (store_tables, row "*");
// another process's commit is noticed through PRAGMA data_version and reloads only the tables
// whose generation moved. The jti replay cache is not part of State: it is the jtis table.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

const (
	// DatabaseFile is the sandbox's database in its data directory.
	DatabaseFile = "sandbox.db"
	// LegacyStateFile is the JSON file earlier versions kept the state in; it is imported once.
	LegacyStateFile = "state.json"
	metaTable       = "meta"
	// busyTimeout is how long a statement waits for another process's write transaction.
	busyTimeout = 10 * time.Second
	// jtiPruneBatch bounds the expired jtis deleted by one insert: more than one per insert, so
	// the table never holds many more entries than live grants.
	jtiPruneBatch = 16
)

// migrations bring the schema from version i to i+1 (PRAGMA user_version counts those applied).
// Append only. Tables for State fields that no migration creates are made by ensureTables.
var migrations = []string{
	// 1: bookkeeping, the jti cache and the tables of the first State, with indexed columns.
	`CREATE TABLE store_tables(name TEXT PRIMARY KEY, gen INTEGER NOT NULL) WITHOUT ROWID;
	INSERT INTO store_tables(name, gen) VALUES('*', 0);
	CREATE TABLE jtis(client_id TEXT NOT NULL, jti TEXT NOT NULL, exp INTEGER NOT NULL, PRIMARY KEY(client_id, jti)) WITHOUT ROWID;
	CREATE INDEX jtis_exp ON jtis(exp);
	CREATE TABLE meta(id TEXT PRIMARY KEY, doc TEXT NOT NULL);
	CREATE TABLE signing_keys(id TEXT PRIMARY KEY, doc TEXT NOT NULL,
		kid TEXT GENERATED ALWAYS AS (json_extract(doc, '$.kid')) VIRTUAL);
	CREATE TABLE orgs(id TEXT PRIMARY KEY, doc TEXT NOT NULL,
		name TEXT GENERATED ALWAYS AS (json_extract(doc, '$.name')) VIRTUAL);
	CREATE TABLE clients(id TEXT PRIMARY KEY, doc TEXT NOT NULL,
		org TEXT GENERATED ALWAYS AS (json_extract(doc, '$.client_orgno')) VIRTUAL,
		name TEXT GENERATED ALWAYS AS (json_extract(doc, '$.client_name')) VIRTUAL);
	CREATE INDEX clients_org ON clients(org);
	CREATE TABLE scopes(id TEXT PRIMARY KEY, doc TEXT NOT NULL);
	CREATE TABLE delegations(id TEXT PRIMARY KEY, doc TEXT NOT NULL);
	CREATE TABLE systems(id TEXT PRIMARY KEY, doc TEXT NOT NULL,
		vendor_org TEXT GENERATED ALWAYS AS (json_extract(doc, '$.vendor_org')) VIRTUAL);
	CREATE INDEX systems_vendor ON systems(vendor_org);
	CREATE TABLE requests(id TEXT PRIMARY KEY, doc TEXT NOT NULL,
		system_id TEXT GENERATED ALWAYS AS (json_extract(doc, '$.system_id')) VIRTUAL,
		party_orgno TEXT GENERATED ALWAYS AS (json_extract(doc, '$.party_orgno')) VIRTUAL,
		external_ref TEXT GENERATED ALWAYS AS (json_extract(doc, '$.external_ref')) VIRTUAL,
		status TEXT GENERATED ALWAYS AS (json_extract(doc, '$.status')) VIRTUAL);
	CREATE INDEX requests_triple ON requests(system_id, party_orgno, external_ref);
	CREATE TABLE system_users(id TEXT PRIMARY KEY, doc TEXT NOT NULL,
		system_id TEXT GENERATED ALWAYS AS (json_extract(doc, '$.system_id')) VIRTUAL,
		owner_org TEXT GENERATED ALWAYS AS (json_extract(doc, '$.owner_org')) VIRTUAL,
		external_ref TEXT GENERATED ALWAYS AS (json_extract(doc, '$.external_ref')) VIRTUAL);
	CREATE INDEX system_users_triple ON system_users(system_id, owner_org, external_ref);
	CREATE TABLE resources(id TEXT PRIMARY KEY, doc TEXT NOT NULL,
		type TEXT GENERATED ALWAYS AS (json_extract(doc, '$')) VIRTUAL);`,
}

type fieldKind int

const (
	kindMap fieldKind = iota
	kindSlice
	kindMeta
)

// stateField is how one State field is persisted.
type stateField struct {
	name  string // Go field name, for messages
	index int
	kind  fieldKind
	table string
	id    string // the meta row, for kindMeta
}

// tableName is compiled on first use, not at start-up.
var tableName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9_]*$`) })

// reservedTables hold the store's own bookkeeping; no State field may use them.
var reservedTables = map[string]bool{"store_tables": true, "jtis": true}

// stateFields derives the persistence of every exported State field from its tags.
func stateFields() ([]stateField, error) { return fieldsOf(reflect.TypeOf(State{})) }

func fieldsOf(t reflect.Type) ([]stateField, error) {
	var out []stateField
	owner := map[string]string{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		jsonName, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if jsonName == "" {
			jsonName = snakeCase(f.Name)
		}
		tag := f.Tag.Get("store")
		sf := stateField{name: f.Name, index: i}
		switch f.Type.Kind() {
		case reflect.Map:
			if f.Type.Key().Kind() != reflect.String {
				return nil, fmt.Errorf("sandbox store: State.%s is a map with %s keys; only string keys can be row ids", f.Name, f.Type.Key())
			}
			sf.kind = kindMap
		case reflect.Slice:
			sf.kind = kindSlice
		default:
			sf.kind = kindMeta
		}
		if sf.kind == kindMeta {
			if tag != "" && tag != metaTable {
				return nil, fmt.Errorf("sandbox store: State.%s is neither a map nor a slice; tag it store:%q", f.Name, metaTable)
			}
			sf.table, sf.id = metaTable, jsonName
		} else {
			sf.table = tag
			if sf.table == "" {
				sf.table = jsonName
			}
		}
		if jsonName == "-" || !tableName().MatchString(sf.table) || reservedTables[sf.table] || (sf.kind != kindMeta && sf.table == metaTable) {
			return nil, fmt.Errorf("sandbox store: State.%s cannot be stored in table %q; give it a store:\"name\" tag (lower case, unique)", f.Name, sf.table)
		}
		key := sf.table + "/" + sf.id
		if prev, dup := owner[key]; dup {
			return nil, fmt.Errorf("sandbox store: State.%s and State.%s both map to table %s", prev, f.Name, sf.table)
		}
		owner[key] = f.Name
		out = append(out, sf)
	}
	return out, nil
}

// snakeCase turns a Go field name into a table name: ChangeRequests -> change_requests.
func snakeCase(name string) string {
	var b strings.Builder
	for i, r := range name {
		if r >= 'A' && r <= 'Z' {
			if i > 0 && !(name[i-1] >= 'A' && name[i-1] <= 'Z') {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Store is the sandbox's world in sandbox.db, with a parsed copy cached in the process.
type Store struct {
	dir, path string
	fields    []stateField
	tables    []string // every table of a State field, sorted

	wdb *sql.DB // one connection, IMMEDIATE transactions: every write
	rdb *sql.DB // readers: reloads, replay checks

	// checkers are connections that never write, for PRAGMA data_version, which changes when
	// another connection commits; several, so concurrent requests do not queue for one.
	checkers chan *verChecker
	nCheck   int
	verEpoch atomic.Int64 // bumped when the cache is dropped: every checker's last is stale

	insertJTI, pruneJTIs *sql.Stmt
	jtiBatch             jtiBatcher

	// wmu orders the cache's writers (update, reload): rows, gens and gen belong to its holder.
	wmu  sync.Mutex
	rows map[string]map[string][]byte // table -> id -> doc, as last read or written
	gens map[string]int64             // table -> generation of rows
	gen  atomic.Int64                 // the database generation the cache reflects

	// check makes every update verify its touches against a full diff (see checkWrites).
	check bool

	closeOnce sync.Once
	closeErr  error

	// rw guards state: views hold it shared, writers exclusively while they change it.
	rw    sync.RWMutex
	state *State
}

func sqliteDSN(path string, extra string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	u := url.URL{Scheme: "file", Path: p}
	// No journal_mode here: WAL is a property of the file, set once by useWAL.
	return u.String() + "?_pragma=busy_timeout(" + fmt.Sprint(busyTimeout.Milliseconds()) + ")&_pragma=synchronous(NORMAL)" + extra
}

// useWAL switches the database file to WAL mode, which then holds for every connection of
// every process. Processes that meet a new file at the same moment race to switch it, and
// SQLite answers the loser SQLITE_BUSY at once, without its busy timeout; so the switch is
// retried, with a jittered pause, for as long as that timeout.
func (s *Store) useWAL(ctx context.Context) error {
	deadline := time.Now().Add(busyTimeout)
	for attempt := 1; ; attempt++ {
		var mode string
		err := s.wdb.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode)
		switch {
		case err == nil && mode == "wal":
			return nil
		case err == nil:
			return fmt.Errorf("sandbox database %s: SQLite keeps journal mode %q, not WAL; use a data directory on a local disk", s.path, mode)
		case !isBusy(err) || time.Now().After(deadline):
			return s.dbError(err)
		}
		pause := time.Duration(attempt*attempt) * time.Millisecond
		pause = min(pause, 50*time.Millisecond) + time.Duration(rand.Int64N(int64(5*time.Millisecond)))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
}

// isBusy reports whether err is SQLite's "another connection holds the lock".
func isBusy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}

func OpenStore(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create sandbox data directory %s: %w", dir, err)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("sandbox data directory %s: %w", dir, err)
	}
	fields, err := stateFields()
	if err != nil {
		return nil, err
	}
	s := &Store{dir: dir, path: filepath.Join(dir, DatabaseFile), fields: fields, rows: map[string]map[string][]byte{}, gens: map[string]int64{}, state: newState(), check: checkWrites()}
	seen := map[string]bool{}
	for _, f := range fields {
		if !seen[f.table] {
			seen[f.table] = true
			s.tables = append(s.tables, f.table)
		}
	}
	sort.Strings(s.tables)
	s.gen.Store(-1)
	// The database holds the signing keys: create it private; SQLite gives -wal and -shm the
	// same mode.
	if f, err := os.OpenFile(s.path, os.O_RDONLY|os.O_CREATE, 0o600); err == nil {
		f.Close()
	}
	if err := s.open(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) open() error {
	var err error
	// The writer's page cache holds the jti table's pages (random keys: an insert touches any
	// leaf) for some 100,000 live grants; SQLite's default 2 MB would read most of them again.
	if s.wdb, err = sql.Open("sqlite", sqliteDSN(s.path, "&_txlock=immediate&_pragma=cache_size(-32768)")); err != nil {
		return s.dbError(err)
	}
	s.wdb.SetMaxOpenConns(1)
	s.wdb.SetConnMaxIdleTime(0)
	ctx := context.Background()
	if err := s.useWAL(ctx); err != nil {
		return err
	}
	if s.rdb, err = sql.Open("sqlite", sqliteDSN(s.path, "")); err != nil {
		return s.dbError(err)
	}
	s.rdb.SetMaxOpenConns(8)
	s.rdb.SetMaxIdleConns(8)
	if err := s.migrate(ctx); err != nil {
		return err
	}
	if err := s.importLegacy(ctx); err != nil {
		return err
	}
	s.checkers = make(chan *verChecker, verCheckers)
	for ; s.nCheck < verCheckers; s.nCheck++ {
		c := &verChecker{last: -1}
		if c.conn, err = s.rdb.Conn(ctx); err != nil {
			return s.dbError(err)
		}
		s.checkers <- c
		if c.ver, err = c.conn.PrepareContext(ctx, "PRAGMA data_version"); err != nil {
			return s.dbError(err)
		}
		if c.gen, err = c.conn.PrepareContext(ctx, `SELECT gen FROM store_tables WHERE name = '*'`); err != nil {
			return s.dbError(err)
		}
	}
	if s.insertJTI, err = s.wdb.PrepareContext(ctx, `INSERT INTO jtis(client_id, jti, exp) VALUES(?, ?, ?)
		ON CONFLICT(client_id, jti) DO UPDATE SET exp = excluded.exp WHERE jtis.exp <= ?`); err != nil {
		return s.dbError(err)
	}
	if s.pruneJTIs, err = s.wdb.PrepareContext(ctx, `DELETE FROM jtis WHERE (client_id, jti) IN
		(SELECT client_id, jti FROM jtis WHERE exp <= ? ORDER BY exp LIMIT `+fmt.Sprint(jtiPruneBatch)+`)`); err != nil {
		return s.dbError(err)
	}
	return s.refresh(ctx)
}

func (s *Store) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.closeAll() })
	return s.closeErr
}

// ReadDB is the pool of read connections, for tests that look at the tables themselves.
func (s *Store) ReadDB() *sql.DB { return s.rdb }

func (s *Store) closeAll() error {
	var errs []error
	for _, st := range []*sql.Stmt{s.insertJTI, s.pruneJTIs} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	for ; s.nCheck > 0; s.nCheck-- {
		c := <-s.checkers
		for _, st := range []*sql.Stmt{c.ver, c.gen} {
			if st != nil {
				errs = append(errs, st.Close())
			}
		}
		errs = append(errs, c.conn.Close())
	}
	for _, db := range []*sql.DB{s.rdb, s.wdb} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	return errors.Join(errs...)
}

// dbError turns a database failure into a sentence that names the file and what to do.
func (s *Store) dbError(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "SQLITE_NOTADB") || strings.Contains(msg, "not a database") || strings.Contains(msg, "malformed"):
		return fmt.Errorf("sandbox database %s is corrupt (%v); move it away to start afresh", s.path, err)
	case isBusy(err):
		return fmt.Errorf("sandbox database %s stayed locked by another process for %s (%v); try again, or stop the other sbs-tui", s.path, busyTimeout, err)
	}
	return fmt.Errorf("sandbox database %s: %w", s.path, err)
}

// migrate applies the migrations not yet applied and creates the tables of State fields that
// none created. It takes the write lock only when there is something to do.
func (s *Store) migrate(ctx context.Context) error {
	pending := func(q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	}) (int, []string, error) {
		var v int
		if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			return 0, nil, err
		}
		rows, err := q.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table'")
		if err != nil {
			return 0, nil, err
		}
		defer rows.Close()
		have := map[string]bool{}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return 0, nil, err
			}
			have[n] = true
		}
		var missing []string
		for _, t := range s.tables {
			if !have[t] {
				missing = append(missing, t)
			}
		}
		return v, missing, rows.Err()
	}
	v, missing, err := pending(s.rdb)
	if err != nil {
		return s.dbError(err)
	}
	if v > len(migrations) {
		return fmt.Errorf("sandbox database %s has schema version %d, newer than this sbs-tui knows (%d); update sbs-tui or use another data directory", s.path, v, len(migrations))
	}
	if v == len(migrations) && len(missing) == 0 {
		return nil
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return s.dbError(err)
	}
	defer tx.Rollback()
	if v, _, err = pending(tx); err != nil { // again, under the lock: another process may have migrated
		return s.dbError(err)
	}
	for ; v < len(migrations); v++ {
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("sandbox database %s: migration %d: %w", s.path, v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			return s.dbError(err)
		}
	}
	if _, missing, err = pending(tx); err != nil {
		return s.dbError(err)
	}
	for _, t := range missing {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE "`+t+`"(id TEXT PRIMARY KEY, doc TEXT NOT NULL)`); err != nil {
			return s.dbError(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return s.dbError(err)
	}
	return nil
}

// importLegacy moves an existing state.json into the database, in one transaction, and
// renames it state.json.imported. It also removes temporary files an interrupted write of
// state.json left behind.
func (s *Store) importLegacy(ctx context.Context) error {
	if tmps, _ := filepath.Glob(filepath.Join(s.dir, "."+LegacyStateFile+".tmp-*")); len(tmps) > 0 {
		for _, t := range tmps {
			_ = os.Remove(t)
		}
	}
	legacy := filepath.Join(s.dir, LegacyStateFile)
	data, err := os.ReadFile(legacy)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sandbox state: %w", err)
	}
	st := newState()
	var jtis struct {
		JTIs map[string]time.Time `json:"jtis"`
	}
	if err := json.Unmarshal(data, st); err != nil {
		return fmt.Errorf("sandbox state %s is corrupt (%v); move it away to start afresh", legacy, err)
	}
	if err := json.Unmarshal(data, &jtis); err != nil {
		return fmt.Errorf("sandbox state %s is corrupt (%v); move it away to start afresh", legacy, err)
	}
	st.fill()
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return s.dbError(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE id = 'bootstrap' AND doc <> 'null'`).Scan(&n); err != nil {
		return s.dbError(err)
	}
	if n == 0 { // not imported yet (a crash may have come between the commit and the rename)
		changes, err := diffState(s.fields, st, map[string]map[string][]byte{})
		if err != nil {
			return err
		}
		if _, err := s.write(ctx, tx, changes); err != nil {
			return err
		}
		now := time.Now().Unix()
		for key, exp := range jtis.JTIs {
			client, jti, ok := strings.Cut(key, "\x00")
			if !ok || exp.Unix() <= now {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO jtis(client_id, jti, exp) VALUES(?, ?, ?)`, client, jti, exp.Unix()); err != nil {
				return s.dbError(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return s.dbError(err)
	}
	if err := os.Rename(legacy, legacy+".imported"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("sandbox state imported into %s, but %s could not be renamed: %w", s.path, legacy, err)
	}
	return nil
}

// change is one row to write (doc) or delete (doc == nil).
type change struct {
	field *stateField
	id    string
	doc   []byte
}

// diffState lists the rows of st that differ from rows, in every field.
func diffState(fields []stateField, st *State, rows map[string]map[string][]byte) ([]change, error) {
	v := reflect.ValueOf(st).Elem()
	var out []change
	for i := range fields {
		var err error
		if out, err = diffField(out, &fields[i], v.Field(fields[i].index), rows[fields[i].table]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func sliceID(i int) string { return fmt.Sprintf("%06d", i) }

func sliceIndex(id string) (int, bool) {
	var i int
	if _, err := fmt.Sscanf(id, "%06d", &i); err != nil || sliceID(i) != id {
		return 0, false
	}
	return i, true
}

// write stores changes in tx and bumps the generations; it returns the new database
// generation (unchanged when there is nothing to write).
func (s *Store) write(ctx context.Context, tx *sql.Tx, changes []change) (int64, error) {
	var gen int64
	if err := tx.QueryRowContext(ctx, `SELECT gen FROM store_tables WHERE name = '*'`).Scan(&gen); err != nil {
		return 0, s.dbError(err)
	}
	if len(changes) == 0 {
		return gen, nil
	}
	gen++
	touched := map[string]bool{"*": true}
	for _, c := range changes {
		t := c.field.table
		touched[t] = true
		var err error
		if c.doc == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM "`+t+`" WHERE id = ?`, c.id)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO "`+t+`"(id, doc) VALUES(?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc`, c.id, string(c.doc))
		}
		if err != nil {
			return 0, s.dbError(err)
		}
	}
	for t := range touched {
		if _, err := tx.ExecContext(ctx, `INSERT INTO store_tables(name, gen) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET gen = excluded.gen`, t, gen); err != nil {
			return 0, s.dbError(err)
		}
	}
	return gen, nil
}

// fillMaps makes every nil map field of st empty, so handlers can write to any of them.
func fillMaps(st *State) {
	v := reflect.ValueOf(st).Elem()
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.Map && f.IsNil() && f.CanSet() {
			f.Set(reflect.MakeMap(f.Type()))
		}
	}
}

// verCheckers is how many connections check PRAGMA data_version side by side.
const verCheckers = 4

// verChecker is a connection that never writes. Its PRAGMA data_version changes whenever any
// other connection, in this process or another, has committed; last is the value at which
// the cache was last found current (valid while epoch is the store's verEpoch).
type verChecker struct {
	conn     *sql.Conn
	ver, gen *sql.Stmt
	last     int64
	epoch    int64
}

// refresh brings the cache up to date with the database when another connection committed.
func (s *Store) refresh(ctx context.Context) error {
	var c *verChecker
	select {
	case c = <-s.checkers:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { s.checkers <- c }()
	epoch := s.verEpoch.Load()
	var ver int64
	if err := c.ver.QueryRowContext(ctx).Scan(&ver); err != nil {
		return s.dbError(err)
	}
	if ver == c.last && epoch == c.epoch {
		return nil
	}
	var gen int64
	if err := c.gen.QueryRowContext(ctx).Scan(&gen); err != nil {
		return s.dbError(err)
	}
	if gen != s.gen.Load() {
		s.wmu.Lock()
		err := s.reload(ctx, nil)
		s.wmu.Unlock()
		if err != nil {
			return err
		}
	}
	c.last, c.epoch = ver, epoch
	return nil
}

type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

// reload reads the tables whose generation differs from the cache's, in tx if given (a write
// transaction) or else in a read transaction of its own, and updates the cache. Holds wmu.
func (s *Store) reload(ctx context.Context, tx *sql.Tx) error {
	var q querier = tx
	if tx == nil {
		rtx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return s.dbError(err)
		}
		defer rtx.Rollback()
		q = rtx
	}
	gens := map[string]int64{}
	rows, err := q.QueryContext(ctx, `SELECT name, gen FROM store_tables`)
	if err != nil {
		return s.dbError(err)
	}
	for rows.Next() {
		var n string
		var g int64
		if err := rows.Scan(&n, &g); err != nil {
			rows.Close()
			return s.dbError(err)
		}
		gens[n] = g
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.dbError(err)
	}
	fresh := map[string]map[string][]byte{}
	for _, t := range s.tables {
		if g, ok := s.gens[t]; ok && g == gens[t] && s.gen.Load() >= 0 {
			continue
		}
		rs, err := q.QueryContext(ctx, `SELECT id, doc FROM "`+t+`"`)
		if err != nil {
			return s.dbError(err)
		}
		m := map[string][]byte{}
		for rs.Next() {
			var id string
			var doc []byte
			if err := rs.Scan(&id, &doc); err != nil {
				rs.Close()
				return s.dbError(err)
			}
			m[id] = doc
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return s.dbError(err)
		}
		fresh[t] = m
	}
	s.rw.Lock()
	defer s.rw.Unlock()
	for t, m := range fresh {
		if err := s.applyRows(t, m); err != nil {
			s.forget() // the cache may be half-updated
			return err
		}
		s.rows[t] = m
		s.gens[t] = gens[t]
	}
	s.gen.Store(gens["*"])
	return nil
}

// applyRows makes the cached State's fields stored in table t hold rows m, parsing only the
// rows that differ from the ones cached. Holds rw.
func (s *Store) applyRows(t string, m map[string][]byte) error {
	v := reflect.ValueOf(s.state).Elem()
	old := s.rows[t]
	for i := range s.fields {
		f := &s.fields[i]
		if f.table != t {
			continue
		}
		fv := v.Field(f.index)
		switch f.kind {
		case kindMeta:
			doc, ok := m[f.id]
			if prev, had := old[f.id]; ok && had && bytes.Equal(prev, doc) {
				continue
			}
			nv := reflect.New(fv.Type())
			if ok {
				if err := json.Unmarshal(doc, nv.Interface()); err != nil {
					return s.corruptRow(t, f.id, err)
				}
			}
			fv.Set(nv.Elem())
		case kindSlice:
			ids := make([]string, 0, len(m))
			for id := range m {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			nv := reflect.MakeSlice(fv.Type(), 0, len(ids))
			for _, id := range ids {
				e := reflect.New(fv.Type().Elem())
				if err := json.Unmarshal(m[id], e.Interface()); err != nil {
					return s.corruptRow(t, id, err)
				}
				nv = reflect.Append(nv, e.Elem())
			}
			if len(ids) == 0 {
				nv = reflect.Zero(fv.Type())
			}
			fv.Set(nv)
		case kindMap:
			if fv.IsNil() {
				fv.Set(reflect.MakeMap(fv.Type()))
			}
			kt, et := fv.Type().Key(), fv.Type().Elem()
			for id, doc := range m {
				if prev, had := old[id]; had && bytes.Equal(prev, doc) && fv.MapIndex(reflect.ValueOf(id).Convert(kt)).IsValid() {
					continue
				}
				e := reflect.New(et)
				if err := json.Unmarshal(doc, e.Interface()); err != nil {
					return s.corruptRow(t, id, err)
				}
				fv.SetMapIndex(reflect.ValueOf(id).Convert(kt), e.Elem())
			}
			for id := range old {
				if _, ok := m[id]; !ok {
					fv.SetMapIndex(reflect.ValueOf(id).Convert(kt), reflect.Value{})
				}
			}
		}
	}
	fillMaps(s.state)
	return nil
}

func (s *Store) corruptRow(t, id string, err error) error {
	return fmt.Errorf("sandbox database %s: row %q of table %s is corrupt (%v); delete the row with the sqlite3 shell or move the database away to start afresh", s.path, id, t, err)
}

// View runs fn on the current state under the read lock. fn must not change the state nor
// keep references into it after it returns.
func (s *Store) View(fn func(*State) error) error {
	if err := s.refresh(context.Background()); err != nil {
		return err
	}
	s.rw.RLock()
	defer s.rw.RUnlock()
	return fn(s.state)
}

// Update runs fn on the current state inside one write transaction and commits the rows fn
// changed and touched (see State.Touch): only those are compared and written. If fn fails,
// nothing is written and the cache is restored to the stored rows.
func (s *Store) Update(fn func(*State) error) error { return s.run(fn, false) }

// UpdateAll is update for functions that do not say what they change (the seed, upgrades,
// Sandbox.Update for tests and admin commands): every row is compared.
func (s *Store) UpdateAll(fn func(*State) error) error { return s.run(fn, true) }

func (s *Store) run(fn func(*State) error, all bool) error {
	ctx := context.Background()
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.wdb.BeginTx(ctx, nil) // BEGIN IMMEDIATE: waits for other processes' writers
	if err != nil {
		return s.dbError(err)
	}
	defer tx.Rollback()
	var gen int64
	if err := tx.QueryRowContext(ctx, `SELECT gen FROM store_tables WHERE name = '*'`).Scan(&gen); err != nil {
		return s.dbError(err)
	}
	if gen != s.gen.Load() {
		if err := s.reload(ctx, tx); err != nil {
			return err
		}
	}
	s.rw.Lock()
	defer s.rw.Unlock()
	t := newTouches()
	s.state.touched = t
	done := false
	defer func() {
		s.state.touched = nil
		if !done { // fn panicked: the request fails, the cache must not keep its half-changes
			if s.restore(nil) != nil {
				s.forget()
			}
		}
	}()
	ferr := fn(s.state)
	s.state.touched = nil
	done = true
	if ferr == nil {
		ferr = t.err
	}
	var changes []change
	if ferr == nil {
		changes, ferr = s.changes(t, all)
	}
	var newGen int64
	if ferr == nil {
		newGen, ferr = s.write(ctx, tx, changes)
	}
	if ferr == nil && len(changes) > 0 {
		if err := tx.Commit(); err != nil {
			ferr = s.dbError(err)
		}
	}
	if ferr != nil {
		if all {
			t = nil
		}
		if err := s.restore(t); err != nil {
			s.forget()
			return errors.Join(ferr, err)
		}
		return ferr
	}
	for _, c := range changes {
		m := s.rows[c.field.table]
		if m == nil {
			m = map[string][]byte{}
			s.rows[c.field.table] = m
		}
		if c.doc == nil {
			delete(m, c.id)
		} else {
			m[c.id] = c.doc
		}
		s.gens[c.field.table] = newGen
	}
	fillMaps(s.state)
	s.gen.Store(newGen)
	return nil
}

// changes are the rows an update wrote: the touched ones, or all with all. Under test (see
// checkWrites) a full diff must find nothing more than the touched rows.
func (s *Store) changes(t *touches, all bool) ([]change, error) {
	if all {
		return diffState(s.fields, s.state, s.rows)
	}
	changes, err := diffTouched(s.fields, s.state, s.rows, t)
	if err != nil || !s.check {
		return changes, err
	}
	full, err := diffState(s.fields, s.state, s.rows)
	if err != nil {
		return nil, err
	}
	if err := untouched(full, changes); err != nil {
		return nil, err
	}
	return changes, nil
}

// forget drops the cache, so the next view or update reads everything again. Holds wmu and rw.
func (s *Store) forget() {
	s.rows, s.gens, s.state = map[string]map[string][]byte{}, map[string]int64{}, newState()
	s.gen.Store(-1)
	s.verEpoch.Add(1)
}

// restore undoes what a failed update did to the cached state, from the stored rows: only
// the rows that differ are parsed again, among the touched ones when t is given (a function
// that panicked or does not say what it touches is undone from a full diff). Holds wmu and rw.
func (s *Store) restore(t *touches) error {
	var changes []change
	var err error
	if t != nil && !s.check {
		changes, err = diffTouched(s.fields, s.state, s.rows, t)
	} else {
		changes, err = diffState(s.fields, s.state, s.rows)
	}
	if err != nil {
		// Unencodable state: rebuild everything.
		s.state = newState()
		for _, t := range s.tables {
			saved := s.rows[t]
			s.rows[t] = nil
			if err := s.applyRows(t, saved); err != nil {
				return err
			}
			s.rows[t] = saved
		}
		return nil
	}
	touched := map[string]bool{}
	for _, c := range changes {
		touched[c.field.table] = true
	}
	v := reflect.ValueOf(s.state).Elem()
	for t := range touched {
		saved := s.rows[t]
		// Drop the changed rows from what applyRows believes is cached, so it parses them again.
		partial := map[string][]byte{}
		for id, doc := range saved {
			partial[id] = doc
		}
		for _, c := range changes {
			if c.field.table == t {
				delete(partial, c.id)
				if c.field.kind == kindMap {
					fv := v.Field(c.field.index)
					if _, ok := saved[c.id]; !ok {
						fv.SetMapIndex(reflect.ValueOf(c.id).Convert(fv.Type().Key()), reflect.Value{})
					}
				}
			}
		}
		s.rows[t] = partial
		err := s.applyRows(t, saved)
		s.rows[t] = saved
		if err != nil {
			return err
		}
	}
	return nil
}

package world

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"
)

// The jti replay cache: table jtis(client_id, jti, exp), indexed on exp. It is not part of
// State, so recording a grant costs one small row, whatever the size of the world.

// jtiUse is one grant's jti waiting to be recorded.
type jtiUse struct {
	clientID, jti string
	exp, now      int64
	fresh         bool
	err           error
	done          chan struct{}
}

// jtiBatcher groups the jti inserts of concurrent token requests into one transaction: the
// first caller to find no transaction running commits everything queued meanwhile, so a lone
// request waits for nobody and many pay for one commit.
type jtiBatcher struct {
	mu      sync.Mutex
	queue   []*jtiUse
	running bool
}

// UseJTI records that clientID used jti in a grant valid until exp. It reports false when a
// live entry exists: a replay. The same transaction deletes a bounded batch of expired
// entries, so the table holds about as many rows as there are live grants.
func (s *Store) UseJTI(ctx context.Context, clientID, jti string, exp, now time.Time) (bool, error) {
	u := &jtiUse{clientID: clientID, jti: jti, exp: exp.Unix(), now: now.Unix(), done: make(chan struct{})}
	b := &s.jtiBatch
	b.mu.Lock()
	b.queue = append(b.queue, u)
	if b.running {
		b.mu.Unlock()
		select {
		case <-u.done:
			return u.fresh, u.err
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	b.running = true
	for len(b.queue) > 0 {
		batch := b.queue
		b.queue = nil
		b.mu.Unlock()
		err := s.insertJTIs(batch)
		for _, x := range batch {
			if err != nil {
				x.err = err
			}
			close(x.done)
		}
		b.mu.Lock()
	}
	b.running = false
	b.mu.Unlock()
	<-u.done
	return u.fresh, u.err
}

// insertJTIs records a batch in one transaction, setting each one's fresh.
func (s *Store) insertJTIs(batch []*jtiUse) error {
	ctx := context.Background() // a batch serves several requests: none's cancellation ends it
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return s.dbError(err)
	}
	defer tx.Rollback()
	if _, err := tx.StmtContext(ctx, s.pruneJTIs).ExecContext(ctx, batch[0].now); err != nil {
		return s.dbError(err)
	}
	insert := tx.StmtContext(ctx, s.insertJTI)
	for _, u := range batch {
		res, err := insert.ExecContext(ctx, u.clientID, u.jti, u.exp, u.now)
		if err != nil {
			return s.dbError(err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return s.dbError(err)
		}
		u.fresh = n > 0
	}
	if err := tx.Commit(); err != nil {
		return s.dbError(err)
	}
	// This commit moved PRAGMA data_version for the cache check: look once now, so that the
	// views of the requests in this batch (and the next) find the cache checked.
	_ = s.refresh(ctx)
	return nil
}

// JTIUsed reports whether clientID's jti is recorded and not yet expired.
func (s *Store) JTIUsed(ctx context.Context, clientID, jti string, now time.Time) (bool, error) {
	var one int
	err := s.rdb.QueryRowContext(ctx, `SELECT 1 FROM jtis WHERE client_id = ? AND jti = ? AND exp > ?`, clientID, jti, now.Unix()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, s.dbError(err)
	}
	return true, nil
}

package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/gofrs/flock"

	"github.com/sbs-tui/sbs-tui/internal/safefile"
)

// store keeps the sandbox's world in one JSON file in the data directory, so that consecutive
// commands (and a `sandbox serve` beside them) see the same clients, keys and requests. A file
// lock serialises processes; a mutex serialises goroutines (flock does not, within one process).
type store struct {
	path string
	lock *flock.Flock
	mu   sync.Mutex

	cached *State
	data   []byte // the bytes cached was parsed from or written as
}

const stateFile = "state.json"

func openStore(dir string) (*store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create sandbox data directory %s: %w", dir, err)
	}
	return &store{
		path: filepath.Join(dir, stateFile),
		lock: flock.New(filepath.Join(dir, "state.lock")),
	}, nil
}

// load returns the current state, reusing the parsed copy when the file's bytes are the ones
// last parsed or written (reading a few kilobytes is cheap; parsing is not, and mtimes are too
// coarse to tell two quick writes by different processes apart). Callers hold both locks.
func (s *store) load() (*State, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		s.cached, s.data = nil, nil
		return newState(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("sandbox state: %w", err)
	}
	if s.cached != nil && bytes.Equal(data, s.data) {
		return s.cached, nil
	}
	state := newState()
	if err := json.Unmarshal(data, state); err != nil {
		return nil, fmt.Errorf("sandbox state %s is corrupt (%v); move it away to start afresh", s.path, err)
	}
	state.fill()
	s.cached, s.data = state, data
	return state, nil
}

// view runs fn on the state under a shared lock. fn must not keep references to it.
func (s *store) view(fn func(*State) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.lock.RLock(); err != nil {
		return fmt.Errorf("lock sandbox state: %w", err)
	}
	defer s.lock.Unlock()
	st, err := s.load()
	if err != nil {
		return err
	}
	return fn(st)
}

// update runs fn under an exclusive lock and saves the state if fn succeeds. A failing fn may
// have changed the cached copy half-way, so the cache is dropped and the file stays as it was.
func (s *store) update(fn func(*State) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.lock.Lock(); err != nil {
		return fmt.Errorf("lock sandbox state: %w", err)
	}
	defer s.lock.Unlock()
	st, err := s.load()
	if err != nil {
		return err
	}
	if err := fn(st); err != nil {
		s.cached, s.data = nil, nil
		return err
	}
	data, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		s.cached = nil
		return fmt.Errorf("encode sandbox state: %w", err)
	}
	// 0600: the state holds the sandbox's signing keys.
	if err := safefile.Write(s.path, data, 0o600); err != nil {
		s.cached = nil
		return err
	}
	s.cached, s.data = st, data
	return nil
}

package world

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const firstOpenChildEnv = "SBS_TUI_STORE_FIRST_OPEN_CHILD"

// Processes that open a data directory no one has used before, all at the same moment, must
// each get the one database: SQLite answers SQLITE_BUSY at once (without waiting out the busy
// timeout) when two connections race to switch a new file to WAL.
func TestFirstOpenFromSeveralProcessesAtOnce(t *testing.T) {
	t.Parallel()
	if dir := os.Getenv(firstOpenChildEnv); dir != "" {
		s, err := OpenStore(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if err := s.Update(func(st *State) error { st.Seq++; st.Touch(&st.Seq); return nil }); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	if testing.Short() {
		t.Skip("starts child processes")
	}
	const rounds, n = 30, 8
	for round := 0; round < rounds; round++ {
		dir := filepath.Join(t.TempDir(), "sandbox")
		var wg sync.WaitGroup
		errs := make([]string, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command(os.Args[0], "-test.run=^TestFirstOpenFromSeveralProcessesAtOnce$")
				cmd.Env = append(os.Environ(), firstOpenChildEnv+"="+dir)
				if out, err := cmd.CombinedOutput(); err != nil {
					errs[i] = fmt.Sprintf("%v: %s", err, strings.TrimSpace(string(out)))
				}
			}()
		}
		wg.Wait()
		for i, e := range errs {
			if e != "" {
				t.Fatalf("round %d, process %d: %s", round, i, e)
			}
		}
		s := openTestStore(t, dir)
		var seq int
		_ = s.View(func(st *State) error { seq = int(st.Seq); return nil })
		if seq < n {
			t.Fatalf("round %d: %d processes committed, Seq is %d", round, n, seq)
		}
	}
}

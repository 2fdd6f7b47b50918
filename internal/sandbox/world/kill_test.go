package world

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

const killChildEnv = "SBS_TUI_STORE_KILL_CHILD"

// killChild is the child process's write load: state updates and jti inserts from two
// goroutines, each id printed on stdout only after its transaction committed.
func killChild(dir, round string) {
	s, err := OpenStore(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			id := fmt.Sprintf("%s-%06d", round, i)
			err := s.Update(func(st *State) error {
				st.Orgs[id] = Org{OrgNo: id, Name: strings.Repeat("x", i%500)}
				st.Requests["busy"] = &Request{ID: "busy", ExternalRef: id}
				st.Seq++
				st.Touch(&st.Orgs, id)
				st.Touch(&st.Requests, "busy")
				st.Touch(&st.Seq)
				return nil
			})
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
			fmt.Printf("org %s\n", id)
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			id := fmt.Sprintf("%s-%06d", round, i)
			if ok, err := s.UseJTI(context.Background(), "kill", id, time.Now().Add(time.Hour), time.Now()); err != nil || !ok {
				fmt.Fprintln(os.Stderr, ok, err)
				os.Exit(4)
			}
			fmt.Printf("jti %s\n", id)
		}
	}()
	wg.Wait()
}

// A child process writing to the database is killed with SIGKILL mid-load, three times. The
// database must open, pass PRAGMA integrity_check and hold every write the child reported as
// committed; a store this process opened before sees all of it too.
func TestKillNineKeepsCommittedWrites(t *testing.T) {
	t.Parallel()
	if dir := os.Getenv(killChildEnv); dir != "" {
		killChild(dir, os.Getenv(killChildEnv+"_ROUND"))
		return
	}
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	// Opened before the children write: its cached state must notice their commits.
	s := openTestStore(t, dir)
	_ = s.View(func(st *State) error { return nil })
	committed := map[string][]string{}
	for round, after := range []int{40, 150, 400} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillNineKeepsCommittedWrites$")
		cmd.Env = append(os.Environ(), killChildEnv+"="+dir, fmt.Sprintf("%s_ROUND=r%d", killChildEnv, round))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		n, killed := 0, false
		deadline := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
		for sc.Scan() {
			kind, id, ok := strings.Cut(sc.Text(), " ")
			if !ok {
				continue
			}
			committed[kind] = append(committed[kind], id)
			if n++; n == after && !killed {
				killed = true
				if err := cmd.Process.Kill(); err != nil { // SIGKILL
					t.Fatal(err)
				}
			}
		}
		deadline.Stop()
		err = cmd.Wait()
		if !killed || err == nil || !strings.Contains(err.Error(), "killed") {
			t.Fatalf("round %d: child ended with %v after %d writes (killed: %v): %s", round, err, n, killed, stderr.String())
		}
	}
	var check string
	if err := s.rdb.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	_ = s.View(func(st *State) error {
		for _, id := range committed["org"] {
			if _, ok := st.Orgs[id]; !ok {
				t.Errorf("committed org %s is missing", id)
			}
		}
		return nil
	})
	var cached, fresh int
	_ = s.View(func(st *State) error { cached = len(st.Orgs); return nil })
	_ = openTestStore(t, dir).View(func(st *State) error { fresh = len(st.Orgs); return nil })
	if cached != fresh {
		t.Errorf("the long-open store sees %d orgs, a fresh one %d", cached, fresh)
	}
	for _, id := range committed["jti"] {
		if used, err := s.JTIUsed(context.Background(), "kill", id, time.Now()); err != nil || !used {
			t.Errorf("committed jti %s is missing (%v)", id, err)
		}
	}
	if len(committed["org"]) == 0 || len(committed["jti"]) == 0 {
		t.Fatalf("the children committed %d orgs and %d jtis", len(committed["org"]), len(committed["jti"]))
	}
	t.Logf("%d orgs and %d jtis committed before three SIGKILLs, all present", len(committed["org"]), len(committed["jti"]))
}

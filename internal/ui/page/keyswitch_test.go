package page

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"software.sslmate.com/src/go-pkcs12"

	sbworld "github.com/sbs-tui/sbs-tui/internal/sandbox/world"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// Step 6 keeps polling Altinn while step 3 switches the session to another key (here a
// business certificate, loaded from a PKCS#12 file). A poll runs in a command's goroutine
// with the session it was built with; the switch must not write that session (go test -race
// reported session.go when it did), and the polls built after it use the new key.
func TestKeySwitchWhilePolling(t *testing.T) {
	t.Parallel()
	w := uitest.NewWorld(t)
	env := w.EnvWith(w.Requested(t))
	approval := NewApproval(env, 5)
	key := NewKey(env, 2)
	first := env.Session
	firstKey, err := first.Key()
	if err != nil {
		t.Fatal(err)
	}

	for i := 0; i < 3; i++ {
		priv, chain, err := w.H.SB.IssueBusinessCertificate(sbworld.DefaultVendorOrg, uitest.T0.Add(-time.Hour), 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		p12, err := pkcs12.Modern.Encode(priv, chain[0], chain[1:], "hemmelig")
		if err != nil {
			t.Fatal(err)
		}
		key.p12Path, key.p12Pass = filepath.Join(t.TempDir(), "virksomhet.p12"), "hemmelig"
		if err := os.WriteFile(key.p12Path, p12, 0o600); err != nil {
			t.Fatal(err)
		}

		// The poll built on the UI goroutine (as Update builds it) runs again and again in
		// its own goroutine while the UI goroutine switches keys, as a slow poll would.
		poll := approval.poll()
		stop, polled := make(chan struct{}), make(chan pollResultMsg, 1)
		go func() {
			for {
				r := pollResult(t, uitest.Collect(poll, 20*time.Second))
				select {
				case <-stop:
					polled <- r
					return
				default:
				}
			}
		}()
		uitest.RunCmd(key.Update, key.loadPKCS12(), uitest.Quick)
		close(stop)
		if key.err != nil {
			t.Fatalf("switch %d: loading the business certificate: %v", i+1, key.err)
		}
		// The poll keeps the identity it was built with: the vendor's key the first time
		// (Altinn answers), the previous certificate later (Maskinporten refuses x5c).
		if r := <-polled; i == 0 && (r.err != nil || r.req == nil || r.req.ID != env.Flow.RequestID) {
			t.Fatalf("switch 1: the poll running during the switch: %+v", r)
		} else if i > 0 && (r.err == nil || !strings.Contains(r.err.Error(), refusedX5C)) {
			t.Fatalf("switch %d: the poll running during the switch, with the previous certificate: %v", i+1, r.err)
		}

		k, err := env.Session.Key()
		if err != nil || len(k.Chain) == 0 || !k.Chain[0].Equal(chain[0]) {
			t.Fatalf("switch %d: the session's key after loading the certificate: %v, %v", i+1, k, err)
		}
		// The next poll signs its grant with the certificate (x5c, no kid). The vendor's
		// client has registered keys, so Maskinporten refuses it as it would a real one:
		// the refusal proves the new key is in use.
		if r := pollResult(t, uitest.Collect(approval.poll(), 20*time.Second)); r.err == nil || !strings.Contains(r.err.Error(), refusedX5C) {
			t.Fatalf("switch %d: a poll after the switch should send the certificate's grant: %v", i+1, r.err)
		}
	}
	if k, _ := first.Key(); k != firstKey {
		t.Fatal("the first session's key changed: a session in use must not change")
	}
}

// refusedX5C is Maskinporten's refusal of a certificate grant for a client with registered keys.
const refusedX5C = "no key identifier (kid) provided"

func pollResult(t *testing.T, msgs []tea.Msg) pollResultMsg {
	t.Helper()
	for _, m := range msgs {
		if r, ok := m.(pollResultMsg); ok {
			return r
		}
	}
	t.Errorf("no poll result among %v", msgs)
	return pollResultMsg{err: os.ErrDeadlineExceeded}
}

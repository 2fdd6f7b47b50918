package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/steps"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// Resuming uses the key step 3 switched to. A newcomer's walk found a generated and
// provisioned key lost on resume: grants went out with the profile's old key and client, and
// step 7 failed with MP-303. A business certificate, whose password is never saved, sends the
// user back to step 3 instead.
func TestResumeRestoresStep3Key(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r, k, err := steps.GenerateKey(t.TempDir(), "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	done := []bool{true, true, true, true, true, false, false, false}
	a := w.app(&Progress{Version: 1, Current: 5, Done: done, Flow: kit.Flow{KeyFile: r.PrivateKeyFile, KeyKid: k.Kid, ClientID: "provisioned-client"}})
	uitest.RunCmd(upd(a), a.handleKey(uitest.Press("r")), quick)
	key, err := a.env.Session.Key()
	if err != nil || a.env.Session.Profile.ClientID != "provisioned-client" || key.Kid != k.Kid || a.current != 5 {
		t.Fatalf("resumed with client %q, key %v (want kid %s), at step %d: %v", a.env.Session.Profile.ClientID, key, k.Kid, a.current+1, err)
	}

	b := w.app(&Progress{Version: 1, Current: 5, Done: done, Flow: kit.Flow{KeyPKCS12: true}})
	uitest.RunCmd(upd(b), b.handleKey(uitest.Press("r")), quick)
	if b.current != 2 || b.done[2] || b.done[4] || !strings.Contains(b.View(), "load it again") {
		t.Fatalf("a business certificate: step %d, done %v\n%s", b.current+1, b.done, b.View())
	}
}

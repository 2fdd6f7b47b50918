package ui

import (
	"bytes"
	"image"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	goqr "github.com/piglig/go-qr"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// waitScreen waits until the program's output contains every text.
func waitScreen(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range texts {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

// snapshot reads the screen from the program's own goroutine.
func snapshot(tm *teatest.TestModel) string {
	reply := make(chan string, 1)
	tm.Send(snapshotMsg{reply: reply})
	return <-reply
}

// sendSettled sends msg once the screen has settled, and waits for it to settle again: huh moves
// between fields through commands, so a key draws in steps. Waits on the screen, never on
// fixed sleeps.
func sendSettled(tm *teatest.TestModel, msg tea.Msg) {
	before := settled(tm, "")
	tm.Send(msg)
	settled(tm, before)
}

// typeSlowly types s as keys and waits for the screen to show them.
func typeSlowly(tm *teatest.TestModel, s string) {
	before := settled(tm, "")
	tm.Type(s)
	settled(tm, before)
}

// settled polls the program's own view until it differs from before (when given) and has
// stayed the same for 100 ms, and returns it; a screen that never settles fails after 10 s.
func settled(tm *teatest.TestModel, before string) string {
	const poll, stable, most = 10 * time.Millisecond, 100 * time.Millisecond, 10 * time.Second
	start := time.Now()
	last, since := snapshot(tm), time.Now()
	for time.Since(start) < most {
		time.Sleep(poll)
		s := snapshot(tm)
		if s != last {
			last, since = s, time.Now()
			continue
		}
		if (before == "" || s != before || time.Since(start) > time.Second) && time.Since(since) >= stable {
			return s
		}
	}
	return last
}

// TestWizardFlow drives the whole wizard against the in-process sandbox: environment,
// scopes, key, system (imported), agent request, approval as the customer, token, API call.
// Settled screens are compared with golden files.
func TestWizardFlow(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	sys := h.SystemFile(t)
	app := New(h.Env, nil)
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(100, 52))

	waitScreen(t, tm, "offset 0s")
	tm.Send(uitest.Press("enter"))
	waitScreen(t, tm, "aksjonaerregisteroppgave: token issued")
	tm.Send(uitest.Press("enter"))
	waitScreen(t, tm, "enter use this key")
	tm.Send(uitest.Press("enter"))
	waitScreen(t, tm, "import a system.json")
	tm.Send(uitest.Press("i"))
	waitScreen(t, tm, "Path to system.json")
	typeSlowly(tm, sys)
	tm.Send(uitest.Press("enter"))
	waitScreen(t, tm, "JSON to send")
	tm.Send(uitest.Press("enter"))
	waitScreen(t, tm, "created")
	tm.Send(uitest.Press("enter"))
	waitScreen(t, tm, "Customer's organisation number")
	sendSettled(tm, uitest.Press("enter"))
	typeSlowly(tm, "313367002")
	tm.Send(uitest.Press("enter"))
	waitScreen(t, tm, "Access packages to ask for")
	sendSettled(tm, uitest.Press("enter")) // the system's packages are chosen already
	waitScreen(t, tm, "Agent (client) system user?")
	for i := 0; i < 3; i++ { // agent (chosen for us), externalRef, redirect
		sendSettled(tm, uitest.Press("enter"))
	}
	waitScreen(t, tm, "Created.")
	tm.Send(uitest.Press("enter"))
	waitScreen(t, tm, "a approve")
	approval := settled(tm, "")
	tm.Send(uitest.Press("a")) // approval moves on to the token by itself
	// The notice comes in a message of its own: under load (-race, a full run) the verified
	// token was drawn, and snapshotted, before it.
	waitScreen(t, tm, "signature verified", "New token issued")
	token := snapshot(tm)
	tm.Send(uitest.Press("enter"))
	waitScreen(t, tm, "URL:")
	tm.Send(uitest.Press("enter"))
	waitScreen(t, tm, "HTTP 200 OK")
	tm.Send(uitest.Press("enter"))
	waitScreen(t, tm, "call 2")
	tm.Send(uitest.Press("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(*App)

	for i, d := range final.DoneSteps() {
		if !d {
			t.Errorf("step %d not done", i+1)
		}
	}
	if !strings.Contains(final.View(), "token reused") {
		t.Errorf("the second call did not reuse the token:\n%s", final.View())
	}
	uitest.Golden(t, "approval", approval)
	uitest.Golden(t, "token", token)
	uitest.Golden(t, "final", final.View())

	// The QR code on the approval screen decodes to the exact confirmUrl.
	if got := decodeScreenQR(t, approval); got != h.Env.Flow.ConfirmURL {
		t.Fatalf("QR decodes to %q, want %q", got, h.Env.Flow.ConfirmURL)
	}
	// Progress was saved, without secrets.
	p, err := LoadProgress(i18n.English(), ProgressPath(h.Env.Opts.StateDir, "sandbox", "sandbox"))
	if err != nil || p == nil || p.Flow.RequestID == "" || p.Flow.Status != "Accepted" {
		t.Fatalf("progress = %+v, %v", p, err)
	}
}

// decodeScreenQR finds the half-block QR code on a screen, paints it and decodes it.
func decodeScreenQR(t *testing.T, screen string) string {
	t.Helper()
	var rows [][]bool
	for _, line := range strings.Split(screen, "\n") {
		if !strings.ContainsAny(line, "▀▄█") {
			if len(rows) > 0 {
				break
			}
			continue
		}
		runes := []rune(strings.TrimLeft(line, " ")) // the code starts at the body's indent
		var top, bottom []bool
		for _, r := range runes {
			top = append(top, !(r == '█' || r == '▀'))
			bottom = append(bottom, !(r == '█' || r == '▄'))
		}
		rows = append(rows, top, bottom)
	}
	if len(rows) == 0 {
		t.Fatal("no QR code on the screen")
	}
	const px = 6
	w := 0
	for _, r := range rows {
		w = max(w, len(r))
	}
	img := image.NewGray(image.Rect(0, 0, (w+8)*px, (len(rows)+8)*px))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y, row := range rows {
		for x, dark := range row {
			if dark {
				for dy := 0; dy < px; dy++ {
					for dx := 0; dx < px; dx++ {
						img.SetGray((x+4)*px+dx, (y+4)*px+dy, color.Gray{})
					}
				}
			}
		}
	}
	text, err := goqr.Decode(img)
	if err != nil {
		t.Fatalf("decode the screen's QR code: %v", err)
	}
	return text
}

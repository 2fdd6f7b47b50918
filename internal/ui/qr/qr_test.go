package qr

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	goqr "github.com/piglig/go-qr"
)

const confirmURL = "https://am.ui.tt02.altinn.no/accessmanagement/ui/systemuser/agentrequest?id=0b9f3a8e-4c1d-4b57-9a8e-2f1c9d7e6a11&DONTCHOOSEREPORTEE=true"

func plain() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// decodeGlyphs parses rendered glyphs back into modules (light = block), paints them 8 px per
// module and decodes with an independent QR implementation.
func decodeGlyphs(t *testing.T, s string, full bool) string {
	t.Helper()
	var rows [][]bool // true = dark
	for _, line := range strings.Split(s, "\n") {
		runes := []rune(line)
		if full {
			var row []bool
			for i := 0; i < len(runes); i += 2 {
				row = append(row, runes[i] == ' ')
			}
			rows = append(rows, row)
			continue
		}
		var top, bottom []bool
		for _, r := range runes {
			top = append(top, !(r == '█' || r == '▀'))
			bottom = append(bottom, !(r == '█' || r == '▄'))
		}
		rows = append(rows, top, bottom)
	}
	const px = 8
	w, h := len(rows[0]), len(rows)
	img := image.NewGray(image.Rect(0, 0, (w+8)*px, (h+8)*px))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y, row := range rows {
		for x, dark := range row {
			if !dark {
				continue
			}
			for dy := 0; dy < px; dy++ {
				for dx := 0; dx < px; dx++ {
					img.SetGray((x+4)*px+dx, (y+4)*px+dy, color.Gray{Y: 0})
				}
			}
		}
	}
	text, err := goqr.Decode(img)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return text
}

func TestRenderDecodesToTheExactURL(t *testing.T) {
	c, err := Encode(confirmURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, full := range []bool{false, true} {
		mode := Half
		if full {
			mode = Full
		}
		s := c.Render(plain(), mode, QuietZone)
		if got := decodeGlyphs(t, s, full); got != confirmURL {
			t.Fatalf("%s: decoded %q", mode, got)
		}
		w, h := c.Dimensions(mode, QuietZone)
		lines := strings.Split(s, "\n")
		if len(lines) != h || len([]rune(lines[0])) != w {
			t.Fatalf("%s: %dx%d, Dimensions says %dx%d", mode, len([]rune(lines[0])), len(lines), w, h)
		}
	}
}

func TestFitFallsBack(t *testing.T) {
	// A confirmUrl is a 49-module symbol: half blocks with the full quiet zone take 57x29…
	s, err := Fit(plain(), confirmURL, Auto, 80, 40)
	if err != nil || len(strings.Split(s, "\n")) != 29 || !strings.Contains(s, "▀") {
		t.Fatalf("auto at 80x40: %v", err)
	}
	// …a tight quiet zone when short…
	if s, err := Fit(plain(), confirmURL, Half, 80, 27); err != nil || len(strings.Split(s, "\n")) != 27 {
		t.Fatalf("half at 80x27: %v", err)
	}
	// …full blocks when wide and tall enough…
	if s, err := Fit(plain(), confirmURL, Auto, 120, 60); err != nil || !strings.HasPrefix(s, "████") || strings.Contains(s, "▀") {
		t.Fatalf("auto at 120x60: %v", err)
	}
	// …and nothing in what is left of 80x24 under a header: the URL is shown as text.
	if _, err := Fit(plain(), confirmURL, Auto, 80, 18); err != ErrDoesNotFit {
		t.Fatalf("80x18: %v", err)
	}
	if _, err := Fit(plain(), confirmURL, Off, 200, 200); err != ErrDoesNotFit {
		t.Fatal("off rendered")
	}
	if _, err := Encode(strings.Repeat("x", 5000)); err == nil {
		t.Fatal("oversize payload encoded")
	}
}

func TestExplicitColours(t *testing.T) {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.TrueColor)
	c, _ := Encode("https://x.no")
	s := c.Render(r, Half, QuietZone)
	if !strings.Contains(s, "38;2;255;255;255") || !strings.Contains(s, "48;2;0;0;0") {
		t.Fatalf("no explicit white-on-black: %q", s[:60])
	}
}

func BenchmarkRenderHalf(b *testing.B) {
	r := plain()
	for b.Loop() {
		if _, err := Fit(r, confirmURL, Half, 80, 30); err != nil {
			b.Fatal(err)
		}
	}
}

// Package qr renders QR codes for the terminal: encoded with rsc.io/qr at level M, drawn with
// half or full blocks in explicit black and white (so a light terminal theme cannot invert
// the code) inside a quiet zone, and refused when it does not fit.
package qr

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"rsc.io/qr"
)

// Mode says how to draw.
type Mode string

// Modes.
const (
	Auto Mode = "auto" // half blocks, full blocks if they fit, else nothing
	Half Mode = "half" // two modules per character cell vertically
	Full Mode = "full" // one module per two cells horizontally, one row per module
	Off  Mode = "off"
)

// ParseMode checks a --qr value.
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case Auto, Half, Full, Off:
		return Mode(s), nil
	}
	return "", fmt.Errorf("--qr %q: use auto, half, full or off", s)
}

// QuietZone is ISO 18004's four modules; Tight is used when the terminal is short.
const (
	QuietZone = 4
	Tight     = 2
)

// ErrDoesNotFit means the code would not fit the space given; show the URL as text.
var ErrDoesNotFit = errors.New("the QR code does not fit the terminal")

// Code is an encoded QR symbol.
type Code struct {
	code *qr.Code
}

// Encode encodes text at error-correction level M.
func Encode(text string) (*Code, error) {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, fmt.Errorf("encode QR: %w", err)
	}
	return &Code{code: c}, nil
}

// Size is the symbol's width in modules, without quiet zone.
func (c *Code) Size() int { return c.code.Size }

// Black reports whether the module at (x, y) is dark; outside the symbol is light.
func (c *Code) Black(x, y int) bool {
	if x < 0 || y < 0 || x >= c.code.Size || y >= c.code.Size {
		return false
	}
	return c.code.Black(x, y)
}

// Dimensions returns the cells a rendering takes: width × height.
func (c *Code) Dimensions(m Mode, quiet int) (int, int) {
	n := c.code.Size + 2*quiet
	if m == Full {
		return 2 * n, n
	}
	return n, (n + 1) / 2
}

// Render draws the code in mode m (Half or Full) with the quiet zone; style paints light
// modules white on black background cells. r gives the colour profile; with no colours (Ascii)
// the glyphs alone carry the pattern: dark modules are drawn as blank space and light ones as
// blocks, which scanners read on a dark terminal, and the caller should say so.
func (c *Code) Render(r *lipgloss.Renderer, m Mode, quiet int) string {
	return c.render(r, m, quiet, false)
}

func (c *Code) render(r *lipgloss.Renderer, m Mode, quiet int, invert bool) string {
	style := r.NewStyle().Foreground(lipgloss.Color("#FFFFFF")).Background(lipgloss.Color("#000000"))
	if invert {
		style = r.NewStyle().Foreground(lipgloss.Color("#000000")).Background(lipgloss.Color("#FFFFFF"))
	}
	light := func(x, y int) bool { return c.Black(x, y) == invert }
	n := c.code.Size
	var lines []string
	if m == Full {
		for y := -quiet; y < n+quiet; y++ {
			var b strings.Builder
			for x := -quiet; x < n+quiet; x++ {
				if !light(x, y) {
					b.WriteString("  ")
				} else {
					b.WriteString("██")
				}
			}
			lines = append(lines, style.Render(b.String()))
		}
		return strings.Join(lines, "\n")
	}
	for y := -quiet; y < n+quiet; y += 2 {
		var b strings.Builder
		for x := -quiet; x < n+quiet; x++ {
			top := light(x, y)
			bottom := y+1 < n+quiet && light(x, y+1)
			if y+1 >= n+quiet {
				bottom = false
			}
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteRune(' ')
			}
		}
		lines = append(lines, style.Render(b.String()))
	}
	return strings.Join(lines, "\n")
}

// Fit renders text in mode m within width × height cells, trying the full quiet zone, then a
// tight one, and in Auto mode full blocks before half blocks when they fit. It returns
// ErrDoesNotFit when nothing fits (or m is Off).
func Fit(r *lipgloss.Renderer, text string, m Mode, width, height int) (string, error) {
	return FitInverted(r, text, m, width, height, false)
}

// FitInverted is Fit with light and dark modules swapped when invert is set: on a light
// terminal without colours, the blocks must be the dark modules.
func FitInverted(r *lipgloss.Renderer, text string, m Mode, width, height int, invert bool) (string, error) {
	if m == Off {
		return "", ErrDoesNotFit
	}
	c, err := Encode(text)
	if err != nil {
		return "", err
	}
	var modes []Mode
	switch m {
	case Auto:
		modes = []Mode{Full, Half}
	default:
		modes = []Mode{m}
	}
	for _, mode := range modes {
		for _, q := range []int{QuietZone, Tight} {
			w, h := c.Dimensions(mode, q)
			if w <= width && h <= height {
				return c.render(r, mode, q, invert), nil
			}
		}
	}
	return "", ErrDoesNotFit
}

// Needs is the smallest room (width × height cells) the code for text takes: half blocks
// with the tight quiet zone.
func Needs(text string) (w, h int, ok bool) {
	c, err := Encode(text)
	if err != nil {
		return 0, 0, false
	}
	w, h = c.Dimensions(Half, Tight)
	return w, h, true
}

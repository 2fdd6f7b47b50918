// Package termsafe makes hostile text safe to print on a terminal: server responses and token
// claims may carry escape sequences that move the cursor, rewrite the title or hide text.
package termsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s with control characters (C0 except tab and newline, DEL, C1, and so every
// ESC/CSI/OSC introducer) and invalid UTF-8 replaced by U+FFFD, and bidi overrides removed.
func Clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(unicode.ReplacementChar)
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\r':
			// A bare CR lets text overwrite the start of the line; show it as a line break.
			b.WriteRune('\n')
		case unicode.IsControl(r), isBidiOverride(r):
			b.WriteRune(unicode.ReplacementChar)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Line is Clean for single-line fields: newlines and tabs become spaces too.
func Line(s string) string {
	return strings.NewReplacer("\n", " ", "\t", " ").Replace(Clean(s))
}

func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

func isBidiOverride(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// Truncate shortens s to at most n runes, marking the cut.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

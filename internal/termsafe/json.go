package termsafe

import (
	"fmt"
	"unicode/utf8"
)

// EscapeJSON rewrites encoded JSON so that no character a terminal acts on appears raw: DEL,
// C1 controls (U+0080–U+009F, among them the one-byte CSI U+009B), bidi controls and zero-width
// direction marks become \uXXXX escapes. encoding/json already escapes C0 controls, U+2028 and
// U+2029, and since JSON's structure is ASCII these characters can only stand inside strings,
// so the escaped document decodes to the same value. Invalid UTF-8 becomes \ufffd, as
// encoding/json itself does for strings.
func EscapeJSON(b []byte) []byte {
	clean := true
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if needsJSONEscape(r, size) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = append(out, `\ufffd`...)
		case needsJSONEscape(r, size):
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

func needsJSONEscape(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r == '\n' || r == '\t' || r == '\r':
		return false // JSON whitespace between tokens; inside strings encoding/json escapes it
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case isBidiOverride(r), r == 0x200e, r == 0x200f, r == 0x061c, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

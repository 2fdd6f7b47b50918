package support

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestCastRedactsAndReplays(t *testing.T) {
	sig := strings.Repeat("Zq9_-", 60)
	tok := "eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6ImEifQ." + sig
	var buf bytes.Buffer
	clock := time.Unix(1_800_000_000, 0)
	c, err := NewCastWriter(&buf, CastHeader{Width: 80, Height: 24, Title: "t"}, func() time.Time { clock = clock.Add(10 * time.Millisecond); return clock })
	if err != nil {
		t.Fatal(err)
	}
	// A token on one line, and one wrapped by the screen with colour codes between the parts.
	c.Write([]byte("\x1b[2Jtoken: " + tok + "\r\n"))
	c.Write([]byte("\x1b[31m" + sig[:70] + "\x1b[0m\r\n" + sig[70:150] + "\r\n"))
	c.Write([]byte("-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----\n"))
	c.Write([]byte("client 4aceb749-f6a7-4f77-98e8-a3849e320168 ok\n"))
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	h, out, err := ValidateCast(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if h.Width != 80 || h.Height != 24 || h.Version != 2 {
		t.Fatalf("header %+v", h)
	}
	for _, secret := range []string{sig, sig[:70], sig[70:150], "MIIEvQ"} {
		if strings.Contains(out, secret) {
			t.Fatalf("the cast holds a secret: %q", secret[:20])
		}
	}
	if !strings.Contains(out, "eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6ImEifQ.") || !strings.Contains(out, "4aceb749-f6a7-4f77-98e8-a3849e320168") {
		t.Fatalf("too much removed:\n%s", out)
	}
	if _, _, err := ValidateCast(strings.NewReader(`{"version":1}`)); err == nil {
		t.Fatal("a v1 header passed")
	}
}

package support

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/clients/httpx"
)

// CastHeader is the first line of an asciicast v2 file.
type CastHeader struct {
	Version   int               `json:"version"`
	Width     int               `json:"width"`
	Height    int               `json:"height"`
	Timestamp int64             `json:"timestamp,omitempty"`
	Title     string            `json:"title,omitempty"`
	Env       map[string]string `json:"env,omitempty"`
}

// CastWriter records what a program writes to the terminal as asciicast v2 output events
// (https://docs.asciinema.org/manual/asciicast/v2/), redacted like the HTTP record: JWTs keep
// header and claims only, private keys are removed, and any run of 40 or more base64url
// characters (a token's parts when the screen wraps them, a key) is replaced.
type CastWriter struct {
	mu    sync.Mutex
	w     *bufio.Writer
	start time.Time
	now   func() time.Time
	err   error
}

// NewCastWriter writes the header to w and returns the writer for the events.
func NewCastWriter(w io.Writer, h CastHeader, now func() time.Time) (*CastWriter, error) {
	if now == nil {
		now = time.Now
	}
	h.Version = 2
	start := now()
	if h.Timestamp == 0 {
		h.Timestamp = start.Unix()
	}
	c := &CastWriter{w: bufio.NewWriter(w), start: start, now: now}
	line, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	c.w.Write(line)
	c.w.WriteByte('\n')
	return c, nil
}

// Write records p as one output event. It never fails the program: an error is kept for Close.
func (c *CastWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil || len(p) == 0 {
		return len(p), nil
	}
	ev, err := json.Marshal([]any{float64(c.now().Sub(c.start).Microseconds()) / 1e6, "o", RedactScreen(string(p))})
	if err == nil {
		_, err = c.w.Write(append(ev, '\n'))
	}
	c.err = err
	return len(p), nil
}

// Close flushes the events; it returns the first error met.
func (c *CastWriter) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.w.Flush(); err != nil && c.err == nil {
		c.err = err
	}
	return c.err
}

// MinSecretRun is the shortest run of base64url characters RedactScreen removes.
const MinSecretRun = 40

// RedactScreen removes secrets from terminal output.
func RedactScreen(s string) string {
	s = httpx.RedactText(s)
	var b strings.Builder
	run := 0
	flush := func(i int) {
		if run >= MinSecretRun {
			b.WriteString(httpx.Redacted)
		} else {
			b.WriteString(s[i-run : i])
		}
		run = 0
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			run++
			continue
		}
		flush(i)
		b.WriteByte(c)
	}
	flush(len(s))
	return b.String()
}

// ValidateCast checks an asciicast v2 file: the header, then events [time, code, data] with
// non-decreasing times. It returns the header and the output text joined.
func ValidateCast(r io.Reader) (*CastHeader, string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	if !sc.Scan() {
		return nil, "", fmt.Errorf("empty cast")
	}
	var h CastHeader
	if err := json.Unmarshal(sc.Bytes(), &h); err != nil || h.Version != 2 || h.Width <= 0 || h.Height <= 0 {
		return nil, "", fmt.Errorf("bad header %q: %v", sc.Text(), err)
	}
	var out strings.Builder
	last := -1.0
	for n := 2; sc.Scan(); n++ {
		var ev []json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || len(ev) != 3 {
			return nil, "", fmt.Errorf("line %d is not [time, code, data]", n)
		}
		var t float64
		var code, data string
		if json.Unmarshal(ev[0], &t) != nil || json.Unmarshal(ev[1], &code) != nil || json.Unmarshal(ev[2], &data) != nil {
			return nil, "", fmt.Errorf("line %d has the wrong types", n)
		}
		if t < last {
			return nil, "", fmt.Errorf("line %d goes back in time", n)
		}
		if code != "o" && code != "i" && code != "r" && code != "m" {
			return nil, "", fmt.Errorf("line %d has event code %q", n, code)
		}
		last = t
		if code == "o" {
			out.WriteString(data)
		}
	}
	return &h, out.String(), sc.Err()
}

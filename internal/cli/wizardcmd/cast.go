package wizardcmd

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/sbs-tui/sbs-tui/internal/cli"
	"github.com/sbs-tui/sbs-tui/internal/safefile"
	"github.com/sbs-tui/sbs-tui/internal/support"
)

// castOutput is the wizard's output while --cast records it: what is written goes to the
// terminal and, redacted, into the asciicast. It passes the terminal's Read, Close and Fd
// through, so Bubble Tea still sees a terminal (size, raw mode).
type castOutput struct {
	term *os.File
	out  io.Writer // the terminal, when it is not a file (tests)
	buf  bytes.Buffer
	cast *support.CastWriter
	path string
}

func startCast(a *cli.App, path string, width, height int) (*castOutput, error) {
	if width <= 0 || height <= 0 {
		width, height = 80, 24
	}
	c := &castOutput{path: path, out: a.Stdout}
	if f, ok := a.Stdout.(*os.File); ok {
		c.term = f
	}
	cw, err := support.NewCastWriter(&c.buf, support.CastHeader{Width: width, Height: height, Title: "sbs-tui wizard", //i18n:ignore the recording's title: the command that made it
		Env: map[string]string{"TERM": os.Getenv("TERM")}}, a.Now)
	if err != nil {
		return nil, err
	}
	c.cast = cw
	// Fail early on a path that cannot be written, not after the session.
	if err := safefile.Write(path, nil, 0o600); err != nil {
		return nil, fmt.Errorf("--cast %s: %w", path, err)
	}
	return c, nil
}

func (c *castOutput) Write(p []byte) (int, error) {
	_, _ = c.cast.Write(p)
	return c.out.Write(p)
}

func (c *castOutput) Read(p []byte) (int, error) {
	if c.term == nil {
		return 0, io.EOF
	}
	return c.term.Read(p)
}

func (c *castOutput) Close() error { return nil }

// Fd is the terminal's descriptor (Bubble Tea reads the size through it).
func (c *castOutput) Fd() uintptr {
	if c.term == nil {
		return ^uintptr(0)
	}
	return c.term.Fd()
}

// finish writes the recording (0600) and says where it is.
func (c *castOutput) finish(a *cli.App) {
	if err := c.cast.Close(); err != nil {
		fmt.Fprintln(a.Stderr, a.T("clitools.wizard.cast_incomplete", "Err", err))
	}
	if err := safefile.Write(c.path, c.buf.Bytes(), 0o600); err != nil {
		fmt.Fprintln(a.Stderr, a.T("clitools.wizard.cast_write", "Err", err))
		return
	}
	fmt.Fprintln(a.Stderr, a.T("clitools.wizard.cast_written", "Path", c.path))
}

// wizardReport writes the support report of the session so far (key s in the wizard) into the
// current directory and returns its file name.
func wizardReport(a *cli.App) (string, error) {
	path := "sbs-tui-report-" + a.Now().UTC().Format("20060102-150405") + ".md"
	var buf bytes.Buffer
	if err := support.WriteReportIn(&buf, a.Text(), a.Facts(), a.Record.Exchanges(), a.Now()); err != nil {
		return "", err
	}
	if err := safefile.Write(path, buf.Bytes(), 0o600); err != nil {
		return "", fmt.Errorf("%s: %w", a.T("clitools.support.err_write"), err)
	}
	return path, nil
}

//go:build unix

package safefile

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A pipe (as /dev/null or /dev/stdout would be) is written through, not replaced by a regular
// file: `support report --out /dev/null` once turned the machine's /dev/null into a 0600 file.
func TestWriteToAPipeKeepsThePipe(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(p)
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	if err := Write(p, []byte("report"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := os.Lstat(p)
	if err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("after Write the pipe is %v (%v)", st.Mode(), err)
	}
	if b := <-got; string(b) != "report" {
		t.Fatalf("read through the pipe: %q", b)
	}
}

// A symbolic link stays a link; the file it points to gets the new content.
func TestWriteFollowsASymlink(t *testing.T) {
	dir := t.TempDir()
	target, link := filepath.Join(dir, "real.yaml"), filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlink: %v", err)
	}
	if err := Write(link, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", st.Mode(), err)
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Fatalf("target = %q", b)
	}
	if err := Write(dir, []byte("x"), 0o600); err == nil {
		t.Fatal("writing over a directory succeeded")
	}
}

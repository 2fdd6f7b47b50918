package root_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/root"
)

// BenchmarkRunInspect is the in-process part of `sbs-tui inspect FILE`: everything main does
// after the package inits (the whole-process comparison is test/startup-bench.sh).
func BenchmarkRunInspect(b *testing.B) {
	tok := "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJpc3MiOiJodHRwczovL3Rlc3QubWFza2lucG9ydGVuLm5vLyIsImNvbnN1bWVyIjp7ImF1dGhvcml0eSI6Imlzbzk2NTIzLWFjdG9yaWQtdXBpcyIsIklEIjoiMDE5Mjo5NzQ3NjEwNzYifSwic2NvcGUiOiJhOmIiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTcwMDAwMDAwMCwiY2xpZW50X2lkIjoiYyIsImp0aSI6ImoifQ.c2ln"
	path := filepath.Join(b.TempDir(), "t.jwt")
	if err := os.WriteFile(path, []byte(tok), 0o600); err != nil {
		b.Fatal(err)
	}
	b.Setenv("NO_COLOR", "1")
	for b.Loop() {
		if code := root.Run(context.Background(), []string{"inspect", path}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

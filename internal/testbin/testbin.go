// Package testbin builds the sbs-tui binary for tests that drive it as a separate process, and
// keeps `go test`'s result cache honest about it.
package testbin

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Build compiles root's ./cmd/sbs-tui into dir and returns the binary's path.
func Build(root, dir string) (string, error) {
	bin := filepath.Join(dir, "sbs-tui")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/sbs-tui")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// ReadSources reads every Go source file of the module at root, and go.mod and go.sum. `go
// test` caches a package's result keyed on the files its tests opened; a binary built by a
// subprocess is invisible to that, so a package that tests a built binary calls this from a
// test (TestMain's reads are not recorded), or a changed wizard could pass on a stale result.
func ReadSources(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") || name == "go.mod" || name == "go.sum" || strings.HasSuffix(name, ".json") {
			_, err := os.ReadFile(path)
			return err
		}
		return nil
	})
}

package kit

import (
	"os"
	"path/filepath"
	"testing"
)

func TestTypedPathExpandsTheHomeDirectory(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip(err)
	}
	for in, want := range map[string]string{
		" ~/system.json ": filepath.Join(home, "system.json"),
		"~":               home,
		"~user/x":         "~user/x", // another user's home is not looked up
		"/abs/x.json":     "/abs/x.json",
		"rel/x.json":      "rel/x.json",
	} {
		if got := TypedPath(in); got != want {
			t.Errorf("TypedPath(%q) = %q, want %q", in, got, want)
		}
	}
}

package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// A command bounded by --timeout that turns out to be interactive (inspect's paste box) gets
// its context without the deadline from Unbounded: the deadline closed the box after two
// minutes, exit 0.
func TestUnboundedDropsTheDeadline(t *testing.T) {
	var out bytes.Buffer
	a := New(strings.NewReader(""), &out, &out)
	root := &cobra.Command{Use: "sbs-tui", SilenceErrors: true, SilenceUsage: true}
	a.BindRoot(root)
	var bounded, unbounded bool
	root.AddCommand(&cobra.Command{Use: "probe", RunE: func(cmd *cobra.Command, _ []string) error {
		_, bounded = cmd.Context().Deadline()
		_, unbounded = a.Unbounded(cmd).Deadline()
		return nil
	}})
	root.SetArgs([]string{"--timeout", "1m", "probe"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if !bounded || unbounded {
		t.Fatalf("command context bounded %v, Unbounded bounded %v", bounded, unbounded)
	}
}

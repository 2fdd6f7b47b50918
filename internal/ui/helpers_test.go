package ui

import (
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

func TestMain(m *testing.M) { uitest.Main(m) }

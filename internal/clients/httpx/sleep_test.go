package httpx

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestSleepEndsWithItsContext: a back-off of an hour ends at once when the command is
// cancelled, with the context's error; a wait that runs out is no error.
func TestSleepEndsWithItsContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatalf("ran out: %v", err)
	}
}

package ui

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/ui/kit"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

func TestBootDrawsAtOnceAndHandsOverToTheWizard(t *testing.T) {
	t.Parallel()
	h := uitest.NewHarness(t)
	release := make(chan struct{})
	var first bytes.Buffer
	b := NewBoot(kit.NewStyles(lipgloss.NewRenderer(&first)), i18n.MustNew(i18n.EN), "creating the sandbox…", 80, 24, &first, func() (*kit.Env, *Progress, error) {
		<-release
		return h.Env, nil, nil
	})
	cmd := b.Init()
	// The first frame is written by Init itself, before any set-up finished.
	if !strings.Contains(first.String(), "creating the sandbox…") || !strings.HasPrefix(first.String(), cursorHome) {
		t.Fatalf("first frame: %q", first.String())
	}
	if !strings.Contains(b.View(), "creating the sandbox…") {
		t.Fatalf("view while loading: %q", b.View())
	}
	close(release)
	// Run the batch: one of its commands is the set-up.
	var booted tea.Msg
	for _, c := range cmd().(tea.BatchMsg) {
		if m, ok := c().(bootedMsg); ok {
			booted = m
		}
	}
	if booted == nil {
		t.Fatal("no set-up result")
	}
	b.Update(booted)
	if b.App() == nil || !strings.Contains(b.View(), "SANDBOX") || !strings.Contains(b.View(), "1. Maskinporten") {
		t.Fatalf("after set-up the wizard should show, sized: %q", b.View())
	}
}

func TestBootFailureEndsTheProgramWithTheError(t *testing.T) {
	t.Parallel()
	b := NewBoot(kit.NewStyles(lipgloss.NewRenderer(&bytes.Buffer{})), i18n.MustNew(i18n.EN), "starting…", 0, 0, nil, func() (*kit.Env, *Progress, error) {
		return nil, nil, errors.New("profile \"x\" is unknown")
	})
	if b.View() != "" {
		t.Fatalf("no size yet, nothing to draw: %q", b.View())
	}
	_, cmd := b.Update(bootedMsg{err: errors.New("profile \"x\" is unknown")})
	if cmd == nil || b.Err() == nil {
		t.Fatal("a failed set-up should quit with its error")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("the command should quit")
	}
}

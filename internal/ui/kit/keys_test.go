package kit

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestKeysAreTheSameInEveryLanguage: only the help labels change with the language; the keys
// and the shown key names stay, and every label is found in the catalogue and is short.
func TestKeysAreTheSameInEveryLanguage(t *testing.T) {
	en := reflect.ValueOf(DefaultKeys(i18n.MustNew(i18n.EN)))
	for _, lang := range []i18n.Lang{i18n.NB, i18n.NN} {
		km := reflect.ValueOf(DefaultKeys(i18n.MustNew(lang)))
		for i := 0; i < km.NumField(); i++ {
			if !km.Type().Field(i).IsExported() {
				continue // the printer, not a key
			}
			a, b := en.Field(i).Interface().(key.Binding), km.Field(i).Interface().(key.Binding)
			name := km.Type().Field(i).Name
			if !reflect.DeepEqual(a.Keys(), b.Keys()) || a.Help().Key != b.Help().Key {
				t.Errorf("%s %s: keys %v %q, want %v %q", lang, name, b.Keys(), b.Help().Key, a.Keys(), a.Help().Key)
			}
			if d := b.Help().Desc; d == "" || strings.Contains(d, "⟨") || len([]rune(d)) > 26 {
				t.Errorf("%s %s: help %q", lang, name, d)
			}
		}
	}
}

// TestFormKeysSpeakTheLanguage: huh's own form keys ("enter next", "shift+tab back") are shown
// in the footer with the catalogue's label; the key stays, and a label the catalogue lacks
// stays as huh wrote it.
func TestFormKeysSpeakTheLanguage(t *testing.T) {
	next := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next"))
	odd := key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", "frobnicate"))
	nb := DefaultKeys(i18n.MustNew(i18n.NB))
	if got := nb.FormKey(next).Help(); got.Key != "enter" || got.Desc != "neste" {
		t.Errorf("nb next = %+v", got)
	}
	if got := nb.FormKey(odd).Help(); got.Desc != "frobnicate" {
		t.Errorf("nb unknown key = %+v", got)
	}
	if got := DefaultKeys(i18n.MustNew(i18n.EN)).FormKey(next).Help(); got.Desc != "next" {
		t.Errorf("en next = %+v", got)
	}
	if got := (KeyMap{}).FormKey(next).Help(); got.Desc != "next" {
		t.Errorf("a key map without a language changed the label: %+v", got)
	}
}

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

package ui

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
	"github.com/sbs-tui/sbs-tui/internal/ui/uitest"
)

// A progress file is read back at every start, and a user (or another version) may have edited
// it: whatever it holds, the wizard offers it, resumes it and draws every step without
// panicking. The seeds are the shapes a real file has. The steps' commands (their calls to
// the sandbox) are not run: what the file can reach is the resume and each step's Enter and View.
func FuzzResumeProgress(f *testing.F) {
	f.Add([]byte(`{"version":1,"current":3,"done":[true,true,true],"flow":{},"drafts":{"3":{"id":"974761076_x","packages":["urn:altinn:accesspackage:skattegrunnlag"]}}}`))
	f.Add([]byte(`{"version":1,"current":4,"done":[true,true,true,true],"flow":{"system_id":"x","system_json":"{\"id\":1}"},"drafts":{"4":{"org":"313367002","packages":null}}}`))
	f.Add([]byte(`{"version":1,"current":99,"done":[true],"flow":{"request_id":"../../x","confirm_url":"%zz","key_file":"/nonexistent"}}`))
	f.Add([]byte(`{"version":1,"current":-5,"done":[true,false],"drafts":{"-1":{},"7":[1,2]}}`))
	w := &world{uitest.NewWorld(f)}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "progress.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		p, err := LoadProgress(i18n.English(), path)
		if err != nil || p == nil {
			return // said as a warning at start, and the file is replaced
		}
		a := w.app(p)
		_ = a.View()
		a.handleKey(uitest.Press("r"))
		for i := range a.steps {
			a.goTo(i)
			_ = a.View()
		}
	})
}

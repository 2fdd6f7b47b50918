package bulk

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// TestProblemsSpeakTheLanguage: a customers file's problems keep their English Message
// (for --json) and say themselves in the user's language through i18n.Printer.Error, also
// when the error is wrapped; the organisation-number rule comes through in it too.
func TestProblemsSpeakTheLanguage(t *testing.T) {
	t.Parallel()
	_, problems, err := ParseCSV(strings.NewReader("org,colour\n"))
	if err != nil || len(problems) != 1 {
		t.Fatalf("problems %v, err %v", problems, err)
	}
	if problems[0].Message != "is not a known column; use "+strings.Join(Columns, ", ") {
		t.Errorf("English message changed: %q", problems[0].Message)
	}
	e := fmt.Errorf("request bulk: %w", &ProblemsError{File: "kunder.csv", Problems: problems})
	nb := i18n.MustNew(i18n.NB)
	got := nb.Error(e)
	for _, want := range []string{
		"request bulk: " + nb.N("bulk.problems.file", 1, "File", "kunder.csv"),
		nb.T("bulk.problem.column", "Where", nb.T("bulk.problem.row", "Row", 1), "Column", "colour") + ": " + nb.T("bulk.csv.unknown_column", "Columns", strings.Join(Columns, ", ")),
		nb.T("bulk.problems.fix"),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "nothing was sent") || !strings.Contains(e.Error(), "Fix the file and run the command again.") {
		t.Errorf("languages mixed:\n%s\n%s", got, e.Error())
	}
}

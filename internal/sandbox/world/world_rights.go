package world

import (
	"strings"

	"github.com/sbs-tui/sbs-tui/internal/domain/altinn"
)

func ResourceValues(r altinn.Right) string {
	var vals []string
	for _, a := range r.Resource {
		vals = append(vals, a.Value)
	}
	return strings.Join(vals, "/")
}

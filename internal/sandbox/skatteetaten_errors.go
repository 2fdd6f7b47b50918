package sandbox

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/sbs-tui/sbs-tui/internal/domain/ske"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/env"
)

// skeFail answers as Skatteetaten's APIs do when they refuse: {kode, melding, korrelasjonsid}
// (Skatteetaten/api-dokumentasjon docs/om/feil.md), with a fresh correlation id.
func skeFail(w http.ResponseWriter, status int, kode, melding string) {
	env.AltinnJSON(w, status, ske.ErrorBody{Kode: kode, Melding: melding, Korrelasjonsid: uuid.NewString()})
}

// skeNoEndpoint is DAS-002 for any path under the prefix that is not a resource.
func (s skatteetatenHost) skeNoEndpoint(w http.ResponseWriter, r *http.Request) {
	skeFail(w, http.StatusNotFound, ske.CodeNoEndpoint, "Den forespurte URLen svarer ikke til et gyldig endepunkt")
}

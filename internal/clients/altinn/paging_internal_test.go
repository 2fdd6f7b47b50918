package altinn

import (
	"encoding/base64"
	"testing"
)

func TestBoundaryIDReadsAltinnsOpaqueToken(t *testing.T) {
	t.Parallel()
	const id = "8f8ca3b2-1c4d-4e5f-9a6b-7c8d9e0f1a2b"
	// Altinn's Opaque<Guid>: base64url of the id as a JSON string.
	real := base64.RawURLEncoding.EncodeToString([]byte(`"` + id + `"`))
	cases := map[string]string{
		"https://platform.tt02.altinn.no/authentication/api/v1/systemuser/request/vendor/bysystem/x?token=" + real:              id,
		"http://127.0.0.1:1/x?token=" + base64.RawURLEncoding.EncodeToString([]byte("id:8F8CA3B2-1C4D-4E5F-9A6B-7C8D9E0F1A2B")): id,
		"http://127.0.0.1:1/x?token=bm90IGEgZ3VpZA": "",
		"http://127.0.0.1:1/x":                      "",
		"%zz":                                       "",
	}
	for link, want := range cases {
		if got := boundaryID(link); got != want {
			t.Errorf("boundaryID(%q) = %q, want %q", link, got, want)
		}
	}
}

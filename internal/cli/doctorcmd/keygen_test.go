package doctorcmd_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sbs-tui/sbs-tui/internal/cli/clitest"
)

func TestKeygenWritesPrivateKey0600AndPublicJWK(t *testing.T) {
	clitest.Isolate(t)
	dir := t.TempDir()
	r := clitest.Run(t, "", "keygen", "--out", dir, "--json")
	var obj struct {
		Kid            string          `json:"kid"`
		PrivateKeyFile string          `json:"private_key_file"`
		ArrayFile      string          `json:"jwk_array_file"`
		PublicJWK      json.RawMessage `json:"public_jwk"`
	}
	if r.Code != 0 || json.Unmarshal([]byte(r.Stdout), &obj) != nil {
		t.Fatalf("keygen: %+v", r)
	}
	st, err := os.Stat(obj.PrivateKeyFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("private key mode: %v %v", st, err)
	}
	if strings.Contains(r.Stdout, "PRIVATE KEY") || strings.Contains(string(obj.PublicJWK), `"d"`) {
		t.Fatal("keygen printed private material")
	}
	arr, _ := os.ReadFile(obj.ArrayFile)
	var keys []map[string]any
	if json.Unmarshal(arr, &keys) != nil || len(keys) != 1 || keys[0]["kid"] != obj.Kid || keys[0]["use"] != "sig" || keys[0]["alg"] != "RS256" {
		t.Fatalf("array file: %s", arr)
	}
	// A second run with the same kid must not overwrite the key.
	again := clitest.Run(t, "", "keygen", "--out", dir, "--kid", obj.Kid)
	if again.Code != 1 || !strings.Contains(again.Stderr, "exists") {
		t.Fatalf("overwrite: %+v", again)
	}
}

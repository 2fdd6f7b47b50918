package steps

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"

	"github.com/sbs-tui/sbs-tui/internal/config"
	"github.com/sbs-tui/sbs-tui/internal/safefile"
)

// KeygenResult is a generated key pair on disk.
type KeygenResult struct {
	Kid string `json:"kid"`
	// PrivateKeyFile is the PEM private key (0600).
	PrivateKeyFile string `json:"private_key_file"`
	// JWKSFile holds {"keys":[jwk]}, the self-service API's body.
	JWKSFile string `json:"jwks_file"`
	// ArrayFile holds [jwk], what Samarbeidsportalen's paste box wants.
	ArrayFile string `json:"jwk_array_file"`
	// PublicJWK is the public key, to show and copy.
	PublicJWK json.RawMessage `json:"public_jwk"`
	// ProfileSnippet is the YAML to put under a profile's key.
	ProfileSnippet string `json:"profile_snippet"`
}

// Key is a loaded or generated client key.
type Key = config.Key

// Keygen makes an RSA-2048 key with kid (a unique default when empty) and writes the private
// PEM and the public JWK files into dir. It refuses to overwrite an existing private key.
func Keygen(dir, kid string, now time.Time) (*KeygenResult, error) {
	r, _, err := GenerateKey(dir, kid, now)
	return r, err
}

// GenerateKey is Keygen that also returns the key, to use it right away (step 3).
func GenerateKey(dir, kid string, now time.Time) (*KeygenResult, *Key, error) {
	key, err := config.GenerateKey(kid, now)
	if err != nil {
		return nil, nil, fmt.Errorf("kid: %w", err)
	}
	r, err := WriteKeyFiles(dir, key)
	return r, key, err
}

// LoadKeyFile reads a PEM private key step 3 generated earlier (a resumed session).
func LoadKeyFile(path, kid string) (*Key, error) { return config.LoadPEMKey(path, kid) }

// LoadBusinessCertificate reads a PKCS#12 business certificate for step 3.
func LoadBusinessCertificate(path, password string) (*Key, error) {
	return config.LoadPKCS12(path, password)
}

// WriteKeyFiles writes key's private PEM and public JWK files into dir.
func WriteKeyFiles(dir string, key *config.Key) (*KeygenResult, error) {
	r := &KeygenResult{
		Kid:            key.Kid,
		PrivateKeyFile: filepath.Join(dir, key.Kid+".pem"),
		JWKSFile:       filepath.Join(dir, key.Kid+".jwks.json"),
		ArrayFile:      filepath.Join(dir, key.Kid+".jwk-array.json"),
	}
	if _, err := os.Stat(r.PrivateKeyFile); err == nil {
		return nil, fmt.Errorf("%s exists already; choose another --kid or --out rather than overwrite a key", r.PrivateKeyFile)
	}
	pemBytes, err := key.PrivatePEM()
	if err != nil {
		return nil, err
	}
	pub, err := key.PublicJWK(jwa.RS256)
	if err != nil {
		return nil, err
	}
	pubJSON, err := json.MarshalIndent(pub, "", "  ")
	if err != nil {
		return nil, err
	}
	r.PublicJWK = pubJSON
	set, _ := json.MarshalIndent(map[string]any{"keys": []any{pub}}, "", "  ")
	arr, _ := json.MarshalIndent([]any{pub}, "", "  ")
	if err := safefile.Write(r.PrivateKeyFile, pemBytes, 0o600); err != nil {
		return nil, err
	}
	if err := safefile.Write(r.JWKSFile, append(set, '\n'), 0o644); err != nil {
		return nil, err
	}
	if err := safefile.Write(r.ArrayFile, append(arr, '\n'), 0o644); err != nil {
		return nil, err
	}
	r.ProfileSnippet = fmt.Sprintf("key:\n  pem: %s\n  kid: %s\n", r.PrivateKeyFile, r.Kid)
	return r, nil
}

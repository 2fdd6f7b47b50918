package world

import (
	"crypto/rsa"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose"
)

// The key helpers seed.go calls by their old names. seed.go is being changed in the store branch
// and moves into the world package after it lands; these forwarders go then.

func newRSAKey() (*rsa.PrivateKey, error)                            { return jose.NewRSAKey() }
func newRSAKeys(n int) ([]*rsa.PrivateKey, error)                    { return jose.NewRSAKeys(n) }
func encodeKeyPEM(k *rsa.PrivateKey) string                          { return jose.EncodeKeyPEM(k) }
func thumbprintKid(k *rsa.PublicKey) string                          { return jose.ThumbprintKid(k) }
func publicJWK(k *rsa.PublicKey, kid string) (map[string]any, error) { return jose.PublicJWK(k, kid) }

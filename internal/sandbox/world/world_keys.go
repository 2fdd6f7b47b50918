package world

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose"
)

func CertDER(p string) ([]byte, error) {
	b, _ := pem.Decode([]byte(p))
	if b == nil {
		return nil, errors.New("no certificate")
	}
	return b.Bytes, nil
}

// NewAltinnSigningKey makes a key with a self-signed certificate; its kid is the certificate's
// SHA-1 thumbprint in upper-case hex, as X509SigningCredentials names it.
func NewAltinnSigningKey(now time.Time) (SigningKey, error) {
	key, err := jose.NewRSAKey()
	if err != nil {
		return SigningKey{}, fmt.Errorf("generate Altinn signing key: %w", err)
	}
	return altinnSigningKey(key, now)
}

// altinnSigningKey wraps key in the self-signed certificate the Altinn JWKS publishes.
func altinnSigningKey(key *rsa.PrivateKey, now time.Time) (SigningKey, error) {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: "sbs-tui sandbox Altinn token signing"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(5, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return SigningKey{}, fmt.Errorf("Altinn signing certificate: %w", err)
	}
	sum := sha1.Sum(der)
	return SigningKey{
		Kid: strings.ToUpper(hex.EncodeToString(sum[:])), PEM: jose.EncodeKeyPEM(key), Created: now,
		CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
	}, nil
}

// CA is the sandbox's stand-in for the business-certificate issuers (see package jose).
type CA = jose.CA

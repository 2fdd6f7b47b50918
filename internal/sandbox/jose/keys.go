// Package jose holds the sandbox's shared key material: RSA keys and their PEM and JWK forms,
// random identifiers, and the stand-in business-certificate CA.
package jose

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
)

func NewRSAKey() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) }

// NewRSAKeys generates n keys concurrently.
func NewRSAKeys(n int) ([]*rsa.PrivateKey, error) {
	keys := make([]*rsa.PrivateKey, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			keys[i], errs[i] = NewRSAKey()
		}()
	}
	wg.Wait()
	return keys, errors.Join(errs...)
}

func EncodeKeyPEM(k *rsa.PrivateKey) string {
	der, _ := x509.MarshalPKCS8PrivateKey(k) // cannot fail for an RSA key
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func DecodeKeyPEM(s string) (*rsa.PrivateKey, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		return nil, errors.New("no PEM block")
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("not an RSA key")
	}
	return rk, nil
}

// PublicJWK returns the public JWK of k with kid, alg RS256 and use sig, as a JSON map.
func PublicJWK(k *rsa.PublicKey, kid string) (map[string]any, error) {
	key, err := jwk.FromRaw(k)
	if err != nil {
		return nil, err
	}
	_ = key.Set(jwk.KeyIDKey, kid)
	_ = key.Set(jwk.AlgorithmKey, jwa.RS256)
	_ = key.Set(jwk.KeyUsageKey, "sig")
	// Through JSON, not AsMap: AsMap keeps n and e as raw bytes, which encoding/json would
	// write as standard base64 instead of base64url (go-jose's interop test caught that).
	b, err := json.Marshal(key)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	err = json.Unmarshal(b, &m)
	return m, err
}

// ThumbprintKid is the RFC 7638 thumbprint, the form Maskinporten's own kids take.
func ThumbprintKid(k *rsa.PublicKey) string {
	key, err := jwk.FromRaw(k)
	if err != nil {
		return RandomHex(16)
	}
	tp, err := key.Thumbprint(crypto.SHA256)
	if err != nil {
		return RandomHex(16)
	}
	return base64.RawURLEncoding.EncodeToString(tp)
}

func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func RandomB64(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CA is the sandbox's certificate authority for business certificates.
type CA struct {
	CertPEM string `json:"cert_pem"`
	KeyPEM  string `json:"key_pem"`
}

func NewCA(now time.Time) (*CA, error) {
	key, err := NewRSAKey()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{CommonName: "sbs-tui Sandbox Business CA", Organization: []string{"sbs-tui sandbox"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return &CA{
		CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		KeyPEM:  EncodeKeyPEM(key),
	}, nil
}

func (ca *CA) parse() (*x509.Certificate, *rsa.PrivateKey, error) {
	b, _ := pem.Decode([]byte(ca.CertPEM))
	if b == nil {
		return nil, nil, errors.New("sandbox CA certificate is missing")
	}
	cert, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return nil, nil, err
	}
	key, err := DecodeKeyPEM(ca.KeyPEM)
	return cert, key, err
}

// oidOrganizationIdentifier holds "NTRNO-<orgno>" in current Norwegian business certificates;
// older ones carry the number in serialNumber.
var oidOrganizationIdentifier = asn1.ObjectIdentifier{2, 5, 4, 97}

// Issue makes a business certificate for orgNo signed by the CA, valid from notBefore.
func (ca *CA) Issue(orgNo, orgName string, key *rsa.PrivateKey, notBefore time.Time, validity time.Duration) (*x509.Certificate, error) {
	caCert, caKey, err := ca.parse()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject: pkix.Name{
			CommonName:   orgName,
			Organization: []string{orgName},
			Country:      []string{"NO"},
			SerialNumber: orgNo,
			ExtraNames:   []pkix.AttributeTypeAndValue{{Type: oidOrganizationIdentifier, Value: "NTRNO-" + orgNo}},
		},
		NotBefore: notBefore,
		NotAfter:  notBefore.Add(validity),
		KeyUsage:  x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// CertOrgNo reads the organisation number from a business certificate's subject.
func CertOrgNo(c *x509.Certificate) string {
	for _, n := range c.Subject.Names {
		if n.Type.Equal(oidOrganizationIdentifier) {
			if s, ok := n.Value.(string); ok {
				return strings.TrimPrefix(s, "NTRNO-")
			}
		}
	}
	return c.Subject.SerialNumber
}

// VerifyChain checks that chain[0] was issued by the sandbox CA and is valid at now.
func (ca *CA) VerifyChain(chain []*x509.Certificate, now time.Time) error {
	if ca == nil {
		return errors.New("no CA")
	}
	caCert, _, err := ca.parse()
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	roots.AddCert(caCert)
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err = chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		return fmt.Errorf("certificate not trusted: %w", err)
	}
	return nil
}

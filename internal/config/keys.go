package config

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/sbs-tui/sbs-tui/internal/domain/mp"
	"github.com/sbs-tui/sbs-tui/internal/i18n"
)

// MaxKeyFileSize caps how much of a key or certificate file is read.
const MaxKeyFileSize = 1 << 20

// Key is a loaded client key: an RSA private key named by a kid (registered JWK) or carrying
// a certificate chain (business certificate, sent as x5c).
type Key struct {
	Private *rsa.PrivateKey
	Kid     string
	Chain   []*x509.Certificate
	// Kind and Path say where it came from (Path is empty for a generated key); callers name
	// it in the user's language.
	Kind KeyKind
	Path string
	// Warnings are problems worth telling the user that do not stop loading (such as a key
	// file readable by others).
	Warnings []error
}

// KeyKind is the form a key was read from.
type KeyKind string

const (
	KeyPEM       KeyKind = "pem"
	KeyJWK       KeyKind = "jwk"
	KeyPKCS12    KeyKind = "pkcs12"
	KeyGenerated KeyKind = "generated"
)

// PasswordFunc supplies the password of a PKCS#12 file when no environment variable does;
// the CLI prompts on a terminal and fails otherwise.
type PasswordFunc func(file string) (string, error)

// ValidateKid checks a kid against the characters Digdir allows.
func ValidateKid(kid string) error {
	if !mp.ValidKid(kid) {
		return i18n.Errorf("config.kid_chars", "Kid", kid)
	}
	return nil
}

// LoadKey loads the key a profile names. Paths are resolved against the config file.
func (f *File) LoadKey(ref KeyRef, password PasswordFunc) (*Key, error) {
	switch {
	case ref.PEM != "":
		return LoadPEMKey(f.Resolve(ref.PEM), ref.Kid)
	case ref.JWK != "":
		return LoadJWKKey(f.Resolve(ref.JWK))
	case ref.PKCS12 != "":
		path := f.Resolve(ref.PKCS12)
		pw, err := pkcs12Password(path, ref.PasswordEnv, password)
		if err != nil {
			return nil, err
		}
		return LoadPKCS12(path, pw)
	}
	return nil, i18n.Errorf("config.no_key")
}

func pkcs12Password(path, envVar string, prompt PasswordFunc) (string, error) {
	if envVar != "" {
		if pw, ok := os.LookupEnv(envVar); ok {
			return pw, nil
		}
		if prompt == nil {
			return "", i18n.Errorf("config.password_unset", "Path", path, "Var", envVar)
		}
	}
	if prompt == nil {
		return "", i18n.Errorf("config.password_how", "Path", path)
	}
	return prompt(path)
}

func readKeyFile(path string) ([]byte, []error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, i18n.Wrap(err, "config.read_key")
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, i18n.Wrap(err, "config.read_key")
	}
	var warnings []error
	if st.Mode().Perm()&0o077 != 0 {
		warnings = append(warnings, i18n.Errorf("config.key_readable", "Path", path, "Mode", fmt.Sprintf("%04o", st.Mode().Perm())))
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxKeyFileSize+1))
	if err != nil {
		return nil, nil, i18n.Wrap(err, "config.read_key_path", "Path", path)
	}
	if len(data) > MaxKeyFileSize {
		return nil, nil, i18n.Errorf("config.key_too_large", "Path", path, "Max", MaxKeyFileSize)
	}
	return data, warnings, nil
}

// LoadPEMKey reads an unencrypted RSA private key in PEM (PKCS#1 or PKCS#8).
func LoadPEMKey(path, kid string) (*Key, error) {
	data, warnings, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	priv, err := ParsePEMKey(data)
	if err != nil {
		return nil, i18n.Wrap(err, "config.key_field", "Field", "key.pem", "Path", path)
	}
	if err := ValidateKid(kid); err != nil {
		return nil, i18n.Wrap(err, "config.field", "Field", "key.kid")
	}
	return &Key{Private: priv, Kid: kid, Kind: KeyPEM, Path: path, Warnings: warnings}, nil
}

// ParsePEMKey parses an RSA private key from PEM.
func ParsePEMKey(data []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, i18n.Errorf("config.no_pem")
	}
	if x509.IsEncryptedPEMBlock(block) { //nolint:staticcheck // detecting, not decrypting
		return nil, i18n.Errorf("config.pem_encrypted")
	}
	switch block.Type {
	case "ENCRYPTED PRIVATE KEY": //i18n:ignore a PEM block type
		return nil, i18n.Errorf("config.pem_encrypted_pkcs8")
	case "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE": //i18n:ignore PEM block types
		return nil, i18n.Errorf("config.pem_not_private", "Type", block.Type)
	}
	raw, err := jwk.ParseKey(data, jwk.WithPEM(true))
	if err != nil {
		return nil, i18n.Wrap(err, "config.parse_private")
	}
	var priv rsa.PrivateKey
	if err := raw.Raw(&priv); err != nil {
		return nil, i18n.Wrap(err, "config.not_rsa")
	}
	return checkRSA(&priv)
}

func checkRSA(k *rsa.PrivateKey) (*rsa.PrivateKey, error) {
	if k.N == nil || k.N.BitLen() < 2048 {
		return nil, i18n.Errorf("config.rsa_bits", "Bits", k.N.BitLen())
	}
	return k, nil
}

// LoadJWKKey reads a private RSA JWK (or a JWK set with exactly one key) with its kid.
func LoadJWKKey(path string) (*Key, error) {
	data, warnings, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	priv, kid, err := ParsePrivateJWK(data)
	if err != nil {
		return nil, i18n.Wrap(err, "config.key_field", "Field", "key.jwk", "Path", path)
	}
	return &Key{Private: priv, Kid: kid, Kind: KeyJWK, Path: path, Warnings: warnings}, nil
}

// ParsePrivateJWK parses a private RSA JWK and returns the key and its kid.
func ParsePrivateJWK(data []byte) (*rsa.PrivateKey, string, error) {
	var probe struct {
		Keys json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, "", i18n.Wrap(err, "config.not_json")
	}
	var key jwk.Key
	if probe.Keys != nil {
		set, err := jwk.Parse(data)
		if err != nil {
			return nil, "", i18n.Wrap(err, "config.parse_jwks")
		}
		if set.Len() != 1 {
			return nil, "", i18n.Errorf("config.jwks_count", "Count", set.Len())
		}
		key, _ = set.Key(0)
	} else {
		k, err := jwk.ParseKey(data)
		if err != nil {
			return nil, "", i18n.Wrap(err, "config.parse_jwk")
		}
		key = k
	}
	if key.KeyType() != jwa.RSA {
		return nil, "", i18n.Errorf("config.kty", "Kty", key.KeyType())
	}
	var priv rsa.PrivateKey
	if err := key.Raw(&priv); err != nil || priv.D == nil {
		return nil, "", i18n.Errorf("config.jwk_public")
	}
	if err := ValidateKid(key.KeyID()); err != nil {
		return nil, "", i18n.Wrap(err, "config.jwk_kid")
	}
	k, err := checkRSA(&priv)
	return k, key.KeyID(), err
}

// LoadPKCS12 reads a business certificate (virksomhetssertifikat) from a PKCS#12 file.
func LoadPKCS12(path, password string) (*Key, error) {
	data, warnings, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	key, err := ParsePKCS12(data, password)
	if err != nil {
		return nil, i18n.Wrap(err, "config.key_field", "Field", "key.pkcs12", "Path", path)
	}
	key.Kind, key.Path = KeyPKCS12, path
	key.Warnings = warnings
	return key, nil
}

// ParsePKCS12 decodes a PKCS#12 bundle into an RSA key and its certificate chain, leaf first.
func ParsePKCS12(data []byte, password string) (*Key, error) {
	priv, leaf, cas, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return nil, i18n.Errorf("config.pkcs12_password")
		}
		// The decoder's ASN.1 detail ("tags don't match (16 vs {class:1 …") helps nobody.
		detail, _, _ := strings.Cut(err.Error(), ": asn1:")
		return nil, i18n.Wrap(err, "config.pkcs12_decode", "Detail", detail)
	}
	rk, ok := priv.(*rsa.PrivateKey)
	if !ok {
		return nil, i18n.Errorf("config.cert_not_rsa", "Type", fmt.Sprintf("%T", priv))
	}
	if _, err := checkRSA(rk); err != nil {
		return nil, err
	}
	return &Key{Private: rk, Chain: append([]*x509.Certificate{leaf}, cas...)}, nil
}

// GenerateKey makes a new RSA-2048 key with a globally unique kid (Digdir's docs disagree on
// whether kids must be unique per client or globally, so be safe).
func GenerateKey(kid string, now time.Time) (*Key, error) {
	if kid == "" {
		kid = DefaultKid(now)
	}
	if err := ValidateKid(kid); err != nil {
		return nil, err
	}
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, i18n.Wrap(err, "config.generate")
	}
	return &Key{Private: priv, Kid: kid, Kind: KeyGenerated}, nil
}

// DefaultKid returns "sbs-tui-<date>-<uuid>".
func DefaultKid(now time.Time) string {
	return "sbs-tui-" + now.UTC().Format("20060102") + "-" + uuid.NewString()
}

// PrivatePEM encodes the private key as PKCS#8 PEM.
func (k *Key) PrivatePEM() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k.Private)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil //i18n:ignore a PEM block type
}

// PublicJWK returns the public JWK as Digdir wants it: kty, e, n, kid, alg, use=sig.
func (k *Key) PublicJWK(alg jwa.SignatureAlgorithm) (jwk.Key, error) {
	pub, err := jwk.FromRaw(&k.Private.PublicKey)
	if err != nil {
		return nil, err
	}
	for name, v := range map[string]any{jwk.KeyIDKey: k.Kid, jwk.AlgorithmKey: alg, jwk.KeyUsageKey: "sig"} {
		if err := pub.Set(name, v); err != nil {
			return nil, err
		}
	}
	return pub, nil
}

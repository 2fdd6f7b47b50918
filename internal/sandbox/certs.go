package sandbox

import (
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/sbs-tui/sbs-tui/internal/sandbox/jose"
	"github.com/sbs-tui/sbs-tui/internal/sandbox/world"
)

// IssueBusinessCertificate makes a business certificate for orgNo signed by the sandbox CA,
// as Buypass or Commfides would, with a fresh RSA key. Valid from notBefore for validity.
func (s *Sandbox) IssueBusinessCertificate(orgNo string, notBefore time.Time, validity time.Duration) (*rsa.PrivateKey, []*x509.Certificate, error) {
	var ca *jose.CA
	name := "Organisasjon " + orgNo
	if err := s.Store.View(func(st *world.State) error {
		ca = st.CA
		if o, ok := st.Orgs[orgNo]; ok {
			name = o.Name
		}
		return nil
	}); err != nil {
		return nil, nil, err
	}
	if ca == nil {
		// The CA is created on first use: most sessions never issue a certificate.
		created, err := jose.NewCA(s.Opts.Now())
		if err != nil {
			return nil, nil, fmt.Errorf("create the sandbox CA: %w", err)
		}
		if err := s.Store.Update(func(st *world.State) error {
			if st.CA == nil {
				st.CA = created
				st.Touch(&st.CA)
			}
			ca = st.CA
			return nil
		}); err != nil {
			return nil, nil, err
		}
	}
	key, err := jose.NewRSAKey()
	if err != nil {
		return nil, nil, err
	}
	leaf, err := ca.Issue(orgNo, name, key, notBefore, validity)
	if err != nil {
		return nil, nil, err
	}
	return key, []*x509.Certificate{leaf}, nil
}

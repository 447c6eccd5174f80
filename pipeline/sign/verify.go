package sign

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// Verify checks the armored signature sig over message against an allowed_signers file, as
// `ssh-keygen -Y verify -f FILE -n standpunten-release` does, at the current time, and returns
// the principals of the allowed_signers line that lists the signing key (the principals field
// as written, e.g. "release@example.org" or "a@example.org,b@example.org"). It is VerifyAt with
// time.Now().
func Verify(allowedSignersFile string, sig, message []byte) (principal string, err error) {
	return VerifyAt(allowedSignersFile, sig, message, time.Now())
}

// VerifyAt is Verify at the time at: an allowed_signers line counts only when at lies between
// its valid-after and valid-before (times without Z are read in at's location).
//
// The errors, in the order they are checked: ErrAllowedSigners (a line that does not parse,
// with file:line:col; or no key at all), ErrMalformed (not an SSHSIG signature it can check),
// ErrNamespace (made for another namespace), ErrMismatch (the signature does not match message:
// it was changed after signing), ErrNotAllowed (a good signature by a key the file does not
// allow). An error reading the file wraps the fs error.
func VerifyAt(allowedSignersFile string, sig, message []byte, at time.Time) (principal string, err error) {
	data, err := readRegular(allowedSignersFile)
	if err != nil {
		return "", fmt.Errorf("verify: read allowed signers: %w", err)
	}
	signers, err := parseAllowedSigners(allowedSignersFile, data, at.Location())
	if err != nil {
		return "", err
	}
	if len(signers) == 0 {
		return "", fileErr(ErrAllowedSigners, allowedSignersFile, 0, 0, "lists no key",
			"add a line with a principal and the signer's public key: release@example.org ssh-ed25519 AAAA…")
	}
	key, err := checkSignature(sig, message, Namespace)
	if err != nil {
		return "", err
	}
	return allowedPrincipals(allowedSignersFile, signers, key, Namespace, at)
}

// checkSignature parses an armored signature, checks its namespace, hash and signature
// algorithm, and its signature over message; it returns the key that made it.
func checkSignature(armored, message []byte, namespace string) (ssh.PublicKey, error) {
	s, err := parseSignature(armored)
	if err != nil {
		return nil, err
	}
	if s.namespace != namespace {
		return nil, signatureErr(ErrNamespace, fmt.Sprintf("was made for the namespace %q, not %q", s.namespace, namespace),
			fmt.Sprintf("a release is signed with `standpunten release --sign-key KEY` or `ssh-keygen -Y sign -f KEY -n %s SHA256SUMS`", namespace))
	}
	sum, ok := digest(s.hashAlg, message)
	if !ok {
		return nil, signatureErr(ErrMalformed, fmt.Sprintf("uses the hash algorithm %q; SSHSIG allows only sha512 and sha256", s.hashAlg), "sign again with ssh-keygen or standpunten")
	}
	key, err := ssh.ParsePublicKey(s.publicKey)
	if err != nil {
		return nil, signatureErr(ErrMalformed, "holds a public key that cannot be read: "+err.Error(), "the signature file is damaged")
	}
	sig, ok := parseSSHSignature(s.signature)
	if !ok {
		return nil, signatureErr(ErrMalformed, "holds a signature that cannot be read", "the signature file is damaged")
	}
	plain := key
	if cert, ok := key.(*ssh.Certificate); ok {
		plain = cert.Key
	}
	keyType := plain.Type()
	switch {
	case keyType == keyAlgoDSA:
		return nil, signatureErr(ErrMalformed, "was made with a DSA key, which is not accepted", "sign with an Ed25519, ECDSA or RSA key")
	case keyType == ssh.KeyAlgoRSA && sig.Format == ssh.KeyAlgoRSA:
		return nil, signatureErr(ErrMalformed, "is an RSA signature with SHA-1 (ssh-rsa), which ssh-keygen refuses", "sign again with ssh-keygen -Y sign or standpunten (rsa-sha2-512)")
	case keyType == ssh.KeyAlgoRSA && (sig.Format == ssh.KeyAlgoRSASHA512 || sig.Format == ssh.KeyAlgoRSASHA256):
	case keyType != ssh.KeyAlgoRSA && sig.Format == keyType:
	default:
		return nil, signatureErr(ErrMalformed, fmt.Sprintf("has the signature algorithm %q, which does not fit its %s key", sig.Format, keyType), "the signature file is damaged")
	}
	if len(sig.Rest) > 0 && !strings.HasPrefix(keyType, "sk-") {
		return nil, signatureErr(ErrMalformed, fmt.Sprintf("has %d bytes after its %s signature", len(sig.Rest), sig.Format), "the signature file is damaged")
	}
	if err := key.Verify(signedData(s.namespace, s.reserved, s.hashAlg, sum), sig); err != nil {
		return nil, signatureErr(ErrMismatch, fmt.Sprintf("does not match the signed file (key %s): the file or the signature was changed after signing", ssh.FingerprintSHA256(key)),
			"do not trust these files: fetch the release again from its source, or, if you changed it on purpose, sign it again")
	}
	return key, nil
}

// allowedPrincipals returns the principals of the first line that allows key for namespace at
// the time at.
func allowedPrincipals(file string, signers []allowedSigner, key ssh.PublicKey, namespace string, at time.Time) (string, error) {
	fp := ssh.FingerprintSHA256(key)
	if cert, ok := key.(*ssh.Certificate); ok {
		return "", fileErr(ErrNotAllowed, file, 0, 0, fmt.Sprintf("cannot allow the signature: it was made with an OpenSSH certificate (key id %q), and certificates are not supported", cert.KeyId),
			"list the signer's own public key in allowed_signers, and sign with the key rather than its certificate")
	}
	want := key.Marshal()
	var refusal error
	refuse := func(line int, msg, hint string) {
		if refusal == nil {
			refusal = fileErr(ErrNotAllowed, file, line, 0, msg, hint)
		}
	}
	for _, e := range signers {
		if !bytes.Equal(e.key.Marshal(), want) {
			continue
		}
		switch {
		case e.certAuthority:
			refuse(e.line, fmt.Sprintf("lists the signing key %s only as a cert-authority", fp),
				"remove cert-authority from this line to allow the key itself")
		case e.hasNamespaces && !matchList(namespace, e.namespaces):
			refuse(e.line, fmt.Sprintf("allows the signing key %s only for the namespaces %q, not %q", fp, e.namespaces, namespace),
				fmt.Sprintf("add %s to its namespaces=\"…\" if this key may sign releases", namespace))
		case !e.validAfter.IsZero() && at.Before(e.validAfter):
			refuse(e.line, fmt.Sprintf("allows the signing key %s only from %s (valid-after); it is %s", fp, e.validAfter.Format(time.RFC3339), at.Format(time.RFC3339)),
				"check the clock, or the line's valid-after")
		case !e.validBefore.IsZero() && at.After(e.validBefore):
			refuse(e.line, fmt.Sprintf("allowed the signing key %s only until %s (valid-before); it is %s", fp, e.validBefore.Format(time.RFC3339), at.Format(time.RFC3339)),
				"the key has expired: sign the release with a current key, or extend the line's valid-before if the key is still trusted")
		default:
			return e.principals, nil
		}
	}
	if refusal != nil {
		return "", refusal
	}
	return "", fileErr(ErrNotAllowed, file, 0, 0, fmt.Sprintf("does not list the key that made the signature (%s %s)", key.Type(), fp),
		"the release was signed by another key: do not trust it until you know whose key that is; if it is trusted, add its .pub line to allowed_signers with a principal")
}

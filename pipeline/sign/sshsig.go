package sign

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"

	"golang.org/x/crypto/ssh"
)

// The SSHSIG format, from OpenSSH's PROTOCOL.sshsig.
const (
	magicPreamble = "SSHSIG"
	sigVersion    = 1
	armorBegin    = "-----BEGIN SSH SIGNATURE-----\n"
	armorEnd      = "-----END SSH SIGNATURE-----"
	armorWidth    = 70 // base64 characters a line, as ssh-keygen writes them
	hashSHA512    = "sha512"
	hashSHA256    = "sha256"
)

// sshsig is a parsed signature blob.
type sshsig struct {
	publicKey []byte // the signer's public key, in SSH wire encoding, as it stood in the blob
	namespace string
	reserved  []byte
	hashAlg   string
	signature []byte // an SSH signature: string format, string blob, and for sk- keys flags and counter
}

// marshal returns the blob: MAGIC_PREAMBLE, uint32 version, then the five strings.
func (s *sshsig) marshal() []byte {
	var b bytes.Buffer
	b.WriteString(magicPreamble)
	b.Write(binary.BigEndian.AppendUint32(nil, sigVersion))
	putString(&b, s.publicKey)
	putString(&b, []byte(s.namespace))
	putString(&b, s.reserved)
	putString(&b, []byte(s.hashAlg))
	putString(&b, s.signature)
	return b.Bytes()
}

// signedData is what the key signs: MAGIC_PREAMBLE, namespace, reserved, hash algorithm and
// the hash of the message.
func signedData(namespace string, reserved []byte, hashAlg string, digest []byte) []byte {
	var b bytes.Buffer
	b.WriteString(magicPreamble)
	putString(&b, []byte(namespace))
	putString(&b, reserved)
	putString(&b, []byte(hashAlg))
	putString(&b, digest)
	return b.Bytes()
}

// digest hashes message with the named algorithm; ok is false for an algorithm SSHSIG does not
// allow.
func digest(hashAlg string, message []byte) (sum []byte, ok bool) {
	switch hashAlg {
	case hashSHA512:
		h := sha512.Sum512(message)
		return h[:], true
	case hashSHA256:
		h := sha256.Sum256(message)
		return h[:], true
	}
	return nil, false
}

func putString(b *bytes.Buffer, s []byte) {
	b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(s))))
	b.Write(s)
}

// armor wraps a blob the way ssh-keygen does: the BEGIN line, the base64 in lines of 70
// characters, the END line and a newline.
func armor(blob []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(blob)
	var b bytes.Buffer
	b.WriteString(armorBegin)
	for len(enc) > armorWidth {
		b.WriteString(enc[:armorWidth])
		b.WriteByte('\n')
		enc = enc[armorWidth:]
	}
	b.WriteString(enc)
	b.WriteByte('\n')
	b.WriteString(armorEnd)
	b.WriteByte('\n')
	return b.Bytes()
}

// dearmor returns the blob inside an armored signature. Like ssh-keygen it wants the BEGIN line
// first and the END line after a newline; unlike it, it also refuses anything but white space
// after the END line.
func dearmor(armored []byte) ([]byte, error) {
	const hint = "a release signature is the file `standpunten release --sign-key` or `ssh-keygen -Y sign` wrote, unchanged"
	if len(bytes.TrimSpace(armored)) == 0 {
		return nil, signatureErr(ErrMalformed, "is empty", hint)
	}
	if !bytes.HasPrefix(armored, []byte(armorBegin)) {
		if bytes.HasPrefix(armored, []byte(strings.TrimSuffix(armorBegin, "\n")+"\r\n")) {
			return nil, signatureErr(ErrMalformed, "has CRLF line ends", "ssh-keygen reads only LF line ends: restore the file as it was written (check git's autocrlf)")
		}
		return nil, signatureErr(ErrMalformed, fmt.Sprintf("does not start with the line %q", strings.TrimSuffix(armorBegin, "\n")), hint)
	}
	body := armored[len(armorBegin):]
	end := bytes.Index(body, []byte("\n"+armorEnd))
	if end < 0 {
		return nil, signatureErr(ErrMalformed, fmt.Sprintf("has no line %q after its base64 text", armorEnd), "the file was cut short: "+hint)
	}
	if rest := body[end+1+len(armorEnd):]; len(bytes.TrimSpace(rest)) != 0 {
		return nil, signatureErr(ErrMalformed, fmt.Sprintf("has text after the line %q", armorEnd), hint)
	}
	text := bytes.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' {
			return -1
		}
		return r
	}, body[:end])
	blob := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
	n, err := base64.StdEncoding.Strict().Decode(blob, text)
	if err != nil {
		return nil, signatureErr(ErrMalformed, "its text is not valid base64: "+err.Error(), hint)
	}
	return blob[:n], nil
}

// parseBlob reads a signature blob. It checks the structure, not the key or the signature:
// verify does that.
func parseBlob(blob []byte) (*sshsig, error) {
	const hint = "the signature file is damaged, or is not an SSH signature"
	if !bytes.HasPrefix(blob, []byte(magicPreamble)) {
		return nil, signatureErr(ErrMalformed, fmt.Sprintf("does not begin with %q", magicPreamble), hint)
	}
	r := wireReader{b: blob[len(magicPreamble):]}
	version, ok := r.uint32()
	if !ok {
		return nil, signatureErr(ErrMalformed, "is cut short before its version", hint)
	}
	if version != sigVersion {
		return nil, signatureErr(ErrMalformed, fmt.Sprintf("has format version %d; only version %d exists", version, sigVersion), "use a signature made by `ssh-keygen -Y sign` or `standpunten release --sign-key`")
	}
	var s sshsig
	var ns, alg []byte
	for _, f := range []struct {
		name string
		dst  *[]byte
	}{{"public key", &s.publicKey}, {"namespace", &ns}, {"reserved field", &s.reserved}, {"hash algorithm", &alg}, {"signature", &s.signature}} {
		v, ok := r.string()
		if !ok {
			return nil, signatureErr(ErrMalformed, "is cut short in its "+f.name, hint)
		}
		*f.dst = v
	}
	if len(r.b) != 0 {
		return nil, signatureErr(ErrMalformed, fmt.Sprintf("has %d bytes after its signature", len(r.b)), hint)
	}
	s.namespace, s.hashAlg = string(ns), string(alg)
	if s.namespace == "" {
		return nil, signatureErr(ErrMalformed, "has an empty namespace, which SSHSIG forbids", hint)
	}
	return &s, nil
}

// parseSignature reads an armored signature.
func parseSignature(armored []byte) (*sshsig, error) {
	blob, err := dearmor(armored)
	if err != nil {
		return nil, err
	}
	return parseBlob(blob)
}

// parseSSHSignature reads an SSH signature (RFC 4253 section 6.6: string format, string blob;
// for security keys a flags byte and a counter follow, kept in Rest).
func parseSSHSignature(b []byte) (*ssh.Signature, bool) {
	r := wireReader{b: b}
	format, ok := r.string()
	if !ok {
		return nil, false
	}
	blob, ok := r.string()
	if !ok {
		return nil, false
	}
	sig := &ssh.Signature{Format: string(format), Blob: blob}
	if len(r.b) > 0 {
		sig.Rest = r.b
	}
	return sig, true
}

// wireReader reads SSH wire encoding (RFC 4251 section 5).
type wireReader struct{ b []byte }

func (r *wireReader) uint32() (uint32, bool) {
	if len(r.b) < 4 {
		return 0, false
	}
	v := binary.BigEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v, true
}

func (r *wireReader) string() ([]byte, bool) {
	n, ok := r.uint32()
	if !ok || uint64(n) > uint64(len(r.b)) {
		return nil, false
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v, true
}

package sign

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net"
	"os"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// minRSABits is the smallest RSA key Sign accepts.
const minRSABits = 2048

const keyHint = "pass an OpenSSH private key file without a passphrase (ssh-keygen -t ed25519 -N '' -f KEY), " +
	"or the .pub file of a key loaded in ssh-agent"

// Sign makes an armored SSH signature of message under Namespace, the bytes
// `ssh-keygen -Y sign -f KEY -n standpunten-release` writes: the SHA-512 of message signed with
// the key (RSA with rsa-sha2-512). keyFile is a private key (OpenSSH format, as ssh-keygen writes
// it, or PEM), without a passphrase and not readable by group or others; or a public key
// (a .pub file) whose private key is loaded in the ssh-agent at $SSH_AUTH_SOCK. Sign is
// SignWith(keyFile, os.Getenv("SSH_AUTH_SOCK"), message).
func Sign(keyFile string, message []byte) ([]byte, error) {
	return SignWith(keyFile, os.Getenv("SSH_AUTH_SOCK"), message)
}

// SignWith is Sign with the ssh-agent socket given (used only when keyFile is a public key;
// "" for no agent).
func SignWith(keyFile, agentSocket string, message []byte) ([]byte, error) {
	data, err := readRegular(keyFile)
	if err != nil {
		return nil, fmt.Errorf("sign: read key: %w", err)
	}
	var signer ssh.Signer
	if bytes.Contains(data, []byte("PRIVATE KEY-----")) {
		if signer, err = privateKeySigner(keyFile, data); err != nil {
			return nil, err
		}
	} else {
		pub, _, _, _, perr := ssh.ParseAuthorizedKey(data)
		if perr != nil {
			return nil, fileErr(ErrKey, keyFile, 0, 0, "is neither a private key nor a public key", keyHint)
		}
		ak, err := agentSigner(keyFile, agentSocket, pub)
		if err != nil {
			return nil, err
		}
		defer ak.conn.Close()
		signer = ak
	}
	if err := checkKeyType(keyFile, signer.PublicKey()); err != nil {
		return nil, err
	}
	return signWithSigner(signer, Namespace, message, keyFile)
}

// privateKeySigner reads a private key file.
func privateKeySigner(keyFile string, data []byte) (ssh.Signer, error) {
	if err := checkPrivateKeyMode(keyFile); err != nil {
		return nil, err
	}
	raw, err := ssh.ParseRawPrivateKey(data)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		return nil, fileErr(ErrKey, keyFile, 0, 0, "the private key is protected by a passphrase, which an unattended run cannot ask for",
			"load it into ssh-agent (ssh-add KEY) and pass KEY.pub with SSH_AUTH_SOCK set, or use a key without a passphrase kept readable only by the release user")
	}
	if err != nil {
		return nil, fileErr(ErrKey, keyFile, 0, 0, "is not a private key golang.org/x/crypto/ssh reads: "+err.Error(), keyHint)
	}
	s, err := ssh.NewSignerFromKey(raw)
	if err != nil {
		return nil, fileErr(ErrKey, keyFile, 0, 0, "cannot sign: "+err.Error(), keyHint)
	}
	return s, nil
}

// agentSigner finds pub in the agent at socket and signs with it there.
func agentSigner(keyFile, socket string, pub ssh.PublicKey) (*agentKey, error) {
	if socket == "" {
		return nil, fileErr(ErrKey, keyFile, 0, 0, "is a public key: signing with it needs its private key in ssh-agent, and SSH_AUTH_SOCK is not set",
			"start ssh-agent and ssh-add the private key, or pass the private key file")
	}
	conn, err := net.Dial("unix", socket)
	if err != nil {
		return nil, fileErr(ErrKey, keyFile, 0, 0, fmt.Sprintf("is a public key, and ssh-agent at %s cannot be reached: %v", socket, err),
			"check SSH_AUTH_SOCK, or pass the private key file")
	}
	client := agent.NewClient(conn)
	keys, err := client.List()
	if err != nil {
		conn.Close()
		return nil, fileErr(ErrKey, keyFile, 0, 0, "ssh-agent cannot list its keys: "+err.Error(), "check SSH_AUTH_SOCK")
	}
	for _, k := range keys {
		if bytes.Equal(k.Marshal(), pub.Marshal()) {
			return &agentKey{pub: pub, agent: client, conn: conn}, nil
		}
	}
	conn.Close()
	return nil, fileErr(ErrKey, keyFile, 0, 0, fmt.Sprintf("the key %s is not loaded in ssh-agent at %s", ssh.FingerprintSHA256(pub), socket),
		"ssh-add its private key, or pass the private key file")
}

// agentKey signs with a key held by ssh-agent; RSA signatures as rsa-sha2-512. The caller
// closes conn.
type agentKey struct {
	pub   ssh.PublicKey
	agent agent.ExtendedAgent
	conn  net.Conn
}

func (k *agentKey) PublicKey() ssh.PublicKey { return k.pub }

func (k *agentKey) Sign(_ io.Reader, data []byte) (*ssh.Signature, error) {
	var flags agent.SignatureFlags
	if k.pub.Type() == ssh.KeyAlgoRSA {
		flags = agent.SignatureFlagRsaSha512
	}
	return k.agent.SignWithFlags(k.pub, data, flags)
}

// checkKeyType refuses keys Sign does not make signatures with.
func checkKeyType(keyFile string, pub ssh.PublicKey) error {
	switch pub.Type() {
	case ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521:
		return nil
	case keyAlgoDSA:
		return fileErr(ErrKey, keyFile, 0, 0, "is a DSA key, which OpenSSH no longer accepts", "use an Ed25519 key (ssh-keygen -t ed25519)")
	case ssh.KeyAlgoRSA:
		if cp, ok := pub.(ssh.CryptoPublicKey); ok {
			if rk, ok := cp.CryptoPublicKey().(*rsa.PublicKey); ok && rk.N.BitLen() < minRSABits {
				return fileErr(ErrKey, keyFile, 0, 0, fmt.Sprintf("is a %d-bit RSA key; at least %d bits are needed", rk.N.BitLen(), minRSABits),
					"use an Ed25519 key (ssh-keygen -t ed25519) or RSA of 3072 bits or more")
			}
		}
		return nil
	}
	return fileErr(ErrKey, keyFile, 0, 0, fmt.Sprintf("is a %s key, which this tool does not sign with", pub.Type()),
		"use an Ed25519, ECDSA or RSA key")
}

// signWithSigner makes the armored signature of message under namespace, and checks it before
// returning it (a faulty signer must not produce a release signature that fails later).
func signWithSigner(s ssh.Signer, namespace string, message []byte, keyFile string) ([]byte, error) {
	h, _ := digest(hashSHA512, message)
	data := signedData(namespace, nil, hashSHA512, h)
	var sig *ssh.Signature
	var err error
	pub := s.PublicKey()
	if as, ok := s.(ssh.AlgorithmSigner); ok && pub.Type() == ssh.KeyAlgoRSA {
		sig, err = as.SignWithAlgorithm(rand.Reader, data, ssh.KeyAlgoRSASHA512)
	} else {
		sig, err = s.Sign(rand.Reader, data) // an agentKey asks the agent for rsa-sha2-512 itself
	}
	if err != nil {
		return nil, fileErr(ErrKey, keyFile, 0, 0, "signing failed: "+err.Error(), keyHint)
	}
	if pub.Type() == ssh.KeyAlgoRSA && sig.Format != ssh.KeyAlgoRSASHA512 {
		return nil, fileErr(ErrKey, keyFile, 0, 0, fmt.Sprintf("the RSA key signed with %s, not rsa-sha2-512", sig.Format), "use a newer ssh-agent, or an Ed25519 key")
	}
	if err := pub.Verify(data, sig); err != nil {
		return nil, fileErr(ErrKey, keyFile, 0, 0, "the key made a signature that does not verify: "+err.Error(), keyHint)
	}
	blob := &sshsig{
		publicKey: pub.Marshal(),
		namespace: namespace,
		hashAlg:   hashSHA512,
		signature: ssh.Marshal(sig),
	}
	return armor(blob.marshal()), nil
}

// readRegular reads a file that must be a regular file (a FIFO or device would hang or never end).
func readRegular(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%s)", path, fi.Mode().Type())
	}
	return os.ReadFile(path)
}

// keyAlgoDSA is the type of a DSA key ("ssh-dss"), named here to refuse it: x/crypto/ssh's own
// name for it is deprecated.
const keyAlgoDSA = "ssh-dss"

// Package sign makes and checks the SSH signatures of releases: an armored SSHSIG signature
// (OpenSSH's PROTOCOL.sshsig, "-----BEGIN SSH SIGNATURE-----"), the format `ssh-keygen -Y sign`
// writes and `ssh-keygen -Y verify` reads, so anyone can check a release with OpenSSH alone:
//
//	ssh-keygen -Y verify -f allowed_signers -I PRINCIPAL -n standpunten-release \
//	    -s SHA256SUMS.sig < SHA256SUMS
//
// It owns the signature format (the blob, its armor, the signed data: the SHA-512 of the message
// under the namespace [Namespace]), loading a signing key (an OpenSSH or PEM private key file
// without a passphrase, or a public key whose private half is in ssh-agent), and the ALLOWED
// SIGNERS file of ssh-keygen(1): principals, the options cert-authority, namespaces="…",
// valid-after="…" and valid-before="…", a key type and a base64 key, comments and blank lines.
// Keys and signature algorithms come from golang.org/x/crypto/ssh: Ed25519, ECDSA (NIST P-256,
// P-384, P-521) and RSA (rsa-sha2-512 when signing; rsa-sha2-256 also accepted when verifying;
// SHA-1 "ssh-rsa" signatures refused, as ssh-keygen refuses them). Signatures by security keys
// (sk-ssh-ed25519, sk-ecdsa) go through x/crypto's verification but are untested here (no
// hardware key); such keys cannot sign here.
//
// Verify is stricter than ssh-keygen in two ways, both on purpose: every line of the allowed
// signers file must parse (ssh-keygen stops reading at the first match), and nothing but white
// space may follow the armor's END line. Signatures by OpenSSH certificates (cert-authority lines)
// are not supported: such lines parse, but a certificate's signature is refused as not allowed.
//
// It does not decide what is signed or where the signature is written (the release package signs
// SHA256SUMS into SHA256SUMS.sig), and it never prompts: a key with a passphrase is an error that
// says what to do instead. It reads the environment in one place only, [Sign], for SSH_AUTH_SOCK
// (as ssh-keygen does); [SignWith] takes the agent socket as an argument. [Verify] checks key
// validity dates (valid-after, valid-before) against the clock; [VerifyAt] takes the time.
package sign

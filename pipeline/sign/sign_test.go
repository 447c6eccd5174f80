package sign

import (
	"bytes"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/standpunten/standpunten/pipeline/model"
)

// message is what the tests sign: a SHA256SUMS file as a release writes it.
var message = []byte("4f1c…  csv/parties.csv\n9a0b…  datapackage.json\n")

// keyTypes are the key types ssh-keygen makes that Sign must handle.
var keyTypes = []struct {
	name string
	args []string
}{
	{"ed25519", []string{"-t", "ed25519"}},
	{"rsa", []string{"-t", "rsa", "-b", "3072"}},
	{"ecdsa", []string{"-t", "ecdsa", "-b", "256"}},
}

// allowedFile writes an allowed_signers file with one line per key, principal NAME@test.
func allowedFile(t *testing.T, dir string, lines ...string) string {
	t.Helper()
	return write(t, dir, "allowed_signers", []byte(strings.Join(lines, "\n")+"\n"))
}

// TestSignVerifiedBySSHKeygen: what Sign writes, ssh-keygen -Y verify accepts, and Verify too.
func TestSignVerifiedBySSHKeygen(t *testing.T) {
	for _, kt := range keyTypes {
		t.Run(kt.name, func(t *testing.T) {
			dir := t.TempDir()
			key := keygen(t, dir, kt.name, kt.args...)
			allowed := allowedFile(t, dir, "release@example.org "+key.pubLine)

			sig, err := Sign(key.priv, message)
			require.NoError(t, err)
			assert.True(t, bytes.HasPrefix(sig, []byte("-----BEGIN SSH SIGNATURE-----\n")), "armor: %s", sig)

			out, err := sshVerify(t, allowed, "release@example.org", Namespace, sig, message)
			require.NoError(t, err, "ssh-keygen -Y verify refused the signature:\n%s", out)
			assert.Contains(t, out, `Good "`+Namespace+`" signature for release@example.org`)

			principal, err := Verify(allowed, sig, message)
			require.NoError(t, err)
			assert.Equal(t, "release@example.org", principal)

			// ssh-keygen refuses it under another namespace and for another message.
			_, err = sshVerify(t, allowed, "release@example.org", "file", sig, message)
			assert.Error(t, err, "ssh-keygen accepted the signature under namespace file")
			_, err = sshVerify(t, allowed, "release@example.org", Namespace, sig, append([]byte("x"), message...))
			assert.Error(t, err, "ssh-keygen accepted the signature for a changed message")
		})
	}
}

// TestSameBytesAsSSHKeygen: Ed25519 and RSA (PKCS #1 v1.5) signatures are deterministic, so
// Sign must write exactly the bytes ssh-keygen -Y sign writes: blob, armor and line breaks.
func TestSameBytesAsSSHKeygen(t *testing.T) {
	for _, kt := range keyTypes[:2] {
		t.Run(kt.name, func(t *testing.T) {
			dir := t.TempDir()
			key := keygen(t, dir, kt.name, kt.args...)
			for _, msg := range [][]byte{message, {}, bytes.Repeat([]byte("release "), 5000)} {
				path := write(t, dir, "SHA256SUMS", msg)
				want := sshSign(t, key, Namespace, path)
				got, err := Sign(key.priv, msg)
				require.NoError(t, err)
				assert.Equal(t, string(want), string(got))
			}
		})
	}
}

// TestVerifySSHKeygenSignature: what ssh-keygen -Y sign writes, Verify accepts, also with
// -O hashalg=sha256 and a principal list.
func TestVerifySSHKeygenSignature(t *testing.T) {
	for _, kt := range keyTypes {
		for _, hashalg := range []string{"sha512", "sha256"} {
			t.Run(kt.name+"-"+hashalg, func(t *testing.T) {
				dir := t.TempDir()
				key := keygen(t, dir, kt.name, kt.args...)
				other := keygen(t, dir, "other", "-t", "ed25519")
				allowed := allowedFile(t, dir,
					"# release keys",
					"",
					"someone@example.org "+other.pubLine,
					`a@example.org,b@example.org namespaces="file,`+Namespace+`" `+key.pubLine)
				path := write(t, dir, "SHA256SUMS", message)
				sig := sshSign(t, key, Namespace, path, "-O", "hashalg="+hashalg)
				assert.Contains(t, string(mustDearmorHashAlg(t, sig)), hashalg)

				principal, err := Verify(allowed, sig, message)
				require.NoError(t, err)
				assert.Equal(t, "a@example.org,b@example.org", principal)
			})
		}
	}
}

// mustDearmorHashAlg returns the hash algorithm named in an armored signature.
func mustDearmorHashAlg(t *testing.T, sig []byte) string {
	t.Helper()
	s, err := parseSignature(sig)
	require.NoError(t, err)
	return s.hashAlg
}

// TestVerifyRefuses: each way a signature can fail gives its own error, and ssh-keygen refuses
// the same signature (so the test cases are real failures, not artefacts of this package).
func TestVerifyRefuses(t *testing.T) {
	needSSHKeygen(t)
	dir := t.TempDir()
	key := keygen(t, dir, "release", "-t", "ed25519")
	stranger := keygen(t, dir, "stranger", "-t", "ed25519")
	rsaKey := keygen(t, dir, "rsa", "-t", "rsa", "-b", "3072")
	allowed := allowedFile(t, dir, "release@example.org "+key.pubLine, "rsa@example.org "+rsaKey.pubLine)
	good, err := Sign(key.priv, message)
	require.NoError(t, err)
	path := write(t, dir, "SHA256SUMS", message)

	tampered := bytes.Replace(message, []byte("parties"), []byte("partiez"), 1)
	byStranger, err := Sign(stranger.priv, message)
	require.NoError(t, err)
	otherNamespace := sshSign(t, key, "file", path)
	sha1RSA := signSHA1RSA(t, rsaKey.priv, message)
	flipped := flipSignatureByte(t, good)

	cases := []struct {
		name      string
		principal string // for ssh-keygen
		sig, msg  []byte
		allowed   string
		want      error
		text      string // in the error message
	}{
		{"changed message", "release@example.org", good, tampered, allowed, ErrMismatch, "does not match the signed file"},
		{"changed signature byte", "release@example.org", flipped, message, allowed, ErrMismatch, "does not match the signed file"},
		{"another key", "release@example.org", byStranger, message, allowed, ErrNotAllowed, "does not list the key that made the signature (ssh-ed25519 SHA256:"},
		{"wrong namespace", "release@example.org", otherNamespace, message, allowed, ErrNamespace, `namespace "file", not "standpunten-release"`},
		{"rsa with sha-1", "rsa@example.org", sha1RSA, message, allowed, ErrMalformed, "SHA-1"},
		{"key only for other namespaces", "release@example.org", good, message,
			allowedFile(t, t.TempDir(), "# keys", `release@example.org namespaces="file,git" `+key.pubLine), ErrNotAllowed,
			`allowed_signers:2: allows the signing key SHA256:`},
		{"expired key", "release@example.org", good, message,
			allowedFile(t, t.TempDir(), `release@example.org valid-before="20200101Z" `+key.pubLine), ErrNotAllowed, "valid-before"},
		{"key not yet valid", "release@example.org", good, message,
			allowedFile(t, t.TempDir(), `release@example.org valid-after="29990101Z" `+key.pubLine), ErrNotAllowed, "valid-after"},
		{"key only as cert-authority", "release@example.org", good, message,
			allowedFile(t, t.TempDir(), `release@example.org cert-authority `+key.pubLine), ErrNotAllowed, "cert-authority"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Verify(c.allowed, c.sig, c.msg)
			require.Error(t, err)
			assert.ErrorIs(t, err, c.want, "%v", err)
			assert.Contains(t, err.Error(), c.text)
			for _, other := range []error{ErrMismatch, ErrNotAllowed, ErrNamespace, ErrMalformed, ErrAllowedSigners} {
				if other != c.want {
					assert.NotErrorIs(t, err, other)
				}
			}
			out, err := sshVerify(t, c.allowed, c.principal, Namespace, c.sig, c.msg)
			assert.Error(t, err, "ssh-keygen accepted what Verify refused:\n%s", out)
		})
	}
}

// signSHA1RSA makes an SSHSIG signature whose RSA signature uses ssh-rsa (SHA-1), which
// PROTOCOL.sshsig forbids.
func signSHA1RSA(t *testing.T, keyFile string, msg []byte) []byte {
	t.Helper()
	data, err := os.ReadFile(keyFile)
	require.NoError(t, err)
	signer, err := ssh.ParsePrivateKey(data)
	require.NoError(t, err)
	h, _ := digest(hashSHA512, msg)
	sig, err := signer.(ssh.AlgorithmSigner).SignWithAlgorithm(rand.Reader, signedData(Namespace, nil, hashSHA512, h), ssh.KeyAlgoRSA)
	require.NoError(t, err)
	blob := &sshsig{publicKey: signer.PublicKey().Marshal(), namespace: Namespace, hashAlg: hashSHA512, signature: ssh.Marshal(sig)}
	return armor(blob.marshal())
}

// flipSignatureByte changes the last byte of the signature inside an armored SSHSIG.
func flipSignatureByte(t *testing.T, armored []byte) []byte {
	t.Helper()
	s, err := parseSignature(armored)
	require.NoError(t, err)
	sig := bytes.Clone(s.signature)
	sig[len(sig)-1] ^= 0x01
	s.signature = sig
	return armor(s.marshal())
}

// TestVerifyMalformed: signatures that are not SSHSIG are ErrMalformed with a message saying
// what is wrong.
func TestVerifyMalformed(t *testing.T) {
	needSSHKeygen(t)
	dir := t.TempDir()
	key := keygen(t, dir, "release", "-t", "ed25519")
	allowed := allowedFile(t, dir, "release@example.org "+key.pubLine)
	good, err := Sign(key.priv, message)
	require.NoError(t, err)
	s, err := parseSignature(good)
	require.NoError(t, err)
	blob := s.marshal()
	withVersion := func(v byte) []byte {
		b := bytes.Clone(blob)
		b[len(magicPreamble)+3] = v
		return armor(b)
	}
	withHash := *s
	withHash.hashAlg = "md5"

	cases := []struct {
		name string
		sig  []byte
		text string
		// sshAccepts: ssh-keygen ignores what follows the END line; Verify refuses it on purpose.
		sshAccepts bool
	}{
		{"empty", nil, "is empty", false},
		{"no armor", []byte("hello\n"), `does not start with the line "-----BEGIN SSH SIGNATURE-----"`, false},
		{"crlf", bytes.ReplaceAll(good, []byte("\n"), []byte("\r\n")), "CRLF", false},
		{"cut short", good[:len(good)/2], "has no line", false},
		{"text after end", append(bytes.Clone(good), "trailer\n"...), "text after the line", true},
		{"bad base64", bytes.Replace(good, []byte("U1NI"), []byte("U!NI"), 1), "not valid base64", false},
		{"not sshsig", armor([]byte("NOTSIG\x00\x00\x00\x01")), `does not begin with "SSHSIG"`, false},
		{"version 2", withVersion(2), "format version 2", false},
		{"truncated blob", armor(blob[:len(blob)-10]), "cut short in its signature", false},
		{"trailing bytes", armor(append(bytes.Clone(blob), 0, 0)), "2 bytes after its signature", false},
		{"hash md5", armor(withHash.marshal()), `hash algorithm "md5"`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Verify(allowed, c.sig, message)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrMalformed)
			assert.Contains(t, err.Error(), c.text)
			out, err := sshVerify(t, allowed, "release@example.org", Namespace, c.sig, message)
			if c.sshAccepts {
				assert.NoError(t, err, "ssh-keygen:\n%s", out)
			} else {
				assert.Error(t, err, "ssh-keygen accepted what Verify refused:\n%s", out)
			}
		})
	}
	// Trailing white space after the END line is fine, as for ssh-keygen.
	_, err = Verify(allowed, append(bytes.Clone(good), "\n\n"...), message)
	assert.NoError(t, err)
}

// TestVerifyBadAllowedSigners: a line that does not parse names the file, line and column,
// even when another line would allow the key; ssh-keygen refuses the same lines when it reads
// them (the bad line comes first).
func TestVerifyBadAllowedSigners(t *testing.T) {
	needSSHKeygen(t)
	dir := t.TempDir()
	key := keygen(t, dir, "release", "-t", "ed25519")
	good, err := Sign(key.priv, message)
	require.NoError(t, err)
	keyB64 := strings.Fields(key.pubLine)[1]

	cases := []struct {
		name, line string
		pos        string // file:line:col suffix
		text       string
	}{
		{"no key", "release@example.org", ":2:1:", "no key"},
		{"unknown option", "release@example.org no-touch=\"x\" " + key.pubLine, ":2:21:", `unknown option "no-touch"`},
		{"unquoted namespaces", "release@example.org namespaces=file " + key.pubLine, ":2:32:", "double quotes"},
		{"bad time", `release@example.org valid-after="2024" ` + key.pubLine, ":2:33:", "YYYYMMDD"},
		{"bad base64", "release@example.org ssh-ed25519 " + keyB64[:len(keyB64)-3] + "!!!", ":2:33:", "not valid base64"},
		{"type mismatch", "release@example.org ssh-rsa " + keyB64, ":2:21:", `the key type is "ssh-rsa"`},
		{"not a key type", "release@example.org rubbish " + keyB64, ":2:21:", `the key type is "rubbish"`},
		{"options end with comma", `release@example.org namespaces="x", ` + key.pubLine, ":2:", "end with a comma"},
		{"options twice", `release@example.org namespaces="x",namespaces="y" ` + key.pubLine, ":2:36:", "given twice"},
		{"before before after", `release@example.org valid-after="20240101Z",valid-before="20230101Z" ` + key.pubLine, ":2:21:", "valid-before is not after valid-after"},
		{"unclosed quote", `"release@example.org ` + key.pubLine, ":2:1:", "no closing quote"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := t.TempDir()
			allowed := allowedFile(t, d, "# first a bad line, then the good one", c.line, "release@example.org "+key.pubLine)
			_, err := Verify(allowed, good, message)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrAllowedSigners)
			var se *model.SourceError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, allowed, se.File)
			assert.Equal(t, 2, se.Line)
			assert.Contains(t, err.Error(), allowed+c.pos)
			assert.Contains(t, err.Error(), c.text)
			assert.NotEmpty(t, se.Hint)

			// ssh-keygen, reading the bad line first, also refuses (it stops at a bad line).
			bad := allowedFile(t, t.TempDir(), c.line)
			out, err := sshVerify(t, bad, "release@example.org", Namespace, good, message)
			assert.Error(t, err, "ssh-keygen accepted the line %q:\n%s", c.line, out)
		})
	}

	empty := allowedFile(t, t.TempDir(), "# nobody yet", "")
	_, err = Verify(empty, good, message)
	assert.ErrorIs(t, err, ErrAllowedSigners)
	assert.Contains(t, err.Error(), "lists no key")

	_, err = Verify(filepath.Join(dir, "missing"), good, message)
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// TestAllowedSignersAcceptedLikeSSHKeygen: lines with the format's variations parse, and
// ssh-keygen accepts the same file for the same signature.
func TestAllowedSignersAcceptedLikeSSHKeygen(t *testing.T) {
	needSSHKeygen(t)
	dir := t.TempDir()
	key := keygen(t, dir, "release", "-t", "ed25519")
	good, err := Sign(key.priv, message)
	require.NoError(t, err)

	cases := []struct {
		name, line, principal, want string
	}{
		{"plain", "release@example.org " + key.pubLine, "release@example.org", "release@example.org"},
		{"leading blanks and tab", " \t release@example.org\t" + key.pubLine, "release@example.org", "release@example.org"},
		{"no comment", "release@example.org " + strings.Join(strings.Fields(key.pubLine)[:2], " "), "release@example.org", "release@example.org"},
		{"wildcard principal", "*@example.org " + key.pubLine, "release@example.org", "*@example.org"},
		{"quoted principals", `"release@example.org,x@example.org" ` + key.pubLine, "x@example.org", "release@example.org,x@example.org"},
		{"namespace pattern", `release@example.org namespaces="standpunten-*" ` + key.pubLine, "release@example.org", "release@example.org"},
		{"options in capitals", `release@example.org NAMESPACES="file,standpunten-release" ` + key.pubLine, "release@example.org", "release@example.org"},
		{"valid window", `release@example.org valid-after="20200101",valid-before="299901011200Z" ` + key.pubLine, "release@example.org", "release@example.org"},
		{"escaped quote in value", `release@example.org namespaces="standpunten-release,a\"b" ` + key.pubLine, "release@example.org", "release@example.org"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			allowed := write(t, t.TempDir(), "allowed_signers", []byte("# comment\r\n\r\n"+c.line+"\r\n"))
			got, err := Verify(allowed, good, message)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			out, err := sshVerify(t, allowed, c.principal, Namespace, good, message)
			assert.NoError(t, err, "ssh-keygen refused:\n%s", out)
		})
	}
}

// TestVerifyAtUsesTheGivenTime: the validity window is judged at the time given, and a time
// without Z is read in that time's location.
func TestVerifyAtUsesTheGivenTime(t *testing.T) {
	needSSHKeygen(t)
	dir := t.TempDir()
	key := keygen(t, dir, "release", "-t", "ed25519")
	good, err := Sign(key.priv, message)
	require.NoError(t, err)
	allowed := allowedFile(t, dir, `release@example.org valid-after="202401011200",valid-before="20250101" `+key.pubLine)
	amsterdam := time.FixedZone("CET", 3600)

	for _, c := range []struct {
		at   time.Time
		want error
	}{
		{time.Date(2024, 1, 1, 11, 59, 59, 0, amsterdam), ErrNotAllowed},
		{time.Date(2024, 1, 1, 12, 0, 0, 0, amsterdam), nil},
		{time.Date(2024, 6, 1, 0, 0, 0, 0, amsterdam), nil},
		{time.Date(2025, 1, 1, 0, 0, 0, 0, amsterdam), nil},
		{time.Date(2025, 1, 1, 0, 0, 1, 0, amsterdam), ErrNotAllowed},
		// 11:30 UTC is 12:30 in CET: inside the window only when read in CET.
		{time.Date(2024, 1, 1, 11, 30, 0, 0, time.UTC), ErrNotAllowed},
	} {
		_, err := VerifyAt(allowed, good, message, c.at)
		if c.want == nil {
			assert.NoError(t, err, "at %s", c.at)
		} else {
			assert.ErrorIs(t, err, c.want, "at %s", c.at)
		}
	}
}

// TestSignKeyErrors: keys Sign cannot use are ErrKey errors that name the key file and say what
// to do.
func TestSignKeyErrors(t *testing.T) {
	needSSHKeygen(t)
	dir := t.TempDir()
	encrypted := keygen(t, dir, "encrypted", "-t", "ed25519", "-N", "correct horse")
	small := keygen(t, dir, "small", "-t", "rsa", "-b", "1024")
	open := keygen(t, dir, "open", "-t", "ed25519")
	require.NoError(t, os.Chmod(open.priv, 0o644))
	notKey := write(t, dir, "notes.txt", []byte("not a key\n"))

	cases := []struct {
		name, file, text, hint string
	}{
		{"encrypted", encrypted.priv, "protected by a passphrase", "ssh-add"},
		{"small rsa", small.priv, "1024-bit RSA key", "ed25519"},
		{"readable by others", open.priv, "readable by group or others (mode 0644)", "chmod 600"},
		{"not a key", notKey, "neither a private key nor a public key", "ssh-keygen -t ed25519"},
		{"public key without agent", open.pub, "SSH_AUTH_SOCK is not set", "ssh-add"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := SignWith(c.file, "", message)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrKey)
			var se *model.SourceError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, c.file, se.File)
			assert.Contains(t, se.Msg, c.text)
			assert.Contains(t, se.Hint, c.hint)
		})
	}

	_, err := Sign(filepath.Join(dir, "missing"), message)
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.False(t, errors.Is(err, ErrKey))
}

// TestSignWithAgent: with a .pub file, the key in a real ssh-agent signs (RSA as rsa-sha2-512),
// and ssh-keygen accepts the signature.
func TestSignWithAgent(t *testing.T) {
	needSSHKeygen(t)
	socket := startAgent(t)
	for _, kt := range keyTypes[:2] {
		t.Run(kt.name, func(t *testing.T) {
			dir := t.TempDir()
			key := keygen(t, dir, kt.name, kt.args...)
			allowed := allowedFile(t, dir, "release@example.org "+key.pubLine)

			_, err := SignWith(key.pub, socket, message)
			assert.ErrorIs(t, err, ErrKey, "a key not in the agent")
			assert.ErrorContains(t, err, "not loaded in ssh-agent")

			if _, stderr, err := run(t, []string{"SSH_AUTH_SOCK=" + socket}, nil, "ssh-add", "-q", key.priv); err != nil {
				t.Fatalf("ssh-add: %v\n%s", err, stderr)
			}
			sig, err := SignWith(key.pub, socket, message)
			require.NoError(t, err)
			out, err := sshVerify(t, allowed, "release@example.org", Namespace, sig, message)
			require.NoError(t, err, "ssh-keygen -Y verify refused the agent's signature:\n%s", out)
			principal, err := Verify(allowed, sig, message)
			require.NoError(t, err)
			assert.Equal(t, "release@example.org", principal)
		})
	}
}

// startAgent starts an ssh-agent on a socket of its own and stops it (by its pid) when the test
// ends. ssh-agent returns once its socket listens.
func startAgent(t *testing.T) string {
	t.Helper()
	agentBin := needTool(t, "ssh-agent")
	needTool(t, "ssh-add")
	dir, err := os.MkdirTemp("", "sa") // short: a socket path is limited to about 100 bytes
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	socket := filepath.Join(dir, "agent.sock")
	out, stderr, err := run(t, nil, nil, agentBin, "-s", "-a", socket)
	require.NoError(t, err, "ssh-agent: %s", stderr)
	m := regexp.MustCompile(`SSH_AGENT_PID=(\d+)`).FindStringSubmatch(out)
	require.NotNil(t, m, "ssh-agent printed no pid: %s", out)
	t.Cleanup(func() {
		if _, stderr, err := run(t, []string{"SSH_AGENT_PID=" + m[1], "SSH_AUTH_SOCK=" + socket}, nil, agentBin, "-k"); err != nil {
			t.Errorf("ssh-agent -k: %v\n%s", err, stderr)
		}
	})
	return socket
}

// TestVerifyCertificateNotSupported: a signature made with an OpenSSH certificate, which
// ssh-keygen accepts through a cert-authority line, is refused as not allowed with a message
// that says certificates are not supported (a known limit of this package).
func TestVerifyCertificateNotSupported(t *testing.T) {
	bin := needSSHKeygen(t)
	dir := t.TempDir()
	ca := keygen(t, dir, "ca", "-t", "ed25519")
	key := keygen(t, dir, "release", "-t", "ed25519")
	if _, stderr, err := run(t, nil, nil, bin, "-q", "-s", ca.priv, "-I", "release-key", "-n", "release@example.org", key.pub); err != nil {
		t.Fatalf("ssh-keygen -s: %v\n%s", err, stderr)
	}
	path := write(t, dir, "SHA256SUMS", message)
	sig := sshSign(t, testKey{priv: strings.TrimSuffix(key.pub, ".pub") + "-cert.pub"}, Namespace, path)
	allowed := allowedFile(t, dir, "release@example.org cert-authority "+ca.pubLine)

	out, err := sshVerify(t, allowed, "release@example.org", Namespace, sig, message)
	require.NoError(t, err, "ssh-keygen:\n%s", out)
	_, err = Verify(allowed, sig, message)
	assert.ErrorIs(t, err, ErrNotAllowed)
	assert.ErrorContains(t, err, `OpenSSH certificate (key id "release-key"), and certificates are not supported`)
}

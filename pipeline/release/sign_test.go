package release

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/check"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/sign"
	"github.com/standpunten/standpunten/schemas"
)

// sshKeygen returns the path of ssh-keygen, or skips (fails under CI) when it is missing.
func sshKeygen(t *testing.T) string {
	p, err := exec.LookPath("ssh-keygen")
	if err != nil {
		if os.Getenv("STANDPUNTEN_CONFORMANCE") == "require" {
			t.Fatal("ssh-keygen (Debian openssh-client) is needed for the signature tests")
		}
		t.Skip("ssh-keygen not found: install openssh-client to test signed releases")
	}
	return p
}

// TestSignedRelease: release --sign-key writes SHA256SUMS.sig, which ssh-keygen itself accepts and
// validate --allowed-signers checks; tampering that recomputes every hash is caught; verify still
// passes (the signature is not rebuilt); an unusable key fails before anything is built.
func TestSignedRelease(t *testing.T) {
	keygen := sshKeygen(t)
	keys := t.TempDir()
	key := filepath.Join(keys, "id_ed25519")
	out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-C", "release@standpunten", "-f", key).CombinedOutput()
	require.NoError(t, err, "%s", out)
	pub, err := os.ReadFile(key + ".pub")
	require.NoError(t, err)
	allowed := filepath.Join(keys, "allowed_signers")
	require.NoError(t, os.WriteFile(allowed, append([]byte("release@standpunten namespaces=\""+sign.Namespace+"\" "), pub...), 0o644))

	raw, dir := rawCopy(t), filepath.Join(t.TempDir(), "output")
	res := publishOK(t, raw, dir, day1, func(o *Options) { o.SignKey = key })
	rel := res.Path
	require.FileExists(t, filepath.Join(rel, publish.SignatureFile))

	cmd := exec.Command(keygen, "-Y", "verify", "-f", allowed, "-I", "release@standpunten", "-n", sign.Namespace, "-s", filepath.Join(rel, publish.SignatureFile))
	sums, err := os.Open(filepath.Join(rel, SumsFile))
	require.NoError(t, err)
	defer sums.Close()
	cmd.Stdin = sums
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, "ssh-keygen -Y verify: %s", out)

	set, err := schemas.Load()
	require.NoError(t, err)
	r, err := check.FolderWith(context.Background(), rel, set, check.Options{AllowedSigners: allowed})
	require.NoError(t, err)
	assert.True(t, r.Valid, "%+v", r.Findings)
	assert.Equal(t, "release@standpunten", r.Signer)

	v, err := Verify(context.Background(), raw, dir, 0, nil)
	require.NoError(t, err)
	assert.Empty(t, v.Mismatches)

	// Tampering that recomputes SHA256SUMS passes every hash check, but not the signature.
	tampered := filepath.Join(t.TempDir(), "v1.0.0")
	require.NoError(t, exec.Command("cp", "-a", rel, tampered).Run())
	csv := filepath.Join(tampered, "csv", "parties.csv")
	b, err := os.ReadFile(csv)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(csv, append(b, b[len(b)-20:]...), 0o644))
	newSums, err := publish.SHA256Sums(tampered)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(tampered, SumsFile), newSums, 0o644))
	r, err = check.FolderWith(context.Background(), tampered, set, check.Options{AllowedSigners: allowed})
	require.NoError(t, err)
	assert.False(t, r.Valid)
	var rules []string
	for _, f := range r.Findings {
		if f.Severity == "error" {
			rules = append(rules, f.Rule)
		}
	}
	assert.Contains(t, rules, "file.signature")

	// An unsigned release, checked with --allowed-signers, is a finding.
	require.NoError(t, os.Remove(filepath.Join(tampered, publish.SignatureFile)))
	r, err = check.FolderWith(context.Background(), tampered, set, check.Options{AllowedSigners: allowed})
	require.NoError(t, err)
	var msgs []string
	for _, f := range r.Findings {
		if f.Rule == "file.signature" {
			msgs = append(msgs, f.Message)
		}
	}
	require.Len(t, msgs, 1)
	assert.Contains(t, msgs[0], "the release is not signed")

	// A missing key file is a usage error, before the lock or the build.
	o := filepath.Join(t.TempDir(), "o")
	_, err = Publish(context.Background(), Options{RawDir: raw, OutDir: o, Date: day1, SignKey: filepath.Join(keys, "missing")})
	require.ErrorIs(t, err, model.ErrConfig)
	assert.NoDirExists(t, o)
}

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSignFlags: release --sign-key and validate --allowed-signers as an operator uses them: a
// signed release validates and names its signer; a key the allowed signers do not list is exit 3;
// an unreadable allowed_signers file or a missing key is exit 2 (configuration).
func TestSignFlags(t *testing.T) {
	keygen, err := exec.LookPath("ssh-keygen")
	if err != nil {
		if os.Getenv("STANDPUNTEN_CONFORMANCE") == "require" {
			t.Fatal("ssh-keygen (Debian openssh-client) is needed")
		}
		t.Skip("ssh-keygen not found: install openssh-client")
	}
	keys := t.TempDir()
	for _, name := range []string{"release", "other"} {
		out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", filepath.Join(keys, name)).CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	allowed := func(name, principal string) string {
		pub, err := os.ReadFile(filepath.Join(keys, name+".pub"))
		require.NoError(t, err)
		path := filepath.Join(keys, name+".allowed")
		require.NoError(t, os.WriteFile(path, append([]byte(principal+" "), pub...), 0o644))
		return path
	}
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	code, _, stderr := runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-23", "--sign-key", filepath.Join(keys, "release"))
	require.Equal(t, exitOK, code, stderr)
	rel := filepath.Join(out, "releases", "v1.0.0")
	assert.FileExists(t, filepath.Join(rel, "SHA256SUMS.sig"))

	code, _, stderr = runCLI("validate", "--sources", filepath.Dir(raw), "--allowed-signers", allowed("release", "release@standpunten"), rel)
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "signed by release@standpunten")

	code, _, stderr = runCLI("validate", "--sources", "", "--allowed-signers", allowed("other", "other@standpunten"), rel)
	assert.Equal(t, exitInvalid, code, stderr)
	assert.Contains(t, stderr, "file.signature")

	code, _, stderr = runCLI("validate", "--sources", "", "--allowed-signers", filepath.Join(keys, "missing"), rel)
	assert.Equal(t, exitUsage, code, stderr)

	code, _, stderr = runCLI("release", "--raw", raw, "--out", filepath.Join(t.TempDir(), "o"), "--date", "2026-11-23", "--sign-key", filepath.Join(keys, "missing"))
	assert.Equal(t, exitUsage, code, stderr)
	assert.Contains(t, stderr, "--sign-key")
}

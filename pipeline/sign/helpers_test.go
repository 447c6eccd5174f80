package sign

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// conformanceEnv set to "require" (CI) turns a missing ssh-keygen into a failure.
const conformanceEnv = "STANDPUNTEN_CONFORMANCE"

// needSSHKeygen returns the ssh-keygen binary, or skips the test (fails it under
// STANDPUNTEN_CONFORMANCE=require) when OpenSSH's client tools are not installed.
func needSSHKeygen(t *testing.T) string {
	t.Helper()
	return needTool(t, "ssh-keygen")
}

// needTool returns the path of an OpenSSH client tool (ssh-keygen, ssh-agent, ssh-add), or
// skips the test (fails it under STANDPUNTEN_CONFORMANCE=require) when it is missing.
func needTool(t *testing.T, name string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv(conformanceEnv) == "require" {
			t.Fatalf("%s is not installed (Debian: apt-get install openssh-client), so signatures cannot be checked against OpenSSH (%s=require)", name, conformanceEnv)
		}
		t.Skipf("%s is not installed (Debian: apt-get install openssh-client), so signatures cannot be checked against OpenSSH; set %s=require to make this a failure", name, conformanceEnv)
	}
	return bin
}

// run runs a command with stdin and returns its stdout and stderr and its error.
func run(t *testing.T, env []string, stdin []byte, name string, args ...string) (string, string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// testKey is a key pair made by ssh-keygen.
type testKey struct {
	priv, pub string // file paths
	pubLine   string // the .pub file's line: "type base64 comment"
}

// keygen makes a key pair with ssh-keygen in dir; args are extra options (-t, -b, -N).
func keygen(t *testing.T, dir, name string, args ...string) testKey {
	t.Helper()
	bin := needSSHKeygen(t)
	priv := filepath.Join(dir, name)
	hasPass := false
	for _, a := range args {
		if a == "-N" {
			hasPass = true
		}
	}
	full := append([]string{"-q", "-C", name + "@test", "-f", priv}, args...)
	if !hasPass {
		full = append(full, "-N", "")
	}
	if _, stderr, err := run(t, nil, nil, bin, full...); err != nil {
		t.Fatalf("ssh-keygen %s: %v\n%s", strings.Join(full, " "), err, stderr)
	}
	pub, err := os.ReadFile(priv + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	return testKey{priv: priv, pub: priv + ".pub", pubLine: strings.TrimSpace(string(pub))}
}

// write writes data to dir/name and returns the path.
func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// sshSign signs the file at path with ssh-keygen -Y sign and returns the armored signature.
func sshSign(t *testing.T, key testKey, namespace, path string, extra ...string) []byte {
	t.Helper()
	bin := needSSHKeygen(t)
	_ = os.Remove(path + ".sig")
	args := append([]string{"-Y", "sign", "-q", "-f", key.priv, "-n", namespace}, extra...)
	args = append(args, path)
	if _, stderr, err := run(t, nil, nil, bin, args...); err != nil {
		t.Fatalf("ssh-keygen %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	sig, err := os.ReadFile(path + ".sig")
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// sshVerify runs ssh-keygen -Y verify and returns its output and error (nil: a good signature).
func sshVerify(t *testing.T, allowed, principal, namespace string, sig, message []byte) (string, error) {
	t.Helper()
	bin := needSSHKeygen(t)
	sigPath := write(t, t.TempDir(), "message.sig", sig)
	stdout, stderr, err := run(t, nil, message, bin, "-Y", "verify", "-f", allowed, "-I", principal, "-n", namespace, "-s", sigPath)
	return stdout + stderr, err
}

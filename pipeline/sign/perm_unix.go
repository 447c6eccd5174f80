//go:build unix

package sign

import (
	"fmt"
	"os"
	"syscall"
)

// checkPrivateKeyMode refuses a private key file of the current user that group or others may
// read, as ssh and ssh-keygen refuse it.
func checkPrivateKeyMode(keyFile string) error {
	fi, err := os.Stat(keyFile)
	if err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) != os.Getuid() {
		return nil
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fileErr(ErrKey, keyFile, 0, 0, fmt.Sprintf("the private key is readable by group or others (mode %04o)", perm),
			"chmod 600 "+keyFile)
	}
	return nil
}

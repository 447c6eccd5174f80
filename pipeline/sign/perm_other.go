//go:build !unix

package sign

// checkPrivateKeyMode checks nothing where file modes do not say who may read a file.
func checkPrivateKeyMode(string) error { return nil }

package sandbox

// RecordedBaseURL is the base URL recorded for the data directory, "" when it has none yet.
// It neither opens nor serves the sandbox (inspect uses it to know the sandbox's issuer).
func RecordedBaseURL(dir string) (string, error) {
	a, err := readAddress(dir)
	if err != nil || a == nil {
		return "", err
	}
	return a.BaseURL, nil
}

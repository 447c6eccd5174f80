package changes

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNext(t *testing.T) {
	cases := []struct {
		prev  string
		level Level
		want  string
	}{
		{"", LevelNone, "1.0.0"},
		{"", LevelPatch, "1.0.0"},
		{"", LevelMajor, "1.0.0"},
		{"1.2.3", LevelNone, "1.2.3"},
		{"1.2.3", LevelPatch, "1.2.4"},
		{"1.2.3", LevelMinor, "1.3.0"},
		{"1.2.3", LevelMajor, "2.0.0"},
		{"v1.9.9", LevelPatch, "1.9.10"},
		{"0.9.0", LevelMajor, "1.0.0"},
		{"1.2", LevelPatch, ""},
		{"1.02.3", LevelPatch, ""},
		{"1.2.3-rc.1", LevelPatch, ""},
		{"-1.2.3", LevelPatch, ""},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, Next(tc.prev, tc.level), "Next(%q, %s)", tc.prev, tc.level)
	}
}

func TestLevel(t *testing.T) {
	assert.True(t, LevelNone < LevelPatch && LevelPatch < LevelMinor && LevelMinor < LevelMajor)
	for _, tc := range []struct{ computed, bump, want Level }{
		{LevelPatch, LevelMajor, LevelMajor},
		{LevelMajor, LevelPatch, LevelMajor}, // a bump never lowers
		{LevelNone, LevelMinor, LevelMinor},
		{LevelMinor, LevelNone, LevelMinor},
	} {
		assert.Equal(t, tc.want, Max(tc.computed, tc.bump))
	}
	for _, l := range []Level{LevelNone, LevelPatch, LevelMinor, LevelMajor} {
		b, err := json.Marshal(l)
		require.NoError(t, err)
		var back Level
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, l, back, string(b))
		p, err := ParseLevel(l.String())
		require.NoError(t, err)
		assert.Equal(t, l, p)
	}
	b, _ := json.Marshal(LevelMinor)
	assert.Equal(t, `"minor"`, string(b))
	_, err := ParseLevel("huge")
	assert.ErrorContains(t, err, "none, patch, minor, major")
	_, err = json.Marshal(Level(7))
	assert.Error(t, err)
}

func TestParseVersion(t *testing.T) {
	v, err := ParseVersion("v2.10.0")
	require.NoError(t, err)
	assert.Equal(t, Version{2, 10, 0}, v)
	assert.Equal(t, "2.10.0", v.String())
	assert.True(t, Version{1, 9, 0}.Less(v))
	assert.False(t, v.Less(v))
	for _, bad := range []string{"", "1", "1.2.3.4", "a.b.c", "1.2.x", "01.2.3", "1..3", "1.2.+3"} {
		_, err := ParseVersion(bad)
		assert.Error(t, err, bad)
	}
}

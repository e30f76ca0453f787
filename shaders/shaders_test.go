package shaders

import (
	"strings"
	"testing"
)

func TestSourcesTargetGLSL330(t *testing.T) {
	for name, src := range map[string]string{"sprite.vert": SpriteVert, "sprite.frag": SpriteFrag} {
		if !strings.HasPrefix(src, "#version 330 core\n") {
			t.Errorf("%s does not start with #version 330 core", name)
		}
		if !strings.Contains(src, "void main()") {
			t.Errorf("%s has no main", name)
		}
	}
}

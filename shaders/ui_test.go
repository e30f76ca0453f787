package shaders

import (
	"strings"
	"testing"
)

func TestUISourcesTargetGLSL330(t *testing.T) {
	for name, src := range map[string]string{
		"ui.vert": UIVert, "text.frag": TextFrag, "shape.frag": ShapeFrag,
		"image.frag": ImageFrag, "spot.vert": SpotVert, "spot.frag": SpotFrag,
	} {
		if !strings.HasPrefix(src, "#version 330 core\n") {
			t.Errorf("%s does not start with #version 330 core", name)
		}
		if !strings.Contains(src, "void main()") {
			t.Errorf("%s has no main", name)
		}
	}
}

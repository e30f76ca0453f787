package shaders

import (
	"strings"
	"testing"
)

func TestSourcesTargetGLSL330(t *testing.T) {
	for name, src := range map[string]string{
		"sprite.vert": SpriteVert, "sprite.frag": SpriteFrag,
		"point.vert": PointVert, "point.frag": PointFrag, "point_lod.frag": PointLODFrag, "point_micro.frag": PointMicroFrag, "point_dot.frag": PointDotFrag,
		"composite.vert": CompositeVert, "composite.frag": CompositeFrag,
	} {
		if !strings.HasPrefix(src, "#version 330 core\n") {
			t.Errorf("%s does not start with #version 330 core", name)
		}
		if !strings.Contains(src, "void main()") {
			t.Errorf("%s has no main", name)
		}
		if strings.Contains(src, "#include") {
			t.Errorf("%s still has an #include line", name)
		}
	}
}

func TestCommonPartIsPasted(t *testing.T) {
	for name, src := range map[string]string{"sprite.vert": SpriteVert, "point.vert": PointVert} {
		if !strings.Contains(src, "vec4 spriteColor()") || !strings.Contains(src, "layout(location = 5) in uint aFlags;") {
			t.Errorf("%s lacks sprite_common.glsl", name)
		}
	}
}

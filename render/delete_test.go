package render

import "testing"

// A nil renderer of every kind can be deleted through the interface the
// app keeps them in, before any GL context exists (the test needs none).
func TestDeleteNilRenderers(t *testing.T) {
	var (
		sprites *SpriteRenderer
		images  *ImageRenderer
		shapes  *ShapeRenderer
		text    *TextRenderer
	)
	for _, d := range []interface{ Delete() }{sprites, images, shapes, text} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%T(nil).Delete panicked: %v", d, r)
				}
			}()
			d.Delete()
		}()
	}
}

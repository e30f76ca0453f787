package main

// spriteMode is how sprites are drawn (U cycles): as images that grow as
// the view zooms in (native pixels and beyond close in), as images of a
// fixed size on screen, or as plain coloured dots (when a million
// overlapping images mean nothing).
type spriteMode int

const (
	modeImages spriteMode = iota
	modeFixed
	modeDots
	modeCount
)

// fixedSpritePx is a sprite's side on screen in the fixed mode.
const fixedSpritePx = 12

var modeNames = [modeCount]string{"images", "images of a fixed size", "dots"}

// opacities are the sprites' opacities Shift+U cycles through: below 1,
// overlapping sprites add up, so dense regions read as dense.
var opacities = []float32{1, 0.5, 0.25, 0.1}

// cycleOpacity switches to the next sprite opacity (Shift+U).
func (a *app) cycleOpacity() {
	a.opacity = (a.opacity + 1) % len(opacities)
	for _, p := range []*pane{&a.pane, &a.split.other} {
		if p.scene != nil {
			a.applySpriteMode(p)
		}
	}
	a.txt.toast("sprite opacity %.0f%% (Shift+U)", 100*opacities[a.opacity])
}

// cycleSpriteMode switches to the next sprite mode.
func (a *app) cycleSpriteMode() {
	a.mode = (a.mode + 1) % modeCount
	for _, p := range []*pane{&a.pane, &a.split.other} {
		if p.scene != nil {
			a.applySpriteMode(p)
		}
	}
	a.txt.toast("sprites: %s (U)", modeNames[a.mode])
}

// applySpriteMode draws pane p's sprites in the current mode.
func (a *app) applySpriteMode(p *pane) {
	p.scene.fixedPx = 0
	o := p.sprites.Options()
	o.DotPx = 0 // the default: dots only below 2 px
	switch a.mode {
	case modeFixed:
		p.scene.fixedPx = fixedSpritePx * a.g.scale
	case modeDots:
		o.DotPx = 1 << 20 // every sprite a flat dot of its ink
	}
	o.Opacity = opacities[a.opacity]
	p.sprites.SetOptions(o)
}

package render

import (
	"fmt"
	"strings"

	"github.com/go-gl/gl/v3.3-core/gl"
)

// program is a linked GLSL program.
type program uint32

// buffer is a GL buffer object.
type buffer uint32

// vertexArray is a vertex array object.
type vertexArray uint32

// texture is a GL texture object.
type texture uint32

// Delete releases the program.
func (p *program) Delete() {
	if *p != 0 {
		gl.DeleteProgram(uint32(*p))
		*p = 0
	}
}

// Delete releases the buffer.
func (b *buffer) Delete() {
	if *b != 0 {
		id := uint32(*b)
		gl.DeleteBuffers(1, &id)
		*b = 0
	}
}

// Delete releases the vertex array.
func (v *vertexArray) Delete() {
	if *v != 0 {
		id := uint32(*v)
		gl.DeleteVertexArrays(1, &id)
		*v = 0
	}
}

// Delete releases the texture.
func (t *texture) Delete() {
	if *t != 0 {
		id := uint32(*t)
		gl.DeleteTextures(1, &id)
		*t = 0
	}
}

func newBuffer() buffer {
	var id uint32
	gl.GenBuffers(1, &id)
	return buffer(id)
}

func newVertexArray() vertexArray {
	var id uint32
	gl.GenVertexArrays(1, &id)
	return vertexArray(id)
}

func newTexture() texture {
	var id uint32
	gl.GenTextures(1, &id)
	return texture(id)
}

// newProgram compiles and links a vertex and a fragment shader. name (for
// example "sprite") appears in errors, which name the failing stage and
// carry the driver's log.
func newProgram(name, vertSrc, fragSrc string) (program, error) {
	vs, err := compileShader(name, "vertex", gl.VERTEX_SHADER, vertSrc)
	if err != nil {
		return 0, err
	}
	defer gl.DeleteShader(vs)
	fs, err := compileShader(name, "fragment", gl.FRAGMENT_SHADER, fragSrc)
	if err != nil {
		return 0, err
	}
	defer gl.DeleteShader(fs)
	p := gl.CreateProgram()
	gl.AttachShader(p, vs)
	gl.AttachShader(p, fs)
	gl.LinkProgram(p)
	var ok int32
	gl.GetProgramiv(p, gl.LINK_STATUS, &ok)
	if ok == gl.FALSE {
		var n int32
		gl.GetProgramiv(p, gl.INFO_LOG_LENGTH, &n)
		log := infoLog(n, func(buf *uint8) { gl.GetProgramInfoLog(p, n, nil, buf) })
		gl.DeleteProgram(p)
		return 0, fmt.Errorf("render: linking %s program: %s", name, log)
	}
	gl.DetachShader(p, vs)
	gl.DetachShader(p, fs)
	return program(p), nil
}

func compileShader(name, stage string, kind uint32, src string) (uint32, error) {
	s := gl.CreateShader(kind)
	csrc, free := gl.Strs(src + "\x00")
	gl.ShaderSource(s, 1, csrc, nil)
	free()
	gl.CompileShader(s)
	var ok int32
	gl.GetShaderiv(s, gl.COMPILE_STATUS, &ok)
	if ok == gl.FALSE {
		var n int32
		gl.GetShaderiv(s, gl.INFO_LOG_LENGTH, &n)
		log := infoLog(n, func(buf *uint8) { gl.GetShaderInfoLog(s, n, nil, buf) })
		gl.DeleteShader(s)
		return 0, fmt.Errorf("render: compiling %s %s shader: %s", name, stage, log)
	}
	return s, nil
}

// infoLog reads a driver log of n bytes (including the NUL) with get.
func infoLog(n int32, get func(*uint8)) string {
	if n <= 1 {
		return "(the driver gave no log)"
	}
	buf := make([]uint8, n)
	get(&buf[0])
	return strings.TrimRight(string(buf[:n-1]), "\x00\n ")
}

// uniform returns the location of a uniform, or an error if the linked
// program has no active uniform of that name.
func (p program) uniform(name string) (int32, error) {
	loc := gl.GetUniformLocation(uint32(p), gl.Str(name+"\x00"))
	if loc < 0 {
		return 0, fmt.Errorf("render: program has no active uniform %q", name)
	}
	return loc, nil
}

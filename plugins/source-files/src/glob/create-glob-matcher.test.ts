import { describe, expect, it } from 'vitest'
import { createGlobMatcher, type GlobOptions } from './create-glob-matcher.js'
import { expandBraces } from './expand-braces.js'

const match = (glob: string | string[], path: string, options?: GlobOptions) =>
  createGlobMatcher(glob, options).matches(path)

describe('expandBraces', () => {
  it('expands alternatives, nested groups and several groups', () => {
    expect(expandBraces('a.{jpg,png}')).toEqual(['a.jpg', 'a.png'])
    expect(expandBraces('{a,b{1,2}}/x')).toEqual(['a/x', 'b1/x', 'b2/x'])
    expect(expandBraces('{a,b}{1,2}')).toEqual(['a1', 'a2', 'b1', 'b2'])
    expect(expandBraces('x{,s}')).toEqual(['x', 'xs'])
  })
  it('keeps groups without a comma, escaped braces and braces inside classes literal', () => {
    expect(expandBraces('a{b}c')).toEqual(['a{b}c'])
    expect(expandBraces('a\\{b,c}')).toEqual(['a\\{b,c}'])
    expect(expandBraces('[{,]x')).toEqual(['[{,]x'])
    expect(expandBraces('a{b,c')).toEqual(['a{b,c'])
  })
})

describe('createGlobMatcher', () => {
  it('* matches within one folder level only', () => {
    expect(match('*.jpg', 'a.jpg')).toBe(true)
    expect(match('*.jpg', 'sub/a.jpg')).toBe(false)
    expect(match('sub/*', 'sub/a.jpg')).toBe(true)
    expect(match('a*b*c', 'aXXbYc')).toBe(true)
    expect(match('a*b*c', 'aXXbY')).toBe(false)
  })

  it('** matches zero or more folders, only as a whole segment', () => {
    expect(match('**/*.jpg', 'a.jpg')).toBe(true)
    expect(match('**/*.jpg', 'a/b/c/d.jpg')).toBe(true)
    expect(match('a/**/z.png', 'a/z.png')).toBe(true)
    expect(match('a/**/z.png', 'a/b/c/z.png')).toBe(true)
    expect(match('a/**/z.png', 'b/a/z.png')).toBe(false)
    expect(match('a/**', 'a/b/c')).toBe(true)
    expect(match('a**.jpg', 'ab.jpg')).toBe(true)
    expect(match('a**.jpg', 'a/b.jpg')).toBe(false)
    expect(match('**/x/**/y', 'p/x/q/r/y')).toBe(true)
    expect(match('**/x/**/y', 'p/q/r/y')).toBe(false)
  })

  it('? matches exactly one character (one code point)', () => {
    expect(match('?.png', 'a.png')).toBe(true)
    expect(match('?.png', 'ab.png')).toBe(false)
    expect(match('?.png', '😀.png')).toBe(true)
    expect(match('a?b', 'a/b')).toBe(false)
  })

  it('supports character classes, ranges, negation and POSIX names', () => {
    expect(match('img[0-9].jpg', 'img7.jpg')).toBe(true)
    expect(match('img[0-9].jpg', 'imgx.jpg')).toBe(false)
    expect(match('img[!0-9].jpg', 'imgx.jpg')).toBe(true)
    expect(match('img[^0-9].jpg', 'img7.jpg')).toBe(false)
    expect(match('[abc]', 'b')).toBe(true)
    expect(match('[]x]', ']')).toBe(true)
    expect(match('[a-]', '-')).toBe(true)
    expect(match('[[:digit:]][[:alpha:]]', '7é')).toBe(true)
    expect(match('[[:digit:]]', 'x')).toBe(false)
    expect(match('a[', 'a[')).toBe(true)
  })

  it('treats regular-expression characters and escapes literally', () => {
    expect(match('a+(b).jpg', 'a+(b).jpg')).toBe(true)
    expect(match('a.jpg', 'aXjpg')).toBe(false)
    expect(match('\\*.jpg', '*.jpg')).toBe(true)
    expect(match('\\*.jpg', 'x.jpg')).toBe(false)
    expect(match('$^|.jpg', '$^|.jpg')).toBe(true)
  })

  it('expands braces, including globs inside them', () => {
    const glob = '**/*.{jpg,jpeg,png}'
    expect(match(glob, 'x/y.jpeg')).toBe(true)
    expect(match(glob, 'x/y.gif')).toBe(false)
    expect(match('{raw/**,keep}/*.jpg', 'raw/a/b.jpg')).toBe(true)
    expect(match('{raw/**,keep}/*.jpg', 'keep/b.jpg')).toBe(true)
    expect(match('{raw/**,keep}/*.jpg', 'other/b.jpg')).toBe(false)
  })

  it('hides dot files and folders from wildcards unless dot is set', () => {
    expect(match('*.jpg', '.hidden.jpg')).toBe(false)
    expect(match('**/*.jpg', '.cache/a.jpg')).toBe(false)
    expect(match('.cache/*.jpg', '.cache/a.jpg')).toBe(true)
    expect(match('**/*.jpg', '.cache/a.jpg', { dot: true })).toBe(true)
    expect(match('*', '..', { dot: true })).toBe(false)
  })

  it('ignores case on request', () => {
    expect(match('*.jpg', 'A.JPG')).toBe(false)
    expect(match('*.jpg', 'A.JPG', { ignoreCase: true })).toBe(true)
    expect(match('Photos/*.jpg', 'photos/a.Jpg', { ignoreCase: true })).toBe(true)
  })

  it('matches unicode and spaces, across NFC and NFD spellings', () => {
    expect(match('**/café *.jpg', 'été/café 1.jpg')).toBe(true)
    expect(match('写真/*.png', '写真/猫 2.png')).toBe(true)
    expect(match('café.jpg'.normalize('NFD'), 'café.jpg'.normalize('NFC'))).toBe(true)
    expect(match('café.jpg'.normalize('NFC'), 'café.jpg'.normalize('NFD'))).toBe(true)
  })

  it('accepts several globs and ./ or trailing-slash spellings', () => {
    expect(match(['*.png', 'sub/*.jpg'], 'sub/a.jpg')).toBe(true)
    expect(match('./sub/*.jpg', 'sub/a.jpg')).toBe(true)
    expect(match('sub/', 'sub')).toBe(true)
  })

  it('says which folders may hold matches, so a walk can skip the others', () => {
    const matcher = createGlobMatcher('photos/**/*.jpg')
    expect(matcher.couldMatchInside('photos')).toBe(true)
    expect(matcher.couldMatchInside('photos/2024/x')).toBe(true)
    expect(matcher.couldMatchInside('videos')).toBe(false)
    expect(matcher.couldMatchInside('photos/.thumbs')).toBe(false)
    const flat = createGlobMatcher('*.jpg')
    expect(flat.couldMatchInside('')).toBe(true)
    expect(flat.couldMatchInside('sub')).toBe(false)
    expect(createGlobMatcher('a/b/*.jpg').couldMatchInside('a/b')).toBe(true)
    expect(createGlobMatcher('a/b/*.jpg').couldMatchInside('a/b/c')).toBe(false)
  })

  it('reports an invalid class range', () => {
    expect(() => createGlobMatcher('[z-a]')).toThrow(/invalid glob part "\[z-a\]"/)
  })
})

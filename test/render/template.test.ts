import { describe, it, expect } from 'vitest';
import { renderTemplate } from '../../src/render/template.js';

describe('renderTemplate', () => {
  it('renders values and conditionals without escaping', () => {
    expect(renderTemplate('_selftest.eta', { name: 'a&b', x: true })).toBe('hello a&b\nx on\nend\n');
    expect(renderTemplate('_selftest.eta', { name: 'z', x: false })).toBe('hello z\nend\n');
  });
});

import type { RuleReference } from '../scenario.js';

/**
 * A rule written in an RFC: `rfc(6749, '5.2')` is "RFC 6749 §5.2", linked to that section on
 * rfc-editor.org. Several sections (`rfc(6749, ['3.2', '4.1.3', '6'])`) are all listed and the
 * link goes to the first; `more` is appended to the source as written, e.g. `'; PROVIDERS.md (HP)'`.
 */
export function rfc(number: number, sections: string | readonly string[], more = ''): RuleReference {
  const list = typeof sections === 'string' ? [sections] : sections;
  return {
    source: `RFC ${number} §${list.join(', §')}${more}`,
    url: `https://www.rfc-editor.org/rfc/rfc${number}#section-${list[0] ?? ''}`,
  };
}

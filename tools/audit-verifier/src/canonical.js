'use strict';
// RFC 8785 (JSON Canonicalization Scheme) for values that come from JSON.parse: no cycles, no
// undefined, no toJSON. Object keys sorted by UTF-16 code units (Array#sort's default order), strings
// and numbers as ECMAScript's JSON.stringify writes them (RFC 8785 §3.2.2.2 and §3.2.2.3 take exactly
// that). Written for the verifier's hot loop: the general library it replaces (json-canonicalize,
// still used for the small checkpoint messages) tracks paths and cycles for every value, which was
// most of the verifier's time (docs/adr/0106). A test checks the two agree.
function canonical(value) {
  if (value === null || value === undefined) return 'null'; // undefined: only in an array, as null
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      // JSON.parse gives Infinity for a literal too large for a double; canonical JSON has none.
      if (!Number.isFinite(value)) throw new Error(`Non-finite number (${value}) is not permitted in JSON`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new Error(`a ${typeof value} is not JSON`);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonical(value[i]);
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i += 1) {
    const entry = value[keys[i]];
    // A property left undefined is left out, as JSON.stringify and the library do (a field missing
    // from a tampered line then makes the hash differ, rather than stopping the verifier).
    if (entry === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(keys[i])}:${canonical(entry)}`;
    first = false;
  }
  return `${out}}`;
}

module.exports = { canonical };
